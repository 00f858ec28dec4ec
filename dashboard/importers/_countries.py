"""ISO 3166-1 codes of the Sahel and its neighbours, by name and by numeric code.

ACLED gives a country's name and its numeric ISO code (older exports also ``iso3``);
UCDP gives the name. Countries outside this list keep an empty ``iso3``.
"""

from __future__ import annotations

#: (alpha-3, numeric, names as the exports spell them)
_COUNTRIES = (
    ("DZA", 12, ("Algeria",)),
    ("BEN", 204, ("Benin",)),
    ("BFA", 854, ("Burkina Faso",)),
    ("CMR", 120, ("Cameroon",)),
    ("CAF", 140, ("Central African Republic",)),
    ("TCD", 148, ("Chad",)),
    ("CIV", 384, ("Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire")),
    ("EGY", 818, ("Egypt",)),
    ("GMB", 270, ("Gambia", "The Gambia")),
    ("GHA", 288, ("Ghana",)),
    ("GIN", 324, ("Guinea",)),
    ("GNB", 624, ("Guinea-Bissau",)),
    ("LBR", 430, ("Liberia",)),
    ("LBY", 434, ("Libya",)),
    ("MLI", 466, ("Mali",)),
    ("MRT", 478, ("Mauritania",)),
    ("MAR", 504, ("Morocco",)),
    ("NER", 562, ("Niger",)),
    ("NGA", 566, ("Nigeria",)),
    ("SEN", 686, ("Senegal",)),
    ("SLE", 694, ("Sierra Leone",)),
    ("SSD", 728, ("South Sudan",)),
    ("SDN", 729, ("Sudan",)),
    ("TGO", 768, ("Togo",)),
    ("TUN", 788, ("Tunisia",)),
    ("ESH", 732, ("Western Sahara",)),
)

#: Country name -> alpha-3 code.
ISO3_BY_NAME = {name: code for code, _, names in _COUNTRIES for name in names}
#: Numeric code as written in a file ("466", "12" or "012") -> alpha-3 code.
ISO3_BY_NUMBER = {
    text: code for code, number, _ in _COUNTRIES for text in (str(number), f"{number:03d}")
}

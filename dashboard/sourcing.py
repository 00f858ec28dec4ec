"""How well the records are sourced: which publishers are primary outlets, and how many cite one.

A primary outlet is a news agency, a broadcaster, a newspaper of record or the UN. A page
that re-posts agency copy counts when ``sources.csv`` names the agency in ``publisher``,
e.g. ``abamako.com (AFP)`` or ``Fraternité Matin (RFI)``; Wikipedia, its mirrors, blogs
and aggregators do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dashboard.domain import Source

#: The share of records (events and control periods) that must cite a primary outlet.
PRIMARY_TARGET = 0.70

#: Primary outlets, matched as whole words in a source's ``publisher``.
PRIMARY_PUBLISHERS = (
    # News agencies
    "Reuters",
    "AFP",
    "Agence France-Presse",
    "AP",
    "Associated Press",
    "Xinhua",
    "APA",
    "APS",
    "AMAP",
    "ANI",
    "Anadolu",
    "Alakhbar",
    "Sahara Medias",
    "AMI",
    # Broadcasters
    "BBC",
    "RFI",
    "France 24",
    "Franceinfo",
    "TV5Monde",
    "Al Jazeera",
    "Voice of America",
    "VOA",
    "Deutsche Welle",
    "DW",
    "ORTM",
    "Studio Tamani",
    "Africanews",
    "TRT World",
    "TRT Afrika",
    "Monte Carlo Doualiya",
    "RNZ",
    "CNN",
    "LCI",
    # Newspapers of record
    "Le Monde",
    "Le Figaro",
    "Libération",
    "La Croix",
    "L'Express",
    "The Guardian",
    "The New York Times",
    "The Washington Post",
    "The Christian Science Monitor",
    "The Times",
    "The Telegraph",
    "Die Zeit",
    "Jeune Afrique",
    "L'Essor",
    "Fraternité Matin",
    "Dawn",
    # The UN and its missions
    "UN News",
    "UN OCHA",
    "United Nations",
    "UN Security Council",
    "MINUSMA",
    "UNHCR",
)

_PRIMARY = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in PRIMARY_PUBLISHERS) + r")(?![\w-])",
    re.IGNORECASE,
)
#: Publishers that are never primary, whatever else their name contains.
_NOT_PRIMARY = re.compile(r"wiki|mirror|blog", re.IGNORECASE)


def is_primary(publisher: str) -> bool:
    """Return True when a publisher is (or re-posts) a primary outlet."""
    return not _NOT_PRIMARY.search(publisher) and bool(_PRIMARY.search(publisher))


def primary_share(records: Iterable[Iterable[str]], sources: Mapping[str, Source]) -> float:
    """Return the share of records that cite at least one primary outlet.

    Args:
        records: For each record (event or control period), the ids of its sources.
        sources: The sources by id.

    Returns:
        A share between 0 and 1 (0 when there are no records).
    """
    cites = [any(s in sources and is_primary(sources[s].publisher) for s in ids) for ids in records]
    return sum(cites) / len(cites) if cites else 0.0


def wikipedia_only(records: Iterable[Iterable[str]], sources: Mapping[str, Source]) -> int:
    """Count the records whose every source is Wikipedia or a mirror of it."""
    return sum(
        all("wiki" in sources[s].publisher.casefold() for s in ids if s in sources)
        for ids in map(tuple, records)
        if ids
    )

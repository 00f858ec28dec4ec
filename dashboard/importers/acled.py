"""ACLED exports, in every layout met in the wild, as event columns.

- The current 31 columns (``event_id_cnty, event_date, year, time_precision,
  disorder_type, ...``), with or without ACLED's ``population_*`` columns.
- The layout before 2023 (``data_id, iso, event_id_cnty, event_id_no_cnty, ...``,
  ``iso3``, no ``disorder_type``), and HDX copies with HXL tags on their second row
  (skipped by the reader).
- ``inter1``/``inter2``/``interaction`` as text (``State forces-Rebel group``) or as
  ACLED's numeric codes (``12``), which become the same text.
- ``event_date`` as ``2012-03-31``, ``31 March 2012`` or ``31-03-2012``.

An event lasts its one day; ``fatalities`` empty is unknown (null), not zero;
``time_precision`` and ``geo_precision`` (1-3) are kept; ``source`` becomes the source
text; ``iso3`` comes from ``iso3``, else the numeric ``iso``, else the country's name.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.importers._columns import (
    Rows,
    constant,
    coordinates,
    day_column,
    event_table,
    from_days,
    is_empty,
    lookup,
    precision_column,
    toll_column,
)
from dashboard.importers._countries import ISO3_BY_NAME, ISO3_BY_NUMBER

FORMAT = "acled"
#: Columns every ACLED layout has and the import needs.
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "interaction",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
#: Columns used when present.
OPTIONAL = ("iso", "iso3")

#: ACLED's numeric actor types (``inter1``/``inter2``) and their names.
ACTOR_TYPES = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}


def _interaction_names() -> dict[str, str]:
    """Numeric interaction codes -> text.

    ``12`` is ``State forces-Rebel group``; ``60``, a sole actor, ``Protesters only``.
    """
    names = {}
    for a, first in ACTOR_TYPES.items():
        names[f"{a}0"] = f"{first} only"
        for b, second in ACTOR_TYPES.items():
            names[f"{a}{b}"] = f"{first}-{second}"
    return names


INTERACTIONS = _interaction_names()


def matches(header: set[str]) -> bool:
    """Whether a header is ACLED's."""
    return {"event_id_cnty", "event_date"} <= header


def convert(rows: Rows) -> pa.Table:
    """Check and convert one block of ACLED rows; rejects the rows that fail."""
    event_id = rows.text("event_id_cnty")
    rows.require(event_id, "event_id_cnty")
    day, _ = day_column(rows, "event_date")
    lat, lon = coordinates(rows, "latitude", "longitude")
    fatalities = toll_column(rows, "fatalities")
    time_precision = precision_column(rows, "time_precision", range(1, 4))
    geo_precision = precision_column(rows, "geo_precision", range(1, 4))
    start = from_days(day)
    return event_table(
        rows,
        {
            "event_id": event_id,
            "origin": constant(FORMAT, rows.n),
            "start": start,
            "end": start,
            "event_type": rows.text("event_type"),
            "sub_event_type": rows.text("sub_event_type"),
            "actor1": rows.text("actor1"),
            "actor2": rows.text("actor2"),
            "interaction": lookup(rows.text("interaction"), INTERACTIONS),
            "country": rows.text("country"),
            "iso3": _iso3(rows),
            "admin1": rows.text("admin1"),
            "location": rows.text("location"),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": geo_precision,
            "time_precision": time_precision,
            "fatalities": fatalities,
            "notes": rows.text("notes"),
            "source_text": rows.text("source"),
        },
    )


def _iso3(rows: Rows) -> pa.Array:
    """``iso3`` where given, else from the numeric ``iso`` code, else from the country."""
    by_name = lookup(rows.text("country"), ISO3_BY_NAME, default="")
    by_number = lookup(rows.text("iso"), ISO3_BY_NUMBER, default="")
    fallback = pc.if_else(is_empty(by_number), by_name, by_number)
    given = pc.utf8_upper(rows.text("iso3"))
    return pc.if_else(is_empty(given), fallback, given)

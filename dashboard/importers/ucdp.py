"""UCDP GED exports (49 columns: versions 24.1, 25.1 and the monthly Candidate files).

- ``id`` is the event id; ``type_of_violence`` 1/2/3 becomes the event type
  (``State-based conflict``, ``Non-state conflict``, ``One-sided violence``); UCDP has no
  sub-types, so ``sub_event_type`` stays empty.
- ``side_a``/``side_b`` are the two actors; ``best`` is the toll, ``low``/``high`` its
  range; ``date_start``..``date_end`` the event's span (a time after the date, as in
  ``2012-03-31 00:00:00.000``, is ignored).
- ``source_article`` and ``source_headline`` become the source text; the notes name the
  conflict and UCDP's description of the place.
- ``where_prec`` and ``date_prec`` are kept as UCDP gives them and also mapped to ACLED's
  1-3 scale (see ``GEO_PRECISION`` and ``TIME_PRECISION``), which the map draws.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from dashboard.importers._columns import (
    Rows,
    constant,
    coordinates,
    day_column,
    event_table,
    from_days,
    is_empty,
    join_nonempty,
    lookup,
    precision_column,
    quoted,
    toll_column,
)
from dashboard.importers._countries import ISO3_BY_NAME

FORMAT = "ucdp"
REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_article",
    "source_headline",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
)
OPTIONAL = ("conflict_name", "where_description")

VIOLENCE_TYPES = {
    "1": "State-based conflict",
    "2": "Non-state conflict",
    "3": "One-sided violence",
}
#: ACLED's geo_precision for each UCDP where_prec: 1 the exact place -> 1; 2 within
#: about 25 km of a named place -> 2; 3 a second-order administrative unit, 4 a
#: first-order one, 5 a larger part of a country or a point between places, 6 the
#: country, 7 waters or air space -> 3 (only the region is known).
GEO_PRECISION = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
#: ACLED's time_precision for each UCDP date_prec: 1 the day -> 1; 2 a span of two to
#: six days, 3 a week -> 2 (the week is known); 4 a month, 5 a year -> 3 (the month, or
#: less, is known).
TIME_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def matches(header: set[str]) -> bool:
    """Whether a header is UCDP GED's."""
    return {"type_of_violence", "date_start", "side_a"} <= header


def _mapped(codes: np.ndarray, table: dict[int, int]) -> np.ndarray:
    out = np.zeros(256, dtype=np.int8)
    for code, value in table.items():
        out[code] = value
    return out[codes.astype(np.uint8)]


def convert(rows: Rows) -> pa.Table:
    """Check and convert one block of UCDP GED rows; rejects the rows that fail."""
    event_id = rows.text("id")
    rows.require(event_id, "id")
    violence = rows.text("type_of_violence")
    event_type = lookup(violence, VIOLENCE_TYPES, default="")
    rows.fail(
        np.asarray(is_empty(event_type).to_numpy(zero_copy_only=False)),
        lambda i: f"type_of_violence must be 1, 2 or 3, not {quoted(violence[i].as_py())}",
    )
    first, _ = day_column(rows, "date_start")
    last, _ = day_column(rows, "date_end")
    rows.fail(
        rows.ok & (last < first),
        lambda i: (
            f"date_end {rows.text('date_end')[i].as_py()} is before date_start "
            f"{rows.text('date_start')[i].as_py()}"
        ),
    )
    lat, lon = coordinates(rows, "latitude", "longitude")
    where_prec = precision_column(rows, "where_prec", range(1, 8))
    date_prec = precision_column(rows, "date_prec", range(1, 6))
    best = toll_column(rows, "best")
    low = toll_column(rows, "low")
    high = toll_column(rows, "high")
    return event_table(
        rows,
        {
            "event_id": event_id,
            "origin": constant(FORMAT, rows.n),
            "start": from_days(first),
            "end": from_days(last),
            "event_type": event_type,
            "actor1": rows.text("side_a"),
            "actor2": rows.text("side_b"),
            "country": rows.text("country"),
            "iso3": lookup(rows.text("country"), ISO3_BY_NAME, default=""),
            "admin1": rows.text("adm_1"),
            "location": rows.text("where_coordinates"),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": _mapped(where_prec, GEO_PRECISION),
            "time_precision": _mapped(date_prec, TIME_PRECISION),
            "where_prec": pa.array(where_prec, pa.int8()),
            "date_prec": pa.array(date_prec, pa.int8()),
            "fatalities": best,
            "fatalities_low": low,
            "fatalities_high": high,
            "notes": join_nonempty(
                [
                    ("Conflict: ", rows.text("conflict_name")),
                    ("Where: ", rows.text("where_description")),
                ]
            ),
            "source_text": join_nonempty(
                [("", rows.text("source_article")), ("", rows.text("source_headline"))],
                sep=" | ",
            ),
        },
    )

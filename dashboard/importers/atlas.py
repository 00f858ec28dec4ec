"""The atlas's own ``events.csv`` format (see ``geodata/README.md``) as event columns.

The checks are those of ``data.load_events``, run on whole columns: ISO dates and an
``end_date`` not before the ``event_date``, ACLED's event types and sub-types, a known
country and, when the countries' borders are given, a point inside it, a geo_precision
of 1-3, a toll that is a whole number or empty (unknown). Cited ``sources`` must exist
only when a sources mapping is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from dashboard.borders import Borders
from dashboard.data import COLUMNS, COUNTRY_CODES
from dashboard.domain import EVENT_TYPES
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
    quoted,
    toll_column,
)

FORMAT = "atlas"
REQUIRED = COLUMNS["events.csv"]
OPTIONAL: tuple[str, ...] = ()
_ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
_PAIRS = pa.array([f"{t}|{s}" for t, subs in EVENT_TYPES.items() for s in subs])


def matches(header: set[str]) -> bool:
    """Whether a header is the atlas's own."""
    return {"event_id", "event_date", "sources"} <= header


def borders(countries: Mapping[str, Any]) -> dict[str, Any]:
    """Each country's prepared outline, widened as ``borders.Borders`` does, by ISO code."""
    return Borders(countries).shapes


def _np(array: pa.Array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False))


def convert(
    rows: Rows,
    *,
    sources: Mapping[str, Any] | None = None,
    outlines: Mapping[str, Any] | None = None,
) -> pa.Table:
    """Check and convert one block of atlas rows; rejects the rows that fail."""
    event_id = rows.text("event_id")
    rows.require(event_id, "event_id")
    first, first_ok = day_column(rows, "event_date")
    last, has_end = day_column(rows, "end_date", required=False)
    for name, parsed in (("event_date", first_ok), ("end_date", has_end)):
        text = rows.text(name)
        iso = _np(pc.match_substring_regex(text, _ISO_DAY))
        rows.fail(
            parsed & ~iso,
            lambda i, t=text, n=name: f"bad {n}: {quoted(t[i].as_py())} (write YYYY-MM-DD)",
        )
    last = np.where(has_end, last, first)
    rows.fail(
        first_ok & has_end & (last < first),
        lambda i: (
            f"end_date {rows.text('end_date')[i].as_py()} is before event_date "
            f"{rows.text('event_date')[i].as_py()}"
        ),
    )
    _check_types(rows)
    actor1 = rows.text("actor1")
    rows.require(actor1, "actor1")
    country = rows.text("country")
    iso3 = lookup(country, COUNTRY_CODES, default="")
    rows.fail(
        _np(is_empty(iso3)),
        lambda i: f"country {quoted(country[i].as_py())} is not one of {', '.join(COUNTRY_CODES)}",
    )
    lat, lon = coordinates(rows, "latitude", "longitude")
    if outlines is not None:
        _check_borders(rows, iso3, lat, lon, outlines)
    precision = precision_column(rows, "geo_precision", range(1, 4))
    fatalities = toll_column(rows, "fatalities")
    cited = rows.text("sources")
    if sources is not None:
        _check_sources(rows, cited, sources)
    return event_table(
        rows,
        {
            "event_id": event_id,
            "origin": constant(FORMAT, rows.n),
            "start": from_days(first),
            "end": from_days(last),
            "event_type": rows.text("event_type"),
            "sub_event_type": rows.text("sub_event_type"),
            "actor1": actor1,
            "actor2": rows.text("actor2"),
            "country": country,
            "iso3": iso3,
            "admin1": rows.text("admin1"),
            "location": rows.text("location"),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": precision,
            "time_precision": np.ones(rows.n, dtype=np.int8),
            "fatalities": fatalities,
            "notes": rows.text("notes"),
            "source_ids": pc.replace_substring_regex(cited, r"\s*;\s*", ";"),
        },
    )


def _check_types(rows: Rows) -> None:
    kind, sub = rows.text("event_type"), rows.text("sub_event_type")
    known_kind = _np(pc.is_in(kind, value_set=pa.array(list(EVENT_TYPES))))
    rows.fail(~known_kind, lambda i: f"unknown event_type {quoted(kind[i].as_py())}")
    pair = pc.binary_join_element_wise(kind, sub, pa.scalar("|"))
    known_pair = _np(pc.is_in(pair, value_set=_PAIRS))
    rows.fail(
        known_kind & ~known_pair,
        lambda i: f"sub_event_type {quoted(sub[i].as_py())} is not a kind of {kind[i].as_py()}",
    )


def _check_borders(
    rows: Rows, iso3: pa.Array, lat: np.ndarray, lon: np.ndarray, outlines: Mapping[str, Any]
) -> None:
    codes = _np(iso3)
    inside = np.ones(rows.n, dtype=bool)
    for code in set(codes.tolist()) - {""}:
        where = codes == code
        geom = outlines.get(code)
        inside[where] = (
            shapely.contains_xy(geom, lon[where], lat[where]) if geom is not None else False
        )
    location, country = rows.text("location"), rows.text("country")
    rows.fail(
        rows.ok & ~inside,
        lambda i: f"{location[i].as_py()} at {lat[i]}, {lon[i]} is not in {country[i].as_py()}",
    )


def _check_sources(rows: Rows, cited: pa.Array, sources: Mapping[str, Any]) -> None:
    parts = pc.utf8_trim_whitespace(pc.list_flatten(pc.split_pattern(cited, ";")))
    owner = _np(pc.list_parent_indices(pc.split_pattern(cited, ";")))
    nonempty = ~_np(is_empty(parts))
    known = _np(pc.is_in(parts, value_set=pa.array(list(sources), pa.string())))
    has_any = np.bincount(owner[nonempty], minlength=rows.n) > 0
    rows.fail(~has_any, "cites no source")
    unknown = nonempty & ~known
    bad_rows = np.bincount(owner[unknown], minlength=rows.n) > 0
    names = parts.to_pylist() if bad_rows.any() else []

    def reason(i: int) -> str:
        missing = [names[k] for k in np.flatnonzero(unknown & (owner == i))]
        return f"unknown source id(s): {', '.join(missing)}"

    rows.fail(bad_rows & has_any, reason)

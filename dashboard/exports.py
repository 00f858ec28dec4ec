"""Exports of what the page shows: the window's events as CSV, the day's situation as GeoJSON.

Both take the page's own query string (``date``, ``window``; bad values are refused with
a 400 that says why), so a link to an export names exactly the view it came from. Text from
the data stays text: a CSV cell that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``, tab or carriage return first) is prefixed with ``'``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from flask import Response, request

from dashboard.data import Dataset
from dashboard.domain import control_on
from dashboard.figures import data_range
from dashboard.schema import EVENT_SCHEMA
from dashboard.store import Window

CSV_PATH = "data/export.csv"
GEOJSON_PATH = "data/situation.geojson"
MAX_WINDOW = 3650
_FORMULA = re.compile(r"^[=+\-@\t\r]")


class BadQuery(ValueError):
    """A query parameter an export cannot use; the message says which and why."""


def _day(raw: str) -> date | None:
    """A ``YYYY-MM-DD`` day, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def view_asked(args: Mapping[str, str], dataset: Dataset) -> tuple[date, Window]:
    """The day and window of an export's query, checked."""
    first, last = data_range(dataset)
    raw = args.get("date", "")
    day = _day(raw)
    if day is None:
        raise BadQuery(f"date {raw[:40]!r} is not a day (YYYY-MM-DD)")
    if not first <= day <= last:
        raise BadQuery(f"date {day} is outside the data ({first} to {last})")
    windows = args.get("window")
    start = args.get("start", "")
    if windows == "all" or (windows is None and start):
        # the cumulative window, from ``start`` (a link's own) or the data's first day
        since = _day(start) if start else None
        if start and since is None:
            raise BadQuery(f"start {start[:40]!r} is not a day (YYYY-MM-DD)")
        return day, Window(days=None, since=min(max(since, first), last) if since else None)
    windows = windows or "30"
    if not re.fullmatch(r"\d{1,4}", windows) or not 1 <= int(windows) <= MAX_WINDOW:
        raise BadQuery(f"window {windows[:40]!r} is not 1 to {MAX_WINDOW} days or 'all'")
    return day, Window(days=int(windows))


def safe_cell(value: object) -> object:
    """A value as a spreadsheet should show it: text that looks like a formula stays text."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def safe_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``safe_cell`` over a whole text column at once (nulls stay null)."""
    formula = pc.match_substring_regex(column, _FORMULA.pattern)
    return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)


def sources_text(dataset: Dataset, source_ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The cited sources of each row ("publisher, date: URL | ..."), from its ``source_ids``.

    Worked out once per distinct list of ids (rows of an import cite none, shipped rows
    share theirs), then taken for every row.
    """
    encoded = pc.dictionary_encode(source_ids).combine_chunks()
    texts = []
    for ids in encoded.dictionary.to_pylist():
        cited = [dataset.sources[s] for s in (ids or "").split(";") if s in dataset.sources]
        texts.append(
            " | ".join(
                f"{s.publisher}, {s.published.isoformat() if s.published else 'undated'}: {s.url}"
                for s in cited
            )
        )
    return pa.array(texts, pa.string()).take(encoded.indices)


def events_csv(dataset: Dataset, day: date, window: Window, rows: np.ndarray | None = None) -> str:
    """The window's events (or ``rows`` of them), newest first, with their sources."""
    return "".join(events_csv_parts(dataset, day, window, rows))


def events_csv_parts(
    dataset: Dataset, day: date, window: Window, rows: np.ndarray | None = None
) -> Iterator[str]:
    """``events_csv`` in parts, so that a big window is never held whole.

    A part has at most ``texts.ROW_GROUP`` rows. The long texts are read a part at a time
    from where they lie (``store.column``); each part reads one batch of the texts file
    (``TextColumns.parts``), so none is read twice. A part is written by Arrow's CSV writer,
    column by column (text quoted, a missing value empty), not row by row in Python.
    """
    store = dataset.events
    first, last = window.span(day, data_range(dataset)[0])
    idx = store.newest_first(store.window(first, last))
    if rows is not None:
        idx = idx[np.isin(idx, rows)]
    names = [f.name for f in EVENT_SCHEMA]
    header = pcsv.WriteOptions(include_header=True)
    body = pcsv.WriteOptions(include_header=False)
    parts = store.texts.parts(idx)
    if not parts:
        yield _csv_of(_part_table(dataset, store, idx[:0], names), header)
    for k, part in enumerate(parts):
        yield _csv_of(_part_table(dataset, store, part, names), header if k == 0 else body)


def _part_table(dataset: Dataset, store, part: np.ndarray, names: list[str]) -> pa.Table:
    """The export's columns at rows ``part``: the schema's, then the sources cited."""
    columns = {}
    for name in names:
        column = store.column(name, part)
        columns[name] = safe_text(column) if pa.types.is_string(column.type) else column
    columns["sources"] = safe_text(sources_text(dataset, store.column("source_ids", part)))
    return pa.table(columns)


def _csv_of(table: pa.Table, options: pcsv.WriteOptions) -> str:
    """``table`` as CSV text."""
    out = io.BytesIO()
    pcsv.write_csv(table, out, options)
    return out.getvalue().decode("utf-8")


def situation_geojson(dataset: Dataset, day: date, window: Window) -> dict:
    """The towns with their holders and confidence on ``day``, and the window's events."""
    features = []
    for place_id in dataset.control_places:
        place = dataset.places[place_id]
        period = control_on(dataset.periods, place_id, day)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "kind": "town",
                    "id": place_id,
                    "name": place.name,
                    "holders": list(period.groups) if period else [],
                    "status": period.status if period else "unknown",
                    "confidence": period.confidence if period else "",
                    "since": period.start.isoformat() if period else "",
                    "sources": [dataset.sources[s].url for s in period.sources] if period else [],
                },
            }
        )
    store = dataset.events
    first, last = window.span(day, data_range(dataset)[0])
    idx = store.newest_first(store.window(first, last))
    table = store.table.take(pa.array(idx, pa.int64()))  # no long text among these
    keep = ["event_id", "origin", "event_type", "sub_event_type", "actor1", "actor2", "location"]
    cols = {n: table.column(n).to_pylist() for n in [*keep, "latitude", "longitude"]}
    starts, tolls = table.column("start").to_pylist(), table.column("fatalities").to_pylist()
    for k in range(table.num_rows):
        properties = {n: cols[n][k] for n in keep}
        properties |= {"kind": "event", "date": starts[k].isoformat(), "fatalities": tolls[k]}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [cols["longitude"][k], cols["latitude"][k]],
                },
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {"date": day.isoformat(), "window": window.label},
        "features": features,
    }


def serve_exports(app, dataset: Dataset) -> None:
    """Add the export routes below the app's routes prefix."""
    prefix = app.config.routes_pathname_prefix

    def csv_view() -> Response:
        try:
            day, window = view_asked(request.args, dataset)
        except BadQuery as bad:
            return Response(str(bad), status=400, mimetype="text/plain")
        # streamed in parts: a cumulative window of a million events is never held whole
        response = Response(events_csv_parts(dataset, day, window), mimetype="text/csv")
        name = f"sahel-atlas-events-{day.isoformat()}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def geojson_view() -> Response:
        try:
            day, window = view_asked(request.args, dataset)
        except BadQuery as bad:
            return Response(str(bad), status=400, mimetype="text/plain")
        body = json.dumps(situation_geojson(dataset, day, window), ensure_ascii=False)
        response = Response(body, mimetype="application/geo+json")
        name = f"sahel-atlas-situation-{day.isoformat()}.geojson"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    app.server.add_url_rule(prefix + CSV_PATH, "export-csv", csv_view)
    app.server.add_url_rule(prefix + GEOJSON_PATH, "export-geojson", geojson_view)

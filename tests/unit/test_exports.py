"""Exports: the window's events as CSV with their sources, the situation as GeoJSON."""

import csv
import io
from datetime import date

import pyarrow as pa
import pytest

from dashboard import exports, texts
from dashboard.exports import BadQuery, events_csv, safe_cell, situation_geojson, view_asked
from dashboard.store import Window


def test_the_csv_holds_the_window_events_newest_first_with_sources(dataset):
    day = date(2013, 1, 11)
    rows = list(csv.DictReader(io.StringIO(events_csv(dataset, day, Window(30)))))
    expected = dataset.events_in(date(2012, 12, 13), day)
    assert [r["event_id"] for r in rows] == [e.event_id for e in expected]
    konna = next(r for r in rows if r["event_id"] == "ML3-0001")
    assert konna["origin"] == "atlas" and konna["start"] == "2013-01-10"
    assert konna["sources"].count("http") == len(dataset.event("ML3-0001").sources)


def test_cumulative_window_exports_every_event_up_to_the_day(dataset):
    day = date(2013, 1, 11)
    rows = list(csv.DictReader(io.StringIO(events_csv(dataset, day, Window(None)))))
    assert len(rows) == len(dataset.events_in(date(1900, 1, 1), day))


def test_a_big_window_is_written_in_parts_that_make_the_same_csv(dataset, monkeypatch):
    day = date(2013, 1, 11)
    whole = events_csv(dataset, day, Window(None))
    monkeypatch.setattr(texts, "ROW_GROUP", 7)
    parts = list(exports.events_csv_parts(dataset, day, Window(None)))
    rows = len(dataset.events_in(date(1900, 1, 1), day))
    assert len(parts) == -(-rows // 7) and "".join(parts) == whole
    assert list(exports.events_csv_parts(dataset, date(2011, 1, 1), Window(1))) == [
        whole.split("\n", 1)[0] + "\n"  # no event: the header alone
    ]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_cell_that_looks_like_a_formula_stays_text(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("Gao") == "Gao" and safe_cell(3) == 3


def test_a_text_column_that_looks_like_a_formula_stays_text_cell_by_cell():
    values = ['=HYPERLINK("http://x")', "+1", "Gao", None, "-2+3", "@SUM(A1)", "\tx", "\rx", "a=b"]
    column = pa.chunked_array([values[:4], values[4:]])
    assert exports.safe_text(column).to_pylist() == [safe_cell(v) for v in values]


def test_the_csv_keeps_every_value_and_quotes_text_that_needs_it(dataset):
    day = date(2013, 1, 11)
    rows = list(csv.DictReader(io.StringIO(events_csv(dataset, day, Window(30)))))
    for row in rows:
        event = dataset.event(row["event_id"])
        assert row["location"] == safe_cell(event.location)
        assert (
            float(row["latitude"]) == event.latitude and float(row["longitude"]) == event.longitude
        )
        assert row["fatalities"] == ("" if event.fatalities is None else str(event.fatalities))
        assert row["notes"] == safe_cell(event.notes)


def test_the_geojson_has_every_town_with_its_holders_and_the_window_events(dataset):
    g = situation_geojson(dataset, date(2012, 8, 1), Window(30))
    towns = {f["properties"]["id"]: f for f in g["features"] if f["properties"]["kind"] == "town"}
    assert set(towns) == set(dataset.control_places)
    assert "mujao" in towns["gao"]["properties"]["holders"]
    assert towns["gao"]["properties"]["confidence"] in ("high", "medium", "low")
    events = [f for f in g["features"] if f["properties"]["kind"] == "event"]
    assert len(events) == len(dataset.events_in(date(2012, 7, 3), date(2012, 8, 1)))
    assert g["properties"] == {"date": "2012-08-01", "window": "30 days"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"date": "2012-13-45"}, "is not a day"),
        ({"date": "<script>"}, "is not a day"),
        ({"date": "1900-01-01"}, "outside the data"),
        ({"date": "2013-01-11", "window": "0"}, "is not 1 to 3650"),
        ({"date": "2013-01-11", "window": "abc"}, "is not 1 to 3650"),
        ({}, "is not a day"),
    ],
)
def test_a_bad_query_is_refused_with_its_reason(dataset, args, message):
    with pytest.raises(BadQuery, match=message):
        view_asked(args, dataset)


def test_a_cumulative_export_counts_from_its_start(dataset):
    day, window = view_asked(
        {"date": "2013-01-11", "window": "all", "start": "2012-06-01"}, dataset
    )
    assert window == Window(None, since=date(2012, 6, 1))
    rows = list(csv.DictReader(io.StringIO(events_csv(dataset, day, window))))
    assert rows and min(r["end"] for r in rows) >= "2012-06-01"
    assert len(rows) == len(dataset.events_in(date(2012, 6, 1), day))
    assert view_asked({"date": "2013-01-11", "start": "2012-06-01"}, dataset)[1].days is None
    with pytest.raises(BadQuery, match="start 'soon' is not a day"):
        view_asked({"date": "2013-01-11", "window": "all", "start": "soon"}, dataset)

"""The event filters on the store's columns, and the situation panel that follows them."""

from datetime import date

import numpy as np
import pytest

from dashboard.callbacks import _situation_asked
from dashboard.domain import Event, epoch_day
from dashboard.filters import EventFilter, notes_match, parse_filter, select
from dashboard.layout import make_situation
from dashboard.server import create_app
from dashboard.store import EventStore, Window, table_from_events

from .test_layout import find, text_of


def _event(n, event_type, groups, country, toll, *, geo=1, time=1, notes="", sub="Armed clash"):
    return Event(
        event_id=f"e{n}",
        event_date=date(2013, 1, 1 + n),
        end_date=None,
        event_type=event_type,
        sub_event_type=sub,
        actor1="",
        actor2="",
        country=country,
        admin1="Gao" if country == "Mali" else "Tillabéri",
        location="x",
        latitude=16.0,
        longitude=0.0,
        geo_precision=geo,
        fatalities=toll,
        notes=notes,
        sources=(),
        time_precision=time,
        group1=groups[0],
        group2=groups[1],
    )


@pytest.fixture
def store():
    """Six events of January 2013, one a day from the 2nd (rows 0-5 in date order)."""
    events = [
        _event(1, "Battles", ("fama", "mnla"), "Mali", 10, notes="Clashes near the CAMP"),
        _event(2, "Protests", ("", ""), "Mali", None, sub="Peaceful protest"),
        _event(3, "Violence against civilians", ("aqim", ""), "Niger", 3, geo=2),
        _event(4, "Battles", ("mnla", "aqim"), "Mali", 0, time=2, notes="camp raided"),
        _event(5, "Violence against civilians", ("aqim", ""), "Mali", 25, sub="Attack"),
        _event(6, "Battles", ("fama", ""), "Niger", 1, notes="a camp and a well"),
    ]
    return EventStore([table_from_events(events)])


ALL = np.arange(6)


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ({}, [0, 1, 2, 3, 4, 5]),
        ({"types": ["Battles"]}, [0, 3, 5]),
        ({"types": ["Battles", "Protests"]}, [0, 1, 3, 5]),
        ({"groups": ["mnla"]}, [0, 3]),  # either actor
        ({"groups": ["aqim"], "types": ["Battles"]}, [3]),
        ({"subtypes": ["Attack"], "countries": ["Mali"]}, [4]),
        ({"admin1": ["Tillabéri"]}, [2, 5]),
        ({"min_fatalities": 3}, [0, 2, 4]),  # an unknown toll is not "at least 3"
        ({"precision": "exact"}, [0, 1, 4, 5]),
        ({"q": "camp"}, [0, 3, 5]),  # case ignored
        ({"q": "CAMP well"}, [5]),  # every word
        ({"q": "camp", "types": ["Battles"], "countries": ["Niger"]}, [5]),
        ({"types": ["Picnics"]}, []),
    ],
)
def test_select_keeps_what_every_filter_keeps(store, asked, kept):
    assert select(store, ALL, parse_filter(asked)).tolist() == kept


def test_select_keeps_the_order_given(store):
    assert select(store, ALL[::-1], parse_filter({"types": ["Battles"]})).tolist() == [5, 3, 0]
    assert select(store, np.array([], dtype=np.int64), parse_filter({"q": "camp"})).tolist() == []


def test_notes_match_over_every_row_or_some(store):
    assert np.flatnonzero(notes_match(store, "camp")).tolist() == [0, 3, 5]
    assert notes_match(store, "camp", np.array([5, 1])).tolist() == [True, False]


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "types=Battles",
        [],
        {"types": "Battles"},
        {"types": [1, None, ""]},
        {"min_fatalities": -1},
        {"min_fatalities": True},
        {"min_fatalities": "5"},
        {"min_fatalities": 10**9},
        {"precision": "fuzzy"},
        {"q": 5},
        {"q": "   "},
    ],
)
def test_a_malformed_request_filters_nothing(raw):
    assert parse_filter(raw) == EventFilter()
    assert not parse_filter(raw).active


def test_parse_filter_reads_what_the_browser_sends():
    f = parse_filter(
        {"groups": ["aqim"], "min_fatalities": 4, "precision": "exact", "q": " a\n  b ", "x": 1}
    )
    assert f == EventFilter(groups=frozenset({"aqim"}), min_fatalities=4, exact=True, q="a b")
    assert f.active
    assert len(parse_filter({"q": "x" * 500}).q) == 100


def test_the_situation_panel_follows_the_filters(dataset):
    day = date(2013, 1, 11)
    shown = {"day": epoch_day(day), "window": 30, "filters": {"types": ["Battles"]}}
    asked_day, window, event_filter = _situation_asked(shown, 0, epoch_day(date(2030, 1, 1)))
    assert (asked_day, window) == (epoch_day(day), Window(30))
    store = dataset.events
    in_window = store.window(date(2012, 12, 13), day)
    codes, labels = store.codes("event_type")
    battles = [i for i in in_window.tolist() if labels[codes[i]] == "Battles"]
    assert 0 < len(battles) < len(in_window)
    panel = make_situation(dataset, day, window=window, event_filter=event_filter)
    assert text_of(panel[2]).endswith(f"({len(battles)} of {len(in_window)})")
    listed = [getattr(e, "data-event-id") for e in find(panel, "event")]
    assert sorted(listed) == sorted(store.event(i).event_id for i in battles)
    every = make_situation(dataset, day, window=window)
    assert text_of(every[2]).endswith(f"({len(in_window)})")
    # a filter that keeps nothing says so
    none = make_situation(dataset, day, event_filter=parse_filter({"types": ["Picnics"]}))
    assert text_of(none[2]).endswith(f"(0 of {len(in_window)})")
    assert "match the filters" in text_of(none[3])


def test_a_request_without_filters_filters_nothing():
    assert _situation_asked({"day": 5, "window": 7}, 0, 10)[2] == EventFilter()
    assert _situation_asked(5, 0, 10)[2] == EventFilter()


def test_the_notes_search_route_answers_row_indices(dataset):
    client = create_app(strict=True).server.test_client()
    answer = client.get("/data/search?q=Konna")
    assert answer.status_code == 200 and answer.mimetype == "application/octet-stream"
    rows = np.frombuffer(answer.data, "<i4")
    expected = [
        i for i in range(len(dataset.events)) if "konna" in dataset.events.event(i).notes.lower()
    ]
    assert 0 < len(rows) == len(expected) and rows.tolist() == expected
    assert client.get("/data/search?q=%20%20").status_code == 400
    assert client.get("/data/search?q=zzqxnotaword").data == b""


def test_the_situation_counts_a_cumulative_window_from_its_start():
    from dashboard.domain import from_epoch_day
    from dashboard.store import Window

    shown = {"day": 15716, "window": None, "since": 15500}
    day, window, _ = _situation_asked(shown, 0, 20000)
    assert window == Window(days=None, since=from_epoch_day(15500))
    # a start with a trailing window, or not a day, is no start
    assert _situation_asked({"day": 15716, "window": 7, "since": 15500}, 0, 20000)[1] == Window(7)
    assert _situation_asked({"day": 15716, "window": None, "since": "x"}, 0, 20000)[1] == Window(
        None
    )

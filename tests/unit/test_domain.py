from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data import load_dataset
from dashboard.domain import (
    KEY_PLACES,
    REQUIRED_SPAN,
    ControlPeriod,
    Event,
    adjacent_change,
    change_days,
    changes_between,
    control_on,
    coverage_problems,
    epoch_day,
    events_between,
    from_epoch_day,
    periods_of,
    window,
)
from tests.conftest import every_event

D = date.fromisoformat
SHIPPED = load_dataset()


def period(place, start, end, groups=("mali",), status="held"):
    return ControlPeriod(place, D(start), D(end) if end else None, groups, status, "high", ("s",))


def event(event_id, day, end=None, event_type="Battles", country="Mali"):
    return Event(
        event_id,
        D(day),
        D(end) if end else None,
        event_type,
        "Armed clash",
        "mali",
        "",
        country,
        "Gao",
        "Gao",
        16.27,
        -0.05,
        1,
        None,
        "",
        ("s",),
    )


GAO = [
    period("gao", "2012-01-01", "2012-03-31"),
    period("gao", "2012-03-31", "2012-06-28", ("mnla", "mujao"), "shared"),
    period("gao", "2012-06-28", None, ("mujao",)),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2011-12-31", None),
        ("2012-01-01", ("mali",)),
        ("2012-03-30", ("mali",)),
        ("2012-03-31", ("mnla", "mujao")),
        ("2012-06-27", ("mnla", "mujao")),
        ("2012-06-28", ("mujao",)),
        ("2030-01-01", ("mujao",)),
    ],
)
def test_control_on_small_table(day, expected):
    found = control_on(GAO, "gao", D(day))
    assert (found.groups if found else None) == expected
    assert control_on(GAO, "timbuktu", D(day)) is None


def _boundary_cases():
    """Every boundary of every shipped period: its first day, its last day, the day after."""
    for place in SHIPPED.control_places:
        periods = periods_of(SHIPPED.periods, place)
        for i, p in enumerate(periods):
            yield pytest.param(place, p.start, p, id=f"{place}-{p.start}-first")
            if p.end is not None:
                yield pytest.param(place, p.end - timedelta(days=1), p, id=f"{place}-{p.end}-last")
                following = periods[i + 1] if i + 1 < len(periods) else None
                yield pytest.param(place, p.end, following, id=f"{place}-{p.end}-after")
        yield pytest.param(place, periods[0].start - timedelta(days=1), None, id=f"{place}-before")


@pytest.mark.parametrize(("place", "day", "expected"), list(_boundary_cases()))
def test_control_on_every_shipped_boundary(place, day, expected):
    assert control_on(SHIPPED.periods, place, day) == expected


@pytest.mark.parametrize(
    ("place", "day", "holder"),
    [
        ("gao", "2012-08-01", "mujao"),
        ("timbuktu", "2012-08-01", "ansar-dine"),
        ("kidal", "2012-08-01", "ansar-dine"),
        ("konna", "2012-08-01", "mali"),
        ("konna", "2013-01-10", "ansar-dine"),
        ("gao", "2013-02-15", "mali"),
        ("timbuktu", "2013-02-15", "mali"),
    ],
)
def test_shipped_story_points(place, day, holder):
    assert control_on(SHIPPED.periods, place, D(day)).groups[0] == holder


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=REQUIRED_SPAN[0], max_value=REQUIRED_SPAN[1] - timedelta(days=1)))
def test_every_key_town_has_exactly_one_period_each_day(day):
    for place in KEY_PLACES:
        covering = [p for p in SHIPPED.periods if p.place == place and p.covers(day)]
        assert len(covering) == 1, (place, day, covering)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2012, 1, 1), max_value=date(2026, 12, 31)))
def test_shipped_places_never_have_two_periods_on_one_day(day):
    for place in SHIPPED.control_places:
        assert sum(p.covers(day) for p in SHIPPED.periods if p.place == place) <= 1


def test_coverage_problems_finds_gap_overlap_and_uncovered_days():
    gap = [period("x", "2012-01-01", "2012-02-01"), period("x", "2012-02-05", None)]
    overlap = [period("x", "2012-01-01", "2012-03-01"), period("x", "2012-02-01", None)]
    short = [period("x", "2012-02-01", "2013-06-01")]
    assert "gap" in coverage_problems(gap)[0][1]
    assert "overlaps" in coverage_problems(overlap)[0][1]
    reasons = [r for _, r in coverage_problems(short, REQUIRED_SPAN)]
    assert any("nothing covers 2012-01-01" in r for r in reasons)
    assert any("nothing covers 2013-06-01" in r for r in reasons)
    assert coverage_problems(GAO) == []


def test_change_days_skip_each_places_first_period():
    assert change_days(GAO) == [D("2012-03-31"), D("2012-06-28")]
    changes = change_days(GAO)
    assert adjacent_change(changes, D("2012-03-31"), 1) == D("2012-06-28")
    assert adjacent_change(changes, D("2012-03-31"), -1) is None
    assert adjacent_change(changes, D("2012-05-01"), -1) == D("2012-03-31")
    assert adjacent_change(changes, D("2012-06-28"), 1) is None
    assert [p.start for p in changes_between(GAO, D("2012-01-01"), D("2012-04-30"))] == [
        D("2012-03-31")
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2013-01-01", "2013-01-31", ["c", "b", "a"]),
        ("2013-01-11", "2013-01-11", ["b"]),  # b lasts 10-12 Jan
        ("2013-01-13", "2013-01-19", []),
        ("2012-12-01", "2013-01-01", ["a"]),
    ],
)
def test_events_between_overlapping_span_newest_first(start, end, expected):
    events = [
        event("a", "2013-01-01"),
        event("b", "2013-01-10", "2013-01-12"),
        event("c", "2013-01-20"),
    ]
    assert [e.event_id for e in events_between(events, D(start), D(end))] == expected


def test_events_between_filters_types_and_countries():
    events = [
        event("a", "2013-01-01"),
        event("b", "2013-01-02", event_type="Riots", country="Niger"),
    ]
    span = (D("2013-01-01"), D("2013-01-31"))
    assert [e.event_id for e in events_between(events, *span, event_types=["Riots"])] == ["b"]
    assert [e.event_id for e in events_between(events, *span, countries=["Mali"])] == ["a"]


def test_window_and_epoch_days():
    assert window(D("2013-01-30"), 30) == (D("2013-01-01"), D("2013-01-30"))
    assert epoch_day(D("1970-01-02")) == 1
    assert from_epoch_day(epoch_day(D("2013-01-11"))) == D("2013-01-11")


@pytest.mark.parametrize(
    "day", ["2011-01-01", "2012-03-31", "2013-01-11", "2013-02-20", "2014-01-01"]
)
@pytest.mark.parametrize("days", [1, 30, 400])
def test_dataset_events_in_matches_a_full_scan(day, days):
    start, end = window(D(day), days)
    assert SHIPPED.events_in(start, end) == events_between(every_event(SHIPPED), start, end)

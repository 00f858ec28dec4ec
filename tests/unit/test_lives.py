"""The group-life rule: partial dates, the domain check, the loader and the shipped data."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from dashboard.data import GEODATA, DatasetError, load_dataset
from dashboard.domain import ControlPeriod, Group, outside_life, partial_date_span
from dashboard.lives import TOLERANCE_DAYS, event_problems, life_problem, period_problems
from tests.conftest import every_event


def _group(founded="", ended="", gid="g"):
    return Group(gid, "A group", "G", "rebel", "#123456", founded=founded, ended=ended)


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2013", date(2013, 1, 1), date(2013, 12, 31)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),
        ("2013-05-19", date(2013, 5, 19), date(2013, 5, 19)),
    ],
)
def test_a_partial_date_spans_its_year_month_or_day(value, first, last):
    assert partial_date_span(value) == (first, last)


@pytest.mark.parametrize("value", ["13", "2013-5", "2013-02-30", "2013/05/19", "May 2013"])
def test_a_bad_partial_date_is_refused(value):
    with pytest.raises(ValueError):
        partial_date_span(value)


@pytest.mark.parametrize(
    ("founded", "ended", "first", "last", "expected"),
    [
        ("2014-10-28", "", date(2014, 10, 28), date(2015, 1, 1), None),
        ("2014-10-28", "", date(2014, 10, 21), date(2015, 1, 1), None),
        ("2014-10-28", "", date(2014, 10, 20), date(2015, 1, 1), "did not exist on 2014-10-20"),
        ("2014-10-28", "", date(2013, 7, 5), date(2013, 8, 1), "(founded 2014-10-28)"),
        ("2011", "2013-08-22", date(2011, 1, 1), date(2013, 8, 29), None),
        ("2011", "2013-08-22", date(2013, 1, 1), date(2013, 8, 30), "no longer existed on"),
        ("2011", "2013-08-22", date(2014, 10, 3), date(2014, 10, 3), "on 2014-10-03 (ended"),
        ("", "2013-05", date(2013, 6, 7), date(2013, 6, 7), None),
        ("", "2013-05", date(2013, 6, 8), date(2013, 6, 8), "(ended 2013-05)"),
        ("", "", date(1900, 1, 1), date(2100, 1, 1), None),
    ],
)
def test_outside_life_allows_a_week_either_side(founded, ended, first, last, expected):
    reason = outside_life(_group(founded, ended), first, last, TOLERANCE_DAYS)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


@pytest.mark.parametrize(
    ("founded", "ended", "expected"),
    [
        ("2013-05-02", "2024-11-30", None),
        ("2013", "", None),
        ("", "2017-03-02", None),
        ("2013-13", "", "bad founded '2013-13'"),
        ("2013", "02/03/2017", "bad ended"),
        ("2014-10-28", "2013-05", "ended 2013-05 is before founded 2014-10-28"),
    ],
)
def test_life_problem_checks_the_dates_and_their_order(founded, ended, expected):
    reason = life_problem(founded, ended)
    assert reason == expected if expected is None else expected in reason


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    return Path(shutil.copytree(GEODATA, tmp_path / "geodata"))


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(prefix))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_planted_anachronistic_period_is_found_at_its_line(geodata_copy):
    control = geodata_copy / "control.csv"
    line = _line_of(control, "kidal,2013-07-05,2014-05-17,")
    _replace(control, "kidal,2013-07-05,2014-05-17,mnla;hcua;", "kidal,2013-07-05,2014-05-17,cma;")
    with pytest.raises(DatasetError) as caught:
        load_dataset(geodata_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"control.csv:{line}: cma did not exist on 2013-07-05 (founded 2014-10-28)"
    ]


def test_a_planted_anachronistic_event_is_found_by_alias_at_its_line(geodata_copy):
    events = geodata_copy / "events.csv"
    line = _line_of(events, "ML3-0001,")
    prefix = "ML3-0001,2013-01-10,,Battles,Non-state actor overtakes territory,"
    _replace(events, prefix + "ansar-dine,", prefix + "Azawad Liberation Front,")
    with pytest.raises(DatasetError) as caught:
        load_dataset(geodata_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"events.csv:{line}: ML3-0001: fla did not exist on 2013-01-10 (founded 2024-11-30)"
    ]


def test_a_group_that_ended_is_reported_in_an_ongoing_period():
    mnla = _group("2011", "2024-11-30", "mnla")
    period = ControlPeriod("kidal", date(2023, 11, 14), None, ("mnla",), "held", "high", ("s",))
    period_line = [(7, period)]
    assert period_problems(period_line, {"mnla": mnla}, today=date(2025, 6, 1)) == [
        (7, "mnla no longer existed on 2024-12-01 (ended 2024-11-30)")
    ]


def test_the_shipped_data_names_every_group_within_its_life(dataset):
    groups = dataset.groups
    assert all(g.founded for g in groups.values()), "every group has a sourced founding"
    periods = [(0, p) for p in dataset.periods]
    events = [(0, e) for e in every_event(dataset)]
    assert period_problems(periods, groups) == []
    assert event_problems(events, groups, dataset.group_ids_for) == []
    ended = {g.id for g in groups.values() if g.ended}
    assert {"mia", "mujao", "mulathamun", "ansar-dine", "mourabitoun", "afisma"} <= ended


def test_a_bad_date_of_life_in_groups_csv_is_reported_at_its_line(geodata_copy):
    groups = geodata_copy / "groups.csv"
    line = _line_of(groups, "mia,")
    _replace(groups, ",2013-01-24,2013-05-19,", ",2013-01-24,2012-05-19,")
    with pytest.raises(DatasetError) as caught:
        load_dataset(geodata_copy)
    assert f"groups.csv:{line}: ended 2012-05-19 is before founded 2013-01-24" in [
        str(p) for p in caught.value.problems
    ]

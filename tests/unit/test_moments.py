from datetime import date
from pathlib import Path

import pytest

from dashboard.data import GEODATA, DatasetError, load_dataset
from dashboard.domain import Source
from dashboard.moments import MAX_CAPTION, Moment, load_moments

HEADER = "id,date,title,caption,lat,lon,zoom,window,events,sources"
GOOD = (
    "gao-falls,2012-06-28,Gao falls,MUJAO drives the MNLA out of Gao.,16.2667,-0.05,7,30,E1,src-a"
)
LATER = "konna,2013-01-10,Konna,Islamists take Konna.,14.9467,-3.8933,7.5,all,,src-a;src-b"
KNOWN_SOURCES = {
    s: Source(s, f"Report {s}", "Agency", date(2013, 1, 10), f"https://example.org/{s}")
    for s in ("src-a", "src-b")
}
KNOWN_EVENTS = {"E1", "E2"}


def _load(folder: Path, *rows: str) -> tuple[list[Moment], list[str]]:
    path = folder / "moments.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    problems = []
    moments = load_moments(path, KNOWN_SOURCES, KNOWN_EVENTS, problems)
    return moments, [str(p) for p in problems]


def test_shipped_moments_load_with_no_problem(dataset):
    problems = []
    moments = load_moments(
        GEODATA / "moments.csv",
        dataset.sources,
        {e for e in dataset.events.table.column("event_id").to_pylist()},
        problems,
    )
    assert problems == []
    assert tuple(moments) == dataset.moments
    assert len(moments) >= 20
    assert moments[0].date.year == 2011 and moments[-1].date.year == 2025
    assert [m.date for m in moments] == sorted(m.date for m in moments)
    assert len({m.id for m in moments}) == len(moments)
    for m in moments:
        assert m.sources and set(m.sources) <= set(dataset.sources), m.id
        assert all(dataset.event(e) is not None for e in m.events), m.id
        assert m.title and 0 < len(m.caption) <= MAX_CAPTION, m.id


def test_shipped_moments_show_the_events_they_name(dataset):
    """Each event a moment is about falls in the window of events the map shows then."""
    first = dataset.events.event(0).event_date
    for m in dataset.moments:
        start, end = m.event_window.span(m.date, first)
        for event_id in m.events:
            event = dataset.event(event_id)
            assert event.event_date <= end and (event.end_date or event.event_date) >= start, (
                m.id,
                event_id,
            )


def test_good_rows_load_with_every_field(tmp_path):
    moments, problems = _load(tmp_path, GOOD, LATER)
    assert problems == []
    assert moments == [
        Moment(
            "gao-falls",
            date(2012, 6, 28),
            "Gao falls",
            "MUJAO drives the MNLA out of Gao.",
            16.2667,
            -0.05,
            7.0,
            30,
            ("E1",),
            ("src-a",),
        ),
        Moment(
            "konna",
            date(2013, 1, 10),
            "Konna",
            "Islamists take Konna.",
            14.9467,
            -3.8933,
            7.5,
            None,
            (),
            ("src-a", "src-b"),
        ),
    ]
    assert moments[0].event_window.span(date(2012, 6, 28), date(2011, 1, 1)) == (
        date(2012, 5, 30),
        date(2012, 6, 28),
    )
    assert moments[1].event_window.span(date(2013, 1, 10), date(2011, 1, 1)) == (
        date(2011, 1, 1),
        date(2013, 1, 10),
    )


def _bad(old: str, new: str, row: str = LATER) -> str:
    assert old in row, f"{old!r} not in {row!r}"
    return row.replace(old, new, 1)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_bad("2013-01-10", "2013-02-30"), "bad date: '2013-02-30'"),
        (_bad("2013-01-10", "10/01/2013"), "bad date"),
        (_bad(",Konna,", ",,"), "title and caption are required"),
        (_bad("Islamists take Konna.", ""), "title and caption are required"),
        (
            _bad("Islamists take Konna.", "x" * (MAX_CAPTION + 1)),
            f"caption has {MAX_CAPTION + 1} characters",
        ),
        (_bad("14.9467,-3.8933", "94.9467,-3.8933"), "coordinates out of range"),
        (_bad("14.9467,-3.8933", "14.9467,east"), "bad lon"),
        (_bad(",7.5,", ",19,"), "zoom 19.0 is outside 0-18"),
        (_bad(",7.5,", ",-1,"), "zoom -1.0 is outside 0-18"),
        (_bad(",7.5,", ",far,"), "bad zoom"),
        (_bad(",all,", ",0,"), "bad window"),
        (_bad(",all,", ",-3,"), "bad window"),
        (_bad(",all,", ",2.5,"), "bad window"),
        (_bad(",all,", ",soon,"), "bad window"),
        (_bad(",all,,", ",all,E9,"), "unknown event id(s): E9"),
        (_bad(",src-a;src-b", ",src-a;src-zz"), "unknown source id(s): src-zz"),
        (_bad(",src-a;src-b", ","), "cites no source"),
        (_bad("konna,", "Konna Falls,"), "bad id 'Konna Falls'"),
        (_bad("konna,", "gao-falls,"), "duplicate id 'gao-falls' (first on line 2)"),
        (_bad("2013-01-10", "2012-06-27"), "comes before 2012-06-28: keep moments in date order"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_line_and_good_rows_still_load(
    tmp_path, row, reason
):
    moments, problems = _load(tmp_path, GOOD, row)
    assert len(problems) == 1 and problems[0].startswith("moments.csv:3: "), problems
    assert reason in problems[0], problems
    assert [m.id for m in moments] == ["gao-falls"]


def test_bad_and_good_rows_interleaved_keep_their_lines(tmp_path):
    moments, problems = _load(
        tmp_path,
        'early,2012-01-17,Ménaka,"The rebellion\nbegins.",15.9,2.4,6,30,,src-a',
        _bad(",all,", ",never,"),
        GOOD,
        _bad(",src-a;src-b", ",src-q"),
        LATER,
    )
    assert problems == [
        "moments.csv:4: bad window (days > 0 or 'all'): 'never'",
        "moments.csv:6: unknown source id(s): src-q",
    ]
    assert [m.id for m in moments] == ["early", "gao-falls", "konna"]
    assert moments[0].caption == "The rebellion\nbegins."


def test_missing_column_and_ragged_rows_are_reported(tmp_path):
    path = tmp_path / "moments.csv"
    path.write_text(HEADER.replace(",window", "") + "\n" + GOOD + "\n", encoding="utf-8")
    problems = []
    assert load_moments(path, KNOWN_SOURCES, KNOWN_EVENTS, problems) == []
    assert [str(p) for p in problems] == ["moments.csv:1: missing column(s): window"]

    moments, problems = _load(tmp_path, GOOD + ",extra", "konna,2013-01-10,Konna", LATER)
    assert problems == [
        "moments.csv:2: 11 field(s), the header has 10",
        "moments.csv:3: 3 field(s), the header has 10",
    ]
    assert [m.id for m in moments] == ["konna"]


def test_a_data_folder_without_moments_loads_with_none(tiny):
    assert load_dataset(tiny).moments == ()


def test_load_dataset_reports_bad_moments_and_keeps_the_good_when_lenient(tiny):
    bad_source = _bad(",src-a;src-b", ",src-b", LATER)
    (tiny / "moments.csv").write_text(f"{HEADER}\n{GOOD}\n{bad_source}\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"moments.csv:3: unknown source id\(s\): src-b"):
        load_dataset(tiny)
    data = load_dataset(tiny, strict=False)
    assert [m.id for m in data.moments] == ["gao-falls"]
    assert [str(p) for p in data.problems] == ["moments.csv:3: unknown source id(s): src-b"]

from pathlib import Path

import pytest

from dashboard.data import DatasetError, load_dataset
from tests.conftest import every_event

SOURCES = """id,title,publisher,published,url
src-a,A report,Agency,2013-01-10,https://example.org/a
"""
GROUPS = """id,name,short_name,kind,color,aliases
mali,Malian forces,FAMa,state,#332288,Government of Mali|FAMa
mujao,Movement for Oneness and Jihad in West Africa,MUJAO,jihadist,#882255,MUJAO
"""
PLACES = """id,name,name_fr,lat,lon,country_iso3,kind,source
gao,Gao,Gao,16.2667,-0.05,MLI,city,src-a
"""
CONTROL = """place,start,end,groups,status,confidence,sources,note
gao,2012-01-01,2012-06-28,mali,held,high,src-a,
gao,2012-06-28,,mujao,held,high,src-a,
"""
EVENTS = """event_id,event_date,end_date,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,fatalities,notes,sources
E1,2012-06-26,2012-06-27,Battles,Armed clash,mujao,mnla,Mali,Gao,Gao,16.2667,-0.05,1,35,Battle of Gao,src-a
E2,2013-01-16,,Violence against civilians,Abduction/forced disappearance,Unidentified armed group,Civilians,Algeria,Illizi,In Amenas,28.04,9.54,2,,Hostages,src-a
"""


def test_shipped_data_loads_strictly_with_no_problem(dataset):
    assert dataset.problems == ()
    assert len(dataset.events) >= 60
    assert len({e.country for e in every_event(dataset)} - {"Mali"}) == 3
    assert sum(e.country != "Mali" for e in every_event(dataset)) >= 6
    assert all(e.sources for e in every_event(dataset))
    assert all(p.sources and p.confidence for p in dataset.periods)
    assert {"gao", "timbuktu", "kidal", "konna"} <= set(dataset.control_places)
    assert len(dataset.places) >= 12


def test_shipped_sources_are_all_defined_and_unknown_tolls_stay_empty(dataset):
    cited = {s for e in every_event(dataset) for s in e.sources} | {
        s for p in dataset.periods for s in p.sources
    }
    assert cited <= set(dataset.sources)
    assert any(e.fatalities is None for e in every_event(dataset))


def test_tiny_folder_loads(tiny):
    data = load_dataset(tiny)
    assert [e.event_id for e in every_event(data)] == ["E1", "E2"]
    assert data.events.event(1).fatalities is None
    assert data.group_ids_for("Government of Mali") == ("mali",)
    assert data.group_ids_for("fama") == ("mali",)
    assert data.group_ids_for("Civilians") == ()


def _break(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, name: str, row: str) -> None:
    with open(folder / name, "a", encoding="utf-8") as fh:
        fh.write(row + "\n")


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "reason"),
    [
        (
            "control.csv",
            "gao,2012-06-28,,mujao",
            "gao,2012-06-28,,aqim",
            "control.csv:3",
            "unknown group id(s): aqim",
        ),
        (
            "control.csv",
            "gao,2012-06-28,,mujao",
            "gao,2012-06-20,,mujao",
            "control.csv:3",
            "overlaps",
        ),
        ("control.csv", "gao,2012-06-28,,mujao", "gao,2012-07-05,,mujao", "control.csv:3", "gap"),
        (
            "control.csv",
            "gao,2012-01-01,2012-06-28",
            "gao,2012-02-01,2012-06-28",
            "control.csv:2",
            "nothing covers 2012-01-01",
        ),
        (
            "control.csv",
            "gao,2012-06-28,,mujao",
            "gao,2012-06-31,,mujao",
            "control.csv:3",
            "bad start date",
        ),
        (
            "control.csv",
            "held,high,src-a,\ngao,2012-06-28",
            "held,high,,\ngao,2012-06-28",
            "control.csv:2",
            "cites no source",
        ),
        (
            "control.csv",
            "mujao,held,high,src-a",
            "mujao,held,high,src-zz",
            "control.csv:3",
            "unknown source id(s): src-zz",
        ),
        ("control.csv", "mujao,held,high", "mujao,owned,high", "control.csv:3", "bad status"),
        ("control.csv", "mujao,held,high", "mujao,held,sure", "control.csv:3", "bad confidence"),
        (
            "control.csv",
            "gao,2012-06-28,,mujao",
            "timbuktu,2012-06-28,,mujao",
            "control.csv:3",
            "unknown place",
        ),
        (
            "events.csv",
            "E1,2012-06-26,2012-06-27",
            "E1,26/06/2012,2012-06-27",
            "events.csv:2",
            "bad event_date",
        ),
        (
            "events.csv",
            "E1,2012-06-26,2012-06-27",
            "E1,2012-06-26,2012-06-20",
            "events.csv:2",
            "before event_date",
        ),
        (
            "events.csv",
            "16.2667,-0.05,1,35",
            "36.2667,-0.05,1,35",
            "events.csv:2",
            "is not in Mali",
        ),
        (
            "events.csv",
            "16.2667,-0.05,1,35",
            "16.2667,-0.05,1,-3",
            "events.csv:2",
            "cannot be negative",
        ),
        (
            "events.csv",
            "16.2667,-0.05,1,35",
            "16.2667,-0.05,1,many",
            "events.csv:2",
            "bad fatalities",
        ),
        (
            "events.csv",
            "Battles,Armed clash",
            "Battles,Suicide bomb",
            "events.csv:2",
            "is not a kind of Battles",
        ),
        (
            "events.csv",
            "Battles,Armed clash",
            "Fights,Armed clash",
            "events.csv:2",
            "unknown event_type",
        ),
        ("events.csv", "Battle of Gao,src-a", "Battle of Gao,", "events.csv:2", "cites no source"),
        ("events.csv", "Algeria,Illizi", "Chad,Illizi", "events.csv:3", "is not one of"),
        ("events.csv", "E2,2013-01-16", "E1,2013-01-16", "events.csv:3", "duplicate id 'E1'"),
        ("places.csv", "16.2667,-0.05,MLI", "16.2667,-0.05,NER", "places.csv:2", "is not in NER"),
        ("groups.csv", "#882255", "red", "groups.csv:3", "bad color"),
        ("sources.csv", "https://example.org/a", "example.org/a", "sources.csv:2", "bad url"),
    ],
)
def test_each_kind_of_problem_is_reported_with_file_and_line(tiny, name, old, new, where, reason):
    _break(tiny, name, old, new)
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(where + ":") and reason in m for m in messages), messages
    assert where in str(caught.value)


def test_a_group_citing_an_unknown_source_is_reported(tiny):
    (tiny / "groups.csv").write_text(
        GROUPS.replace("aliases\n", "aliases,sources\n")
        .replace("FAMa\n", "FAMa,src-a\n")
        .replace("MUJAO\n", "MUJAO,src-a;src-zz\n"),
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("groups.csv:3:") and "src-zz" in m for m in messages), messages
    lenient = load_dataset(tiny, strict=False)
    assert lenient.groups["mali"].sources == ("src-a",) and "mujao" not in lenient.groups


def test_missing_column_and_ragged_rows_are_reported(tiny):
    _append(tiny, "events.csv", "E9,2013-01-01,,Battles")
    _append(
        tiny,
        "events.csv",
        "E10,2013-01-01,,Battles,Armed clash,mali,,Mali,Gao,Gao,16.2,-0.05,1,,x,src-a,extra",
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "events.csv:4: 4 field(s), the header has 16",
        "events.csv:5: 17 field(s), the header has 16",
    ]
    # a missing column makes the whole file unreadable: the start stops, strict or not
    (tiny / "sources.csv").write_text(SOURCES.replace("publisher,", ""), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny, strict=False)
    assert [str(p) for p in caught.value.problems] == [
        "sources.csv:1: missing column(s): publisher"
    ]


def test_every_problem_is_listed_at_once(tiny):
    _break(tiny, "groups.csv", "#882255", "red")
    _break(tiny, "events.csv", "E1,2012-06-26", "E1,2012-13-26")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny)
    assert len(caught.value.problems) >= 3  # bad color, then mujao unknown in control, bad date


def test_lenient_mode_keeps_good_rows_and_reports_the_bad(tiny):
    _append(
        tiny,
        "events.csv",
        "E3,2013-02-30,,Battles,Armed clash,mali,,Mali,Gao,Gao,16.2,-0.05,1,,x,src-a",
    )
    data = load_dataset(tiny, strict=False)
    assert [e.event_id for e in every_event(data)] == ["E1", "E2"]
    assert [str(p) for p in data.problems] == ["events.csv:4: bad event_date: '2013-02-30'"]


def test_multiline_fields_keep_line_numbers_right(tiny):
    _break(tiny, "events.csv", "Battle of Gao", '"Battle\nof Gao"')
    _append(
        tiny,
        "events.csv",
        "E3,2013-01-01,,Battles,Armed clash,mali,,Mali,Gao,Gao,16.2,-0.05,9,,x,src-a",
    )
    data = load_dataset(tiny, strict=False)
    assert [str(p) for p in data.problems] == [
        "events.csv:5: geo_precision must be 1, 2 or 3, not 9"
    ]


def test_missing_file_is_a_problem(tiny):
    (tiny / "events.csv").unlink()
    with pytest.raises(DatasetError, match="events.csv:0: file is missing"):
        load_dataset(tiny)


def test_events_are_found_by_id(dataset):
    assert dataset.event("ML3-0001").location == "Konna"
    assert dataset.event("nope") is None


def test_sorting_column_by_column_gives_the_store_order(dataset):
    import pyarrow as pa
    import pyarrow.compute as pc

    from dashboard.store import SORT_KEYS, sort_events

    table = dataset.events.table
    shuffled = table.take(pa.array(list(range(table.num_rows))[::-1]))
    resorted = sort_events(shuffled)
    assert resorted.equals(table)
    assert pc.sort_indices(resorted, sort_keys=SORT_KEYS).to_pylist() == list(range(len(table)))

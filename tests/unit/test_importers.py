from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.data import GEODATA
from dashboard.domain import Group
from dashboard.importers import IMPORTER_VERSION, detect_format, import_events
from dashboard.importers._columns import days
from dashboard.importers.actors import alias_index, distinct_colors, match_actor, name_forms
from dashboard.importers.report import ImportReport
from dashboard.schema import EVENT_SCHEMA
from dashboard.store import EventStore, conform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
LAYOUTS = {
    "acled_current.csv": "acled",
    "acled_population.csv": "acled",
    "acled_numeric_inter.csv": "acled",
    "acled_pre2023.csv": "acled",
    "acled_hdx.csv": "acled",
    "acled_malformed.csv": "acled",
    "ucdp_ged.csv": "ucdp",
    "ucdp_candidate.csv": "ucdp",
    "atlas_events.csv": "atlas",
}


def rows_by_id(result):
    return {row["event_id"]: row for row in result.table.to_pylist()}


def imported(name, **kwargs):
    return import_events(FIXTURES / name, **kwargs)


@pytest.mark.parametrize(("name", "fmt"), LAYOUTS.items())
def test_format_is_told_from_the_header(name, fmt):
    assert detect_format(FIXTURES / name) == fmt


def test_an_unknown_header_is_refused_naming_its_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("when,where,who\n2012-01-01,Gao,someone\n", encoding="utf-8")
    with pytest.raises(ValueError, match="its columns are: when, where, who"):
        detect_format(path)
    with pytest.raises(ValueError, match="when, where, who"):
        import_events(path)


def test_the_format_can_be_forced_and_must_exist():
    forced = imported("atlas_events.csv", fmt="acled")
    assert forced.report.error and "event_id_cnty" in forced.report.error
    with pytest.raises(ValueError, match="unknown format 'excel'"):
        imported("atlas_events.csv", fmt="excel")


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_fixture_gives_exactly_the_event_schema(name):
    result = imported(name)
    assert result.table.schema == EVENT_SCHEMA
    assert conform(result.table).equals(result.table)
    assert len(EventStore([result.table])) == result.report.imported > 0
    assert result.report.rows_read == result.report.imported + len(result.report.rejected)
    assert isinstance(IMPORTER_VERSION, int)


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("acled_current.csv", "2012-03-31"),
        ("acled_numeric_inter.csv", "31 March 2012"),
        ("acled_pre2023.csv", "31-03-2012"),
    ],
)
def test_each_acled_date_style_gives_the_same_day(name, written):
    assert written in (FIXTURES / name).read_text(encoding="utf-8")
    event = rows_by_id(imported(name))["MLI90001"]
    assert event["start"] == event["end"] == date(2012, 3, 31)
    assert event["origin"] == "acled"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2012-03-31", date(2012, 3, 31)),
        ("2012-3-1", date(2012, 3, 1)),
        ("31 March 2012", date(2012, 3, 31)),
        ("1 march 2012", date(2012, 3, 1)),
        ("01 Sep 2012", date(2012, 9, 1)),
        ("31-03-2012", date(2012, 3, 31)),
        ("29/02/2012", date(2012, 2, 29)),
        ("2012-03-31 00:00:00.000", date(2012, 3, 31)),
        ("2012-02-30", None),
        ("29-02-2011", None),
        ("31 Foo 2012", None),
        ("March 2012", None),
        ("2012-13-01", None),
        ("", None),
    ],
)
def test_dates_are_parsed_or_refused(text, day):
    values, valid = days(pa.array([text]))
    assert bool(valid[0]) == (day is not None)
    if day is not None:
        assert date(1970, 1, 1).toordinal() + int(values[0]) == day.toordinal()


def test_hxl_tag_row_is_skipped_not_rejected_and_lines_stay_right(tmp_path):
    result = imported("acled_hdx.csv")
    assert result.report.skipped == [(2, "HXL hashtag row")]
    assert result.report.rejected == [] and result.report.imported == 2
    text = (FIXTURES / "acled_hdx.csv").read_text(encoding="utf-8")
    path = tmp_path / "hdx.csv"
    path.write_text(text.replace("MLI90001,2012-03-31", "MLI90001,2012-03-32"), encoding="utf-8")
    assert import_events(path).report.rejected == [(3, "bad event_date: '2012-03-32'")]


def test_text_and_numeric_interactions_read_the_same():
    text = rows_by_id(imported("acled_current.csv"))
    numeric = rows_by_id(imported("acled_numeric_inter.csv"))
    assert numeric["MLI90001"]["interaction"] == "State forces-Rebel group"
    assert numeric["NER90002"]["interaction"] == "Political militia-Civilians"
    assert numeric["MRT90003"]["interaction"] == "Protesters only"
    for event_id, row in numeric.items():
        assert row["interaction"] == text[event_id]["interaction"]
    pre = rows_by_id(imported("acled_pre2023.csv"))
    assert pre["DZA90004"]["interaction"] == "State forces-Rebel group"


def test_acled_columns_are_kept_and_unknown_tolls_stay_unknown():
    events = rows_by_id(imported("acled_current.csv"))
    mli, ner, dza = events["MLI90001"], events["NER90002"], events["DZA90004"]
    assert mli["notes"] == 'Fictional test event: fighting near the "camp", two sides, one report.'
    assert ner["notes"] == "Fictional test event, first line.\nSecond line of the note."
    assert (mli["fatalities"], dza["fatalities"]) == (12, None)
    assert (ner["time_precision"], ner["geo_precision"]) == (2, 2)
    assert events["MRT90003"]["time_precision"] == 3
    assert (mli["where_prec"], mli["date_prec"]) == (None, None)
    assert mli["source_text"] == "Test Wire" and mli["source_ids"] == ""
    assert (mli["latitude"], mli["longitude"]) == (16.2667, -0.05)


@pytest.mark.parametrize("name", ["acled_current.csv", "acled_pre2023.csv", "acled_population.csv"])
def test_iso3_comes_from_iso3_or_the_numeric_code(name):
    events = rows_by_id(imported(name))
    assert events["MLI90001"]["iso3"] == "MLI" and events["NER90002"]["iso3"] == "NER"


@pytest.mark.parametrize(
    ("event_id", "geo", "time", "where_prec", "date_prec"),
    [
        ("900001", 1, 1, 1, 1),
        ("900002", 2, 2, 2, 2),
        ("900003", 3, 3, 4, 4),
        ("900004", 3, 3, 6, 5),
    ],
)
def test_ucdp_precision_is_kept_and_mapped_to_acled_scale(
    event_id, geo, time, where_prec, date_prec
):
    event = rows_by_id(imported("ucdp_ged.csv"))[event_id]
    assert (event["geo_precision"], event["time_precision"]) == (geo, time)
    assert (event["where_prec"], event["date_prec"]) == (where_prec, date_prec)


def test_ucdp_span_toll_range_types_and_sources():
    events = rows_by_id(imported("ucdp_ged.csv"))
    clash, feud, massacre = events["900001"], events["900002"], events["900003"]
    assert (feud["start"], feud["end"]) == (date(2016, 8, 10), date(2016, 8, 14))
    assert (clash["fatalities"], clash["fatalities_low"], clash["fatalities_high"]) == (40, 38, 45)
    assert (massacre["fatalities"], massacre["fatalities_low"]) == (None, None)
    assert [e["event_type"] for e in (clash, feud, massacre)] == [
        "State-based conflict",
        "Non-state conflict",
        "One-sided violence",
    ]
    assert (clash["actor1"], clash["actor2"]) == ("Government of Mali", "JNIM")
    assert clash["source_text"] == (
        '"Test Wire,2019-10-01,Fictional test article" | Fictional headline, with a comma'
    )
    assert massacre["source_text"] == "Fictional headline only"
    assert (clash["location"], clash["admin1"], clash["iso3"]) == (
        "Boulkessi town",
        "Mopti region",
        "MLI",
    )
    assert all(e["origin"] == "ucdp" for e in events.values())


def test_ucdp_candidate_dates_with_a_time_of_day():
    events = rows_by_id(imported("ucdp_candidate.csv"))
    assert events["1100002"]["start"] == date(2025, 8, 10)
    assert events["1100002"]["end"] == date(2025, 8, 14)


def test_ucdp_end_before_start_and_bad_type_are_rejected(tmp_path):
    text = (FIXTURES / "ucdp_ged.csv").read_text(encoding="utf-8")
    text = text.replace("2016-08-10,2016-08-14", "2016-08-14,2016-08-10")
    text = text.replace("900004,TEST-900004,2010,1,Clear,1,", "900004,TEST-900004,2010,1,Clear,4,")
    path = tmp_path / "ged.csv"
    path.write_text(text, encoding="utf-8")
    report = import_events(path).report
    assert report.rejected == [
        (3, "date_end 2016-08-10 is before date_start 2016-08-14"),
        (5, "type_of_violence must be 1, 2 or 3, not '4'"),
    ]


def test_malformed_rows_are_rejected_at_their_physical_line_and_good_rows_load():
    result = imported("acled_malformed.csv")
    lines = [line for line, _ in result.report.rejected]
    assert lines == [4, 5, 6, 7, 9, 14]
    reasons = dict(result.report.rejected)
    assert reasons[4] == "bad event_date: '2012-02-30'"
    assert reasons[5] == "latitude out of range: 95.5"
    assert reasons[6] == "non-numeric fatalities: 'many'"
    assert reasons[7].startswith("unterminated quote")
    assert reasons[9] == "6 field(s), the header has 31"
    assert reasons[14] == "32 field(s), the header has 31"
    events = rows_by_id(result)
    assert sorted(events) == ["MLI90101", "MLI90106", "MLI90108", "MLI90109", "MLI90111"]
    assert events["MLI90108"]["notes"] == 'Fictional good row three, "quoted",\nover\nthree lines.'
    assert events["MLI90109"]["start"] == date(2012, 4, 2)
    assert events["MLI90111"]["start"] == date(2012, 4, 3)
    assert result.report.rows_read == 11


def test_a_missing_column_rejects_the_whole_file_naming_it():
    result = imported("acled_missing_column.csv")
    assert result.report.error.startswith("missing column(s): latitude, fatalities")
    assert result.table.num_rows == 0 and result.table.schema == EVENT_SCHEMA
    assert "not imported" in result.report.summary()[0]


def test_duplicate_ids_keep_the_first_row(tmp_path):
    text = (FIXTURES / "acled_current.csv").read_text(encoding="utf-8")
    path = tmp_path / "twice.csv"
    path.write_text(text + text.split("\n", 1)[1], encoding="utf-8")
    report = import_events(path).report
    assert report.imported == 4
    assert report.rejected[0] == (7, "duplicate event id 'MLI90001' (first on line 2)")
    assert len(report.rejected) == 4


def test_actors_match_groups_through_aliases(dataset):
    result = imported("acled_current.csv", groups=dataset.groups)
    events = rows_by_id(result)
    assert (events["MLI90001"]["group1"], events["MLI90001"]["group2"]) == ("mnla", "mali")
    assert events["DZA90004"]["group2"] == "aqim"
    assert result.report.actors_matched["Military Forces of Mali (2002-2012)"] == "mali"
    unmatched = result.report.actors_unmatched
    assert unmatched["Civilians (Niger)"] == "actor-civilians-niger"
    assert events["NER90002"]["group2"] == "actor-civilians-niger"
    assert events["MRT90003"]["group2"] == ""
    new = {g.id: g for g in result.new_groups}
    assert set(new) == set(unmatched.values())
    assert all(g.kind == "other" and g.aliases == (g.name,) for g in new.values())
    colours = [g.color for g in new.values()]
    assert len(set(colours)) == len(colours)
    assert not set(colours) & {g.color for g in dataset.groups.values()}
    again = imported("acled_current.csv", groups=dataset.groups)
    assert again.new_groups == result.new_groups


def test_atlas_actors_are_group_ids(dataset):
    events = rows_by_id(imported("atlas_events.csv", groups=dataset.groups))
    assert (events["T-0001"]["group1"], events["T-0001"]["group2"]) == ("mujao", "mnla")
    assert events["T-0001"]["end"] == date(2012, 6, 27)
    assert events["T-0002"]["source_ids"] == "src-a;src-b"


@pytest.mark.parametrize(
    ("actor", "keys"),
    [
        (
            "JNIM: Group for Support of Islam and Muslims",
            [
                "jnim: group for support of islam and muslims",
                "jnim",
                "group for support of islam and muslims",
            ],
        ),
        (
            "Military Forces of Mali (2021-)",
            ["military forces of mali (2021-)", "military forces of mali"],
        ),
        ("Islamic State (West Africa)", ["islamic state (west africa)"]),
        ("  Civilians   (Mali) ", ["civilians (mali)"]),
    ],
)
def test_name_forms(actor, keys):
    assert name_forms(actor) == keys


def test_year_suffix_and_prefix_forms_match_but_other_brackets_do_not():
    groups = {
        "mali": Group(
            "mali",
            "Malian forces",
            "FAMa",
            "state",
            "#332288",
            ("Military Forces of Mali (2013-)",),
        ),
        "isgs": Group(
            "isgs",
            "IS Sahel",
            "IS Sahel",
            "jihadist",
            "#555555",
            ("Islamic State (Greater Sahara)",),
        ),
    }
    index = alias_index(groups)
    assert match_actor("Military Forces of Mali (2021-)", index) == "mali"
    assert match_actor("military forces of mali", index) == "mali"
    assert match_actor("FAMa: Malian Armed Forces", index) == "mali"
    assert match_actor("Islamic State (West Africa)", index) is None


def test_generated_colours_are_spread_and_avoid_the_given_ones():
    avoid = ["#332288", "#ddcc77"]
    colours = distinct_colors(24, avoid=avoid)
    assert len(set(colours)) == 24 and not set(colours) & set(avoid)
    assert distinct_colors(24, avoid=avoid) == colours
    rgb = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours]
    closest = min(
        sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
        for k, a in enumerate(rgb)
        for b in rgb[k + 1 :]
    )
    assert closest > 40


def test_atlas_checks_with_sources_and_borders(tmp_path, dataset):
    text = (FIXTURES / "atlas_events.csv").read_text(encoding="utf-8")
    text = text.replace("src-a;src-b", "src-a;nowhere")
    text = text.replace("Tongo Tongo,14.3000,1.5400", "Tongo Tongo,16.3000,-3.5400")
    text = text.replace("Battles,Armed clash", "Battles,Attack")
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    sources = {"src-a": object(), "src-b": object()}
    report = import_events(path, sources=sources, countries=dataset.countries).report
    assert report.rejected == [
        (2, "sub_event_type 'Attack' is not a kind of Battles"),
        (3, "unknown source id(s): nowhere"),
        (4, "Tongo Tongo at 16.3, -3.54 is not in Niger"),
    ]
    assert import_events(path).report.imported == 2  # without sources or borders


def test_report_summary_and_dict_cap_the_rejections():
    report = ImportReport("f.csv", "acled", rows_read=5, imported=2)
    report.rejected = [(n, "bad") for n in range(2, 5)]
    assert report.to_dict(limit=2)["rejected"] == [
        {"line": 2, "reason": "bad"},
        {"line": 3, "reason": "bad"},
    ]
    assert report.to_dict(limit=2)["rejected_not_listed"] == 1
    lines = report.summary(limit=1)
    assert lines[0].startswith("f.csv (acled): 5 row(s) read, 2 imported, 3 rejected")
    assert lines[1] == "  line 2: bad" and "2 more" in lines[2]


def test_shipped_events_import_as_load_dataset_reads_them(dataset):
    result = import_events(
        GEODATA / "events.csv",
        groups=dataset.groups,
        sources=dataset.sources,
        countries=dataset.countries,
    )
    assert result.report.rejected == [] and result.report.imported == len(dataset.events)
    mine, theirs = EventStore([result.table]), dataset.events
    for name in EVENT_SCHEMA.names:
        if name in ("group1", "group2"):  # unmatched actors: a generated group vs none
            got = mine.column(name).to_pylist()
            got = [None if g.startswith("actor-") else g or None for g in got]
            assert got == [g or None for g in theirs.column(name).to_pylist()], name
        else:
            assert mine.column(name).equals(theirs.column(name)), name

"""One test per fault the malformed-file tests found: each is a clear problem, never a crash."""

import json
import shutil
from datetime import date

import pytest

from dashboard.data import REQUIRED_FILES, DatasetError, load_dataset
from dashboard.figures import data_range
from dashboard.importers import import_events
from dashboard.readers import last_plausible_day
from tests.conftest import every_event
from tests.unit.test_data import EVENTS

GOOD_EVENT = "E3,2013-01-05,,Battles,Armed clash,mali,,Mali,Gao,Gao,16.2,-0.05,1,,Good one,src-a"
MOMENTS = (
    "id,date,title,caption,lat,lon,zoom,window,events,sources\n"
    "gao-falls,2012-06-28,Gao falls,MUJAO takes Gao.,16.27,-0.05,7,30,E1,src-a\n"
)


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


# Each way a file can be unreadable as a whole, and what its one problem says.
WHOLE_FILE_FAULTS = {
    "missing": (lambda p: p.unlink(), "file is missing"),
    "a folder": (lambda p: (p.unlink(), p.mkdir()), "is not a file"),
    "UTF-16": (lambda p: p.write_bytes(_text(p).encode("utf-16")), "UTF-16"),
    "UTF-16 without BOM": (lambda p: p.write_bytes(_text(p).encode("utf-16-le")), "NUL bytes"),
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "random bytes": (lambda p: p.write_bytes(bytes(range(256)) * 4), "NUL bytes"),
    "a repeated column": (
        lambda p: p.write_text(_text(p).replace("\n", f",{_text(p).split(',')[0]}\n", 1)),
        "more than once",
    ),
    "JSON": (lambda p: p.write_text('{"type": "FeatureCollection"}'), "missing column"),
}
GEOJSON_FAULTS = {
    "missing": (lambda p: p.unlink(), "file is missing"),
    "a folder": (lambda p: (p.unlink(), p.mkdir()), "is not a file"),
    "Latin-1": (lambda p: p.write_bytes(b'{"name": "caf\xe9"}'), "not UTF-8"),
    "malformed": (lambda p: p.write_text('{"type": "FeatureCollection", "features": [}'), "JSON"),
    "NaN": (lambda p: p.write_text('{"type": "FeatureCollection", "features": [NaN]}'), "NaN"),
    "null": (lambda p: p.write_text("null"), "FeatureCollection"),
    "a list": (lambda p: p.write_text("[1, 2]"), "FeatureCollection"),
    "junk features": (
        lambda p: p.write_text('{"type": "FeatureCollection", "features": [5, {"x": 1}]}'),
        "no usable country outline",
    ),
    "deep": (lambda p: p.write_text("[" * 100_000), "JSON"),
}


@pytest.mark.parametrize("fault", list(WHOLE_FILE_FAULTS))
@pytest.mark.parametrize("name", [n for n in REQUIRED_FILES if n.endswith(".csv")])
def test_a_required_csv_that_cannot_be_read_stops_the_load_even_when_lenient(tiny, name, fault):
    WHOLE_FILE_FAULTS[fault][0](tiny / name)
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny, strict=False)
    [problem] = caught.value.problems
    assert problem.file == name and problem.whole_file
    assert WHOLE_FILE_FAULTS[fault][1] in problem.reason


@pytest.mark.parametrize("fault", list(GEOJSON_FAULTS))
def test_a_broken_countries_file_stops_the_load_with_one_problem(tiny, fault):
    GEOJSON_FAULTS[fault][0](tiny / "countries.geojson")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny, strict=False)
    problems = caught.value.problems
    assert all(p.file == "countries.geojson" for p in problems)
    assert GEOJSON_FAULTS[fault][1] in problems[-1].reason and problems[-1].whole_file


@pytest.mark.parametrize("fault", [f for f in GEOJSON_FAULTS if f != "missing"])
def test_a_broken_regions_file_is_reported_and_skipped(tiny, fault):
    (tiny / "mali_regions.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    GEOJSON_FAULTS[fault][0](tiny / "mali_regions.geojson")
    data = load_dataset(tiny, strict=False)
    assert data.regions is None and len(data.events) == 2
    [problem] = data.problems
    assert problem.file == "mali_regions.geojson"
    assert problem.reason.endswith("the regions are not drawn")


@pytest.mark.parametrize("fault", ["a folder", "UTF-16", "empty", "random bytes"])
def test_a_broken_moments_file_is_reported_and_skipped(tiny, fault):
    (tiny / "moments.csv").write_text(MOMENTS, encoding="utf-8")
    WHOLE_FILE_FAULTS[fault][0](tiny / "moments.csv")
    data = load_dataset(tiny, strict=False)
    assert data.moments == () and len(data.events) == 2
    [problem] = data.problems
    assert problem.file == "moments.csv" and WHOLE_FILE_FAULTS[fault][1] in problem.reason


def test_a_country_feature_the_map_cannot_draw_is_left_out(tiny):
    path = tiny / "countries.geojson"
    doc = json.loads(_text(path))
    doc["features"].append({"type": "Feature", "properties": {"iso_a3": "XXX"}, "geometry": None})
    path.write_text(json.dumps(doc), encoding="utf-8")
    data = load_dataset(tiny, strict=False)
    assert [str(p) for p in data.problems] == [
        f"countries.geojson:0: feature {len(doc['features']) - 1}: it has no name; left out"
    ]
    assert len(data.countries["features"]) == len(doc["features"]) - 1


def test_a_stray_quote_at_the_start_of_a_field_costs_its_own_row_only(tiny):
    stray = 'E9,"2013-01-01,,Battles,Armed clash,mali,,Mali,Gao,Gao,16.2,-0.05,1,,x,src-a'
    quoted = GOOD_EVENT.replace("Good one", '"Good, ""quoted"" one"')
    (tiny / "events.csv").write_text(f"{EVENTS}{stray}\n{quoted}\n", encoding="utf-8")
    data = load_dataset(tiny, strict=False)
    assert [e.event_id for e in every_event(data)] == ["E1", "E3", "E2"]
    assert data.event("E3").notes == 'Good, "quoted" one'
    [problem] = data.problems
    assert (problem.line, problem.reason.split(":")[0]) == (4, "unterminated quote")


def test_latin1_rows_are_rejected_on_their_line_and_the_others_load(tiny):
    latin = GOOD_EVENT.replace("E3", "E4").replace("Good one", "Café")
    raw = EVENTS.encode() + latin.encode("latin-1") + b"\n" + GOOD_EVENT.encode() + b"\n"
    (tiny / "events.csv").write_bytes(raw)
    data = load_dataset(tiny, strict=False)
    assert sorted(e.event_id for e in every_event(data)) == ["E1", "E2", "E3"]
    assert [str(p) for p in data.problems] == ["events.csv:4: not UTF-8 text"]


def test_a_200_kb_field_loads_in_a_loader_and_in_an_importer(tiny):
    long = "x" * 200_000
    (tiny / "events.csv").write_text(
        EVENTS + GOOD_EVENT.replace("Good one", long) + "\n", encoding="utf-8"
    )
    assert load_dataset(tiny).event("E3").notes == long
    # the importer looks for HXL tags on the first row: a 200 kB field is no tag
    result = import_events(tiny / "events.csv", "atlas")
    assert result.report.rejected == [] and long in result.table.column("notes").to_pylist()


@pytest.mark.parametrize(
    ("name", "old", "new", "reason"),
    [
        ("events.csv", "E1,2012-06-26", "E1,0001-01-01", "event_date 0001-01-01: before 1900"),
        ("events.csv", "2012-06-27,Battles", "9999-12-31,Battles", "end_date 9999-12-31: after"),
        ("sources.csv", "2013-01-10", "1850-06-01", "published date 1850-06-01: before 1900"),
        ("control.csv", "gao,2012-01-01", "gao,1899-12-31", "start date 1899-12-31: before 1900"),
    ],
)
def test_days_before_1900_or_after_next_year_are_rejected_and_leave_the_range(
    tiny, name, old, new, reason
):
    path = tiny / name
    path.write_text(_text(path).replace(old, new, 1), encoding="utf-8")
    data = load_dataset(tiny, strict=False)
    assert any(p.file == name and reason in p.reason for p in data.problems), data.problems
    first, last = data_range(data)
    assert first >= date(1900, 1, 1) and last <= last_plausible_day()


def test_a_moment_dated_9999_is_rejected(tiny):
    (tiny / "moments.csv").write_text(MOMENTS.replace("2012-06-28", "9999-12-31"), "utf-8")
    data = load_dataset(tiny, strict=False)
    assert data.moments == ()
    assert [p.reason for p in data.problems] == [f"date 9999-12-31: after {date.today().year + 1}"]


@pytest.mark.parametrize("fmt", ["acled", "atlas"])
def test_imported_days_before_1900_or_after_next_year_are_rejected(tmp_path, fmt):
    source = {
        "acled": "tests/fixtures/import/acled_current.csv",
        "atlas": "tests/fixtures/import/atlas_events.csv",
    }[fmt]
    text = open(source, encoding="utf-8").read()
    first = next(d for d in ("2012-03-31", "2012-06-26") if d in text)
    path = tmp_path / "x.csv"
    path.write_text(text.replace(first, "0001-01-01", 1), encoding="utf-8")
    rejected = dict(import_events(path, fmt).report.rejected)
    assert any("'0001-01-01': before 1900" in r for r in rejected.values()), rejected


def test_a_repeated_column_in_an_export_is_one_clear_error(tmp_path):
    shutil.copy("tests/fixtures/import/acled_current.csv", tmp_path / "x.csv")
    path = tmp_path / "x.csv"
    path.write_text(_text(path).replace("\n", ",notes\n", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="x.csv: the header names column.s. more than once: notes"):
        import_events(path)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("\ufeffplain".encode("utf-16"), "UTF-16"),
        (b"e\x00v\x00e\x00n\x00t\x00", "NUL bytes"),
        (b"caf\xe9,x\n1,2\n", "not UTF-8"),
    ],
)
def test_an_export_that_is_not_utf8_says_so(tmp_path, raw, says):
    path = tmp_path / "x.csv"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match=says):
        import_events(path)

"""The block reader under the importers: rows, lines and broken rows, at any block size."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import csvblocks as _csv
from dashboard.csvblocks import CsvBlocks, HeaderError
from dashboard.importers import import_events

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
ATLAS_HEADER = (
    "event_id,event_date,end_date,event_type,sub_event_type,actor1,actor2,country,admin1,"
    "location,latitude,longitude,geo_precision,fatalities,notes,sources"
)


def read_all(path, block_bytes=_csv.BLOCK_BYTES):
    reader = CsvBlocks(path, block_bytes=block_bytes)
    rows, lines = [], []
    for block in reader:
        rows += block.table.to_pylist()
        lines += block.lines.tolist()
    return reader, rows, lines


@pytest.mark.parametrize("block_bytes", [16, 57, 300, 4096, 1 << 20])
def test_rows_and_lines_do_not_depend_on_the_block_size(block_bytes, monkeypatch):
    monkeypatch.setattr(_csv, "RESYNC_BYTES", 40)
    reader, rows, lines = read_all(FIXTURES / "acled_malformed.csv", block_bytes)
    # rows with bad values are rows here; the importer rejects them
    assert lines == [2, 4, 5, 6, 8, 10, 13, 15]
    assert [r["event_id_cnty"][-2:] for r in rows] == [
        "01",
        "02",
        "03",
        "04",
        "06",
        "08",
        "09",
        "11",
    ]
    assert rows[5]["notes"] == 'Fictional good row three, "quoted",\nover\nthree lines.'
    assert [line for line, _ in sorted(reader.rejected)] == [7, 9, 14]
    assert reader.rows_read == 11


@pytest.mark.parametrize(
    ("text", "lines", "rejected"),
    [
        ("a,b\n1,2\n\n3,4\n", [2, 4], []),  # a blank line is no row
        ("a,b\r\n1,2\r\n3,4", [2, 3], []),  # CRLF, and no newline at the end
        ("a,b\n1,2\nx", [2], [3]),  # a one-byte last row is a row, not a blank line
        ("a,b\n1,2\n\r\n \n", [2], [4]),  # a line of spaces is not blank
        ('a,b\n1,"x\ny"\n2,"open\n3,4\n', [2, 5], [4]),  # unterminated quote at the end
        ('a,b\n1,x"y\n2,3\n', [3], [2]),  # a quote inside an unquoted field
        ('a,b\n"1",""\n"2","say ""hi"""\n', [2, 3], []),
        # two stray quotes would make one row of the lines between: the good row stays
        ('a,b,c\n1,",x\n2,3,4\n5,",y\n', [3], [2, 4]),
        # ... and on two lines next to each other, one row of the right width: neither
        # bad line is taken for a row (found by test_malformed_files' fuzzing)
        ('a,b,c\n0,1,2\n1,",x\n5,",y\n6,7,8\n', [2, 5], [3, 4]),
    ],
)
def test_small_cases(tmp_path, text, lines, rejected):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    reader, _, got = read_all(path)
    assert got == lines
    assert [line for line, _ in reader.rejected] == rejected


def test_a_bom_and_a_quoted_header_are_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'\xef\xbb\xbf"Event_ID","Notes"\nE1,"a\nb"\n')
    reader, rows, lines = read_all(path)
    assert reader.header == ["event_id", "notes"]
    assert rows == [{"event_id": "E1", "notes": "a\nb"}] and lines == [2]


def test_a_file_without_header_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"")
    with pytest.raises(HeaderError):
        CsvBlocks(path).read_header()


def test_bytes_that_are_not_utf8_reject_their_row_only(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,caf\xe9\n2,ok\n")
    reader, rows, lines = read_all(path)
    assert rows == [{"a": "2", "b": "ok"}] and lines == [3]
    assert reader.rejected == [(2, "not UTF-8 text")]


# ---- property: garbage never costs a good row ----------------------------------------

NOTE = st.text(alphabet='ab ,"\n;é', max_size=30)


@st.composite
def good_row(draw, n):
    notes = draw(NOTE)
    toll = draw(st.sampled_from(["", "0", "7"]))
    day = f"20{draw(st.integers(10, 24))}-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}"
    return [
        f"G{n}", day, "", "Battles", "Armed clash", "mnla", "mali", "Mali", "Gao", "Gao",
        "16.2667", "-0.05", "1", toll, notes, "src-a",
    ]  # fmt: skip


GARBAGE = st.one_of(
    # too few or too many fields
    st.lists(st.text(alphabet="xyz 09-", max_size=5), min_size=1, max_size=30)
    .filter(lambda fields: len(fields) != 16)
    .map(",".join),
    # an unterminated quote opening a field, the rest of the line ordinary text
    st.text(alphabet="xyz ,09", max_size=20).map(lambda t: f'B1,2012-01-01,,"{t}'),
    # a quote inside a field
    st.text(alphabet="xyz", min_size=1, max_size=5).map(lambda t: f'B2,{t}"{t},x'),
    # right shape, values that are refused
    st.sampled_from(
        [
            "B3,2012-02-30,,Battles,Armed clash,mnla,mali,Mali,Gao,Gao,16.2,-0.05,1,,x,src-a",
            "B4,2012-02-03,,Battles,Armed clash,mnla,mali,Mali,Gao,Gao,96.2,-0.05,1,,x,src-a",
            "B5,2012-02-03,,Battles,Armed clash,mnla,mali,Mali,Gao,Gao,16.2,-0.05,1,lots,x,src-a",
        ]
    ),
)


@st.composite
def messy_file(draw):
    items = draw(st.lists(st.one_of(st.none(), GARBAGE), min_size=1, max_size=25))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    out.write(ATLAS_HEADER + eol)
    writer = csv.writer(out, lineterminator=eol)
    good = {}
    for k, item in enumerate(items):
        line = out.getvalue().count("\n") + 1
        if item is None:
            row = draw(good_row(k))
            writer.writerow(row)
            good[row[0]] = (line, row)
        else:
            out.write(item + eol)
    return out.getvalue(), good, draw(st.sampled_from([64, 200, 1 << 20]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_file())
def test_garbage_rows_never_lose_a_good_row(tmp_path_factory, case):
    text, good, block_bytes = case
    path = tmp_path_factory.mktemp("messy") / "events.csv"
    path.write_bytes(text.encode())
    reader, rows, lines = read_all(path, block_bytes)
    got = {r["event_id"]: (line, r) for r, line in zip(rows, lines, strict=True)}
    for event_id, (line, row) in good.items():
        assert event_id in got, f"good row {event_id} of line {line} was lost"
        assert got[event_id][0] == line
        assert got[event_id][1]["notes"] == row[14]
    result = import_events(path)
    assert sorted(result.table.column("event_id").to_pylist()) == sorted(good)
    report = result.report
    assert report.rows_read == report.imported + len(report.rejected)
    assert all(line not in {g[0] for g in good.values()} for line, _ in report.rejected)

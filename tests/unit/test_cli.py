"""python app.py --events FILE ...: imports reported on the command line, cached, merged."""

import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.server import ImportFailed, create_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "upload" / "acled_sample.csv"
MISSING = ROOT / "tests" / "fixtures" / "upload" / "acled_missing_column.csv"


def test_events_are_imported_reported_and_merged_with_the_shipped_ones(tmp_path, dataset):
    lines = []
    app = create_app(events=[SAMPLE], cache=tmp_path, report=lines.append)
    assert lines[0] == "acled_sample.csv: acled, 4 rows read, 4 imported, 0 rejected"
    data = app.server.test_client().get("/data/atlas.json").json
    assert data["eventCount"] == len(dataset.events) + 4
    # a second start reads the cache, not the CSV
    again = []
    create_app(events=[SAMPLE], cache=tmp_path, report=again.append)
    assert again[0].endswith("(from the cache)")
    assert len(list(tmp_path.glob("*.parquet"))) == 1


def test_no_shipped_events_shows_only_the_imported_ones(tmp_path):
    app = create_app(events=[SAMPLE], cache=tmp_path, shipped_events=False, report=print)
    assert app.server.test_client().get("/data/atlas.json").json["eventCount"] == 4


def test_a_file_that_cannot_be_imported_stops_the_start_with_its_reason(tmp_path):
    with pytest.raises(ImportFailed, match="missing column"):
        create_app(events=[MISSING], cache=tmp_path)
    with pytest.raises(ImportFailed, match="nowhere.csv"):
        create_app(events=[tmp_path / "nowhere.csv"], cache=tmp_path)


def test_the_command_line_says_so_in_one_line_and_exits_2(tmp_path):
    run = subprocess.run(
        [sys.executable, "app.py", "--events", str(MISSING), "--cache", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and "missing column(s)" in run.stderr
    assert "Traceback" not in run.stderr


def test_an_import_is_cached_in_the_store_order_and_taken_without_sorting(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dashboard.ingest import import_cached
    from dashboard.store import EventStore, sort_events

    imported = import_cached(SAMPLE, cache=tmp_path)
    cached = pq.read_table(next(tmp_path.glob("*.parquet")))
    texts = pa.ipc.open_file(next(tmp_path.glob("*.texts.arrow"))).read_all()
    for name in texts.column_names:  # the long texts lie apart, in the same order
        cached = cached.append_column(name, texts.column(name))
    assert cached.equals(sort_events(cached))  # written sorted
    taken = EventStore([cached], presorted=True)
    mine = EventStore([imported.events], presorted=True)
    assert taken.table.equals(mine.table)
    for name in ("notes", "source_text"):  # read back from the cache's texts file
        assert mine.column(name).equals(taken.column(name)), name
    assert [type(s).__name__ for s in mine.texts.sources] == ["ArrowTexts"]

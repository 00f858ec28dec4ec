"""Start-up faults, run as a person would: ``python app.py`` and ``gunicorn app:server`` on
corrupted copies of a data folder. A required file missing or unreadable: one line naming
it and a non-zero exit, a traceback only with ``--debug``; a broken optional file: one
line, and the atlas starts without it."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOMENTS = (
    "id,date,title,caption,lat,lon,zoom,window,events,sources\n"
    "gao-falls,2012-06-28,Gao falls,MUJAO takes Gao.,16.27,-0.05,7,30,E1,src-a\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], env: dict | None = None, timeout: float = 180):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


FAULTS = {
    "missing": (Path.unlink, "file is missing"),
    "UTF-16": (_utf16, "UTF-16"),
    "random bytes": (lambda p: p.write_bytes(bytes(range(256)) * 8), "NUL bytes"),
}
REQUIRED_CSV = ["sources.csv", "groups.csv", "places.csv", "control.csv", "events.csv"]
CASES = [(name, fault) for name in REQUIRED_CSV for fault in ("missing", "UTF-16")] + [
    ("events.csv", "a folder"),
    ("events.csv", "random bytes"),
    ("countries.geojson", "missing"),
    ("countries.geojson", "malformed"),
    ("countries.geojson", "junk features"),
]


def _break(folder: Path, name: str, fault: str) -> str:
    """Break one file of ``folder``; return what the error line must say of it."""
    path = folder / name
    if fault == "a folder":
        _folder(path)
        return "is not a file"
    if fault == "malformed":
        path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
        return "not valid JSON"
    if fault == "junk features":
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [1, {}]}))
        return "no usable country outline"
    FAULTS[fault][0](path)
    return FAULTS[fault][1]


@pytest.mark.parametrize(("name", "fault"), CASES)
def test_a_required_file_missing_or_unreadable_stops_the_start_in_one_line(tiny, name, fault):
    says = _break(tiny, name, fault)
    run = _start(["app.py", "--data", str(tiny), "--port", str(_free_port())])
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith(f"error: cannot load the data in {tiny}: {name}:"), line
    assert says in line


def test_with_debug_the_traceback_follows_the_line(tiny):
    _folder(tiny / "events.csv")
    run = _start(["app.py", "--data", str(tiny), "--port", str(_free_port()), "--debug"])
    assert run.returncode == 2
    assert run.stderr.startswith("error: cannot load the data in ")
    assert "Traceback (most recent call last)" in run.stderr and "DatasetError" in run.stderr


def test_a_missing_data_folder_is_one_line(tmp_path):
    run = _start(["app.py", "--data", str(tmp_path / "nowhere"), "--port", str(_free_port())])
    assert run.returncode == 2
    [line] = run.stderr.splitlines()
    assert "no such data folder" in line


def test_gunicorn_says_the_same_line_and_stops(tiny):
    _folder(tiny / "events.csv")
    env = {
        "SAHEL_ATLAS_DATA": str(tiny),
        "SAHEL_ATLAS_BIND": f"127.0.0.1:{_free_port()}",
        "SAHEL_ATLAS_WORKERS": "1",
        "SAHEL_ATLAS_ACCESS_LOG": os.devnull,
    }
    run = _start(["-m", "gunicorn", "-c", "gunicorn.conf.py"], env)
    # gunicorn's "App failed to load": it stops instead of booting workers again and again
    assert run.returncode == 4, run.stderr
    ours = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert ours == [
        f"error: cannot load the data in {tiny}: events.csv:0: is not a file (a folder?)"
    ]
    assert "Traceback" not in run.stderr


def _serve_until_up(args: list[str], port: int, seconds: float = 180):
    """Start the app; return its stderr once /healthz answers (the process is stopped)."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        [sys.executable, *args, "--port", str(port)], cwd=ROOT, stdout=log, stderr=log, text=True
    )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                try:
                    proc.wait(timeout=0.3)
                    break  # it exited
                except subprocess.TimeoutExpired:
                    continue
        else:
            pytest.fail("the atlas did not answer")
    finally:
        running = proc.poll() is None
        proc.terminate()
        proc.wait(timeout=30)
    log.seek(0)
    assert running, f"the atlas exited: {log.read()}"
    return log.read(), health


@pytest.mark.parametrize(
    ("name", "junk", "says"),
    [
        ("mali_regions.geojson", "{not json", "not valid JSON"),
        ("mali_regions.geojson", '{"type": "FeatureCollection", "features": [7]}', "feature 0"),
        ("moments.csv", "\ufeff" + MOMENTS, None),
        ("moments.csv", None, "UTF-16"),
    ],
)
def test_a_broken_optional_file_is_reported_in_one_line_and_skipped(tiny, name, junk, says):
    if junk is None:
        (tiny / name).write_bytes(MOMENTS.encode("utf-16"))
    else:
        (tiny / name).write_text(junk, encoding="utf-8")
    output, health = _serve_until_up(["app.py", "--data", str(tiny)], _free_port())
    problems = [line for line in output.splitlines() if "data problem" in line]
    if says is None:  # a UTF-8 BOM is no fault
        assert problems == []
    else:
        [line] = problems
        assert f"{name}:" in line and says in line
    counts = health["counts"]
    assert counts["events"] == 2
    assert counts["moments"] == (1 if says is None and name == "moments.csv" else 0)

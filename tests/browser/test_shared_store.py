"""Beyond one machine: two app processes sharing one cache folder serve each other's imports.

Two ``python app.py`` servers on two loopback ports stand for two workers (or two hosts
with a shared folder). A file is uploaded with its chunks sent alternately to each, its
import started on one and followed on the other, and the new data set is read through the
server that did not import it.
"""

import csv
import io
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import serve

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "upload" / "acled_sample.csv"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    cache = tmp_path_factory.mktemp("shared-cache")
    env = {"SAHEL_ATLAS_CACHE": str(cache)}
    first, first_url = serve(["app.py"], env=env, probe="/healthz")
    try:
        second, second_url = serve(["app.py"], env=env, probe="/healthz")
    except Exception:
        first.terminate()
        raise
    yield first_url, second_url, cache
    for proc in (first, second):
        proc.terminate()
        proc.wait(timeout=10)


def _call(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _json(url: str, data: bytes | None = None, status: int = 200) -> dict:
    got, body = _call(url, data)
    assert got == status, (url, got, body[:300])
    return json.loads(body)


def test_a_file_imported_through_one_server_is_served_by_the_other(two_servers):
    a, b, cache = two_servers
    body = FIXTURE.read_bytes()
    half = len(body) // 2
    total = len(body)
    # the chunks go to alternate servers, as they may to two gunicorn workers
    job = _json(f"{a}/data/upload?offset=0&total={total}&name=acled_sample.csv", body[:half])
    job = _json(f"{b}/data/upload?id={job['id']}&offset={half}&total={total}", body[half:])
    assert job["received"] == total and job["name"] == "acled_sample.csv"
    # the status of an upload in progress or done is the same from either server
    assert _json(f"{a}/data/import/{job['id']}")["received"] == total
    _json(f"{b}/data/import?id={job['id']}&format=auto", b"", status=202)
    # only one of them imports it: a second start is refused
    again, _ = _call(f"{a}/data/import?id={job['id']}&format=auto", b"")
    assert again == 409
    deadline = time.monotonic() + 60
    while (state := _json(f"{a}/data/import/{job['id']}"))["state"] == "importing":
        assert time.monotonic() < deadline, "the import never finished"
        time.sleep(0.1)
    assert state["state"] == "done", state
    assert state["report"]["imported"] == 4
    key = state["key"]
    assert (cache / f"{key}.parquet").exists()
    # the data set is read through both servers, the one that did not import it first
    for server in (a, b):
        atlas = _json(f"{server}/d/{key}/data/atlas.json")
        assert atlas["eventCount"] == 4
        status, page = _call(f"{server}/d/{key}/")
        assert status == 200 and b"_dash-config" in page
        status, layout = _call(f"{server}/d/{key}/_dash-layout")
        assert status == 200
        assert b"acled_sample.csv (ACLED): 4 rows read, 4 imported, 0 rejected" in layout
        health = _json(f"{server}/d/{key}/healthz")
        assert health["counts"]["events"] == 4, health
        last = health["range"]["last"]
        status, exported = _call(f"{server}/d/{key}/data/export.csv?date={last}&window=all")
        assert status == 200, exported[:300]
        assert len(list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))) == 1 + 4
    # a key neither server has is still a 404 on both
    for server in (a, b):
        assert _call(f"{server}/d/{'0' * 40}-v1c2-auto-{'0' * 16}/")[0] == 404

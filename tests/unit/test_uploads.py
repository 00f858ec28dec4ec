"""Uploads in chunks, the import in the background, and the imported data set served."""

import time
from pathlib import Path

import pytest

from dashboard.server import create_app
from dashboard.uploads import CHUNK_BYTES, display_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upload"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    app = create_app(cache=cache)
    return app.server.test_client()


def _upload(client, body: bytes, name: str = "acled_sample.csv", chunk: int = 100) -> dict:
    job = {"id": ""}
    for start in range(0, len(body), chunk):
        reply = client.post(
            f"/data/upload?id={job['id']}&offset={start}&total={len(body)}&name={name}",
            data=body[start : start + chunk],
        )
        assert reply.status_code == 200, reply.json
        job = reply.json
    return job


def _finish(client, job_id: str, fmt: str = "auto") -> dict:
    reply = client.post(f"/data/import?id={job_id}&format={fmt}")
    assert reply.status_code == 202, reply.json
    deadline = time.monotonic() + 60
    while True:
        state = client.get(f"/data/import/{job_id}").json
        if state["state"] != "importing":
            return state
        assert time.monotonic() < deadline, "the import never finished"
        time.sleep(0.05)


def test_an_export_sent_in_chunks_is_imported_and_opens_as_a_data_set(client):
    body = (FIXTURES / "acled_sample.csv").read_bytes()
    job = _upload(client, body)
    assert job["received"] == len(body) and job["name"] == "acled_sample.csv"
    done = _finish(client, job["id"])
    assert done["state"] == "done", done
    assert done["report"]["rows_read"] == 4 and done["report"]["imported"] == 4
    assert done["report"]["file"] == "acled_sample.csv"
    page = client.get(f"/d/{done['key']}/")
    assert page.status_code == 200 and b"_dash-config" in page.data
    atlas = client.get(f"/d/{done['key']}/data/atlas.json").json
    assert atlas["eventCount"] == 4  # the export's events only
    layout = client.get(f"/d/{done['key']}/_dash-layout")
    assert b"acled_sample.csv (ACLED): 4 rows read, 4 imported, 0 rejected" in layout.data
    # the same data set again: from the cache, same key
    again = _finish(client, _upload(client, body, chunk=1000)["id"])
    assert again["key"] == done["key"]


def test_a_file_that_is_no_export_fails_with_its_reason(client):
    job = _upload(client, (FIXTURES / "acled_missing_column.csv").read_bytes())
    failed = _finish(client, job["id"])
    assert failed["state"] == "failed"
    assert "missing column(s): latitude" in failed["error"]
    job = _upload(client, b"just some words\nand more\n", name="notes.txt")
    failed = _finish(client, job["id"])
    assert failed["state"] == "failed" and "not an ACLED, UCDP GED or atlas" in failed["error"]


def test_bad_uploads_get_4xx_never_500(client, monkeypatch):
    monkeypatch.setenv("SAHEL_ATLAS_MAX_UPLOAD", "1000")
    too_big = client.post("/data/upload?offset=0&total=5000&name=x.csv", data=b"x")
    assert too_big.status_code == 413 and "up to 0 MB" in too_big.json["error"]
    monkeypatch.delenv("SAHEL_ATLAS_MAX_UPLOAD")
    for query in ["offset=a&total=1", "offset=0&total=0", "offset=5&total=1", "offset=-1&total=9"]:
        assert client.post(f"/data/upload?{query}", data=b"x").status_code == 400, query
    assert client.post("/data/upload?offset=3&total=10", data=b"x").status_code == 400
    assert client.post("/data/upload?id=nope&offset=0&total=10", data=b"x").status_code == 404
    job = client.post("/data/upload?offset=0&total=10&name=a.csv", data=b"abc").json
    out_of_order = client.post(f"/data/upload?id={job['id']}&offset=5&total=10", data=b"x")
    assert out_of_order.status_code == 409 and out_of_order.json["received"] == 3
    past_end = client.post(f"/data/upload?id={job['id']}&offset=3&total=10", data=b"x" * 20)
    assert past_end.status_code == 413
    incomplete = client.post(f"/data/import?id={job['id']}")
    assert incomplete.status_code == 409
    assert client.post("/data/import?id=nope").status_code == 404
    assert client.post(f"/data/import?id={job['id']}&format=<b>").status_code == 400
    assert client.get("/data/import/nope").status_code == 404
    assert client.get("/d/not-a-key/").status_code == 404
    assert client.get(f"/d/{'0' * 40}-v1c2-auto-{'0' * 16}/").status_code == 404
    assert CHUNK_BYTES >= 1024 * 1024


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\acled.csv", "acled.csv"),
        ("a\x00b\nc.csv", "abc.csv"),
        ("", "events.csv"),
        ("x" * 500, "x" * 120),
    ],
)
def test_an_uploaded_name_is_only_shown_never_used_as_a_path(name, shown):
    assert display_name(name) == shown

"""How responses travel: security headers, /healthz, 404s, gzip, cache rules, body limit."""

import base64
import gzip
import hashlib
import re
import threading
import time
import urllib.request

import pytest
from flask import request
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from dashboard.figures import data_range
from dashboard.health import app_version
from dashboard.polyfill import DASH_POLYFILL
from dashboard.server import create_app
from dashboard.serving import QuietRequestHandler, allow_body, max_body_bytes

# Routes of every kind: the page, Dash's own, the app's data, an asset, a miss, a refusal.
ROUTES = [
    "/",
    "/?date=2012-08-01",
    "/_dash-layout",
    "/_dash-dependencies",
    "/healthz",
    "/data/atlas.json",
    "/geo/countries.geojson",
    "/assets/style.css",
    "/.env",
]


@pytest.fixture(scope="module")
def app():
    return create_app(strict=True)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [values]}."""
    parts = [p.split() for p in response.headers["Content-Security-Policy"].split(";")]
    return {p[0]: p[1:] for p in parts if p}


def inline_scripts(html: str) -> list[str]:
    """The bodies of the page's inline scripts that run (not JSON data blocks, not comments)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs and body.strip()
    ]


@pytest.mark.parametrize("path", ROUTES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["worker-src"] == ["blob:"]  # MapLibre's workers, nothing else
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_refused_callback_carries_them_too(client):
    response = client.post("/_dash-update-component", data="{}", content_type="application/json")
    assert response.status_code == 400
    assert policy(response)["default-src"] == ["'self'"]


def test_the_policy_lets_exactly_the_page_s_inline_scripts_run(client):
    html = client.get("/").get_data(as_text=True)
    scripts = inline_scripts(html)
    assert scripts, "Dash starts its renderer with an inline script"
    allowed = policy(client.get("/"))["script-src"]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert allowed[0] == "'self'" and all(a.startswith("'sha256-") for a in allowed[1:])


def test_the_development_server_names_no_version(app):
    # python app.py serves through Werkzeug, whose banner names its and Python's version
    assert app.server.run.keywords["request_handler"] is QuietRequestHandler
    server = make_server("127.0.0.1", 0, app.server, request_handler=QuietRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz") as answer:
            assert answer.headers["Server"] == "sahel-atlas"
    finally:
        server.shutdown()


def test_healthz_reports_the_data_and_the_version(client, dataset):
    started = time.perf_counter()
    response = client.get("/healthz")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["status"] == "ok"
    assert body["counts"]["events"] == len(dataset.events) == 252
    assert body["counts"]["control_periods"] == len(dataset.periods) == 117
    assert body["counts"]["sources"] == len(dataset.sources) > 0
    assert body["counts"]["skipped_rows"] == 0
    first, last = data_range(dataset)
    assert body["range"] == {"first": first.isoformat(), "last": last.isoformat()}
    assert body["version"] == app_version() and body["version"]
    assert elapsed < 0.5, elapsed  # built at start-up: a probe only pays for the request


def test_the_version_is_unknown_outside_a_git_clone(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert app_version(tmp_path) == "unknown"


@pytest.mark.parametrize(
    "path",
    [
        "/.env",
        "/healthz/x",
        "/nope",
        "/sahel/",
        "/assets/nope.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/nopkg/x.js",
        "/_dash-component-suites/dash/../../etc/passwd",
    ],
)
def test_unknown_paths_are_404(client, path):
    assert client.get(path).status_code == 404


@settings(max_examples=150, deadline=None)
@given(
    package=st.sampled_from(["dash", "plotly", "nopkg", ""]),
    rest=st.text(st.characters(codec="ascii", exclude_characters="?#"), min_size=1, max_size=40),
)
def test_no_component_suite_path_answers_500(client, package, rest):
    status = client.get(f"/_dash-component-suites/{package}/{rest}").status_code
    assert status in (200, 301, 308, 404), (package, rest, status)


def test_the_page_routes_still_answer(client):
    for path in ("/", "/?date=2013-01-11", "/?date=2012-13-45&window=abc&present=1"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html", path
        assert 'id="react-entry-point"' in response.get_data(as_text=True)


def test_the_prefix_keeps_the_page_healthz_and_404s(monkeypatch):
    monkeypatch.setenv("DASH_URL_BASE_PATHNAME", "/sahel/")
    client = create_app(strict=True).server.test_client()
    assert client.get("/sahel/").status_code == 200
    assert client.get("/sahel/?date=2013-01-11").status_code == 200
    assert client.get("/sahel/healthz").json["status"] == "ok"
    for path in ("/sahel/nope", "/healthz", "/", "/sahel/_dash-component-suites/dash/x.js"):
        assert client.get(path).status_code == 404, path
    stamped = re.search(r'href="(/sahel/assets/style\.css\?m=[^"]+)"', client.get("/sahel/").text)
    assert "immutable" in client.get(stamped.group(1)).headers["Cache-Control"]


def test_text_is_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/_dash-layout")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    refused = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused.headers


def test_assets_and_bundles_are_gzipped_and_fingerprinted_ones_kept_a_year(client):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', html)
    assert any(u.startswith("/assets/atlas.js?m=") for u in urls)
    for url in urls:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert packed.status_code == 200, url
        if DASH_POLYFILL.search(url):
            # answered with our regenerator-runtime: its URL names Dash's version, not the
            # file's, so it is revalidated (tests/unit/test_polyfill.py)
            assert packed.headers["Cache-Control"] == "no-cache", url
        else:
            assert "max-age=31536000" in packed.headers["Cache-Control"], url
            assert "immutable" in packed.headers["Cache-Control"], url
        if len(plain.data) >= 1024:
            assert gzip.decompress(packed.data) == plain.data, url
    # an asset asked for without its fingerprint is revalidated, not kept
    bare = client.get("/assets/atlas.js")
    assert bare.headers["Cache-Control"] == "no-cache" and bare.headers["ETag"]
    stale = client.get("/assets/atlas.js?m=12345")
    assert "immutable" not in stale.headers["Cache-Control"]


def test_small_bodies_and_binary_ones_are_sent_as_they_are(client):
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert len(small.data) < 1024 and "Content-Encoding" not in small.headers
    url = client.get("/data/atlas.json").json["eventsUrl"]
    events = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert events.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(events.data)[:4] == b"SAEV"  # gzipped once, not twice


@pytest.mark.parametrize("path", ["/", "/_dash-layout"])
def test_the_page_and_its_layout_are_revalidated(client, path):
    for encoding in ("identity", "gzip"):
        first = client.get(path, headers={"Accept-Encoding": encoding})
        assert first.headers["Cache-Control"] == "no-cache"
        assert first.headers["ETag"]
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    again = client.get(
        "/_dash-layout",
        headers={"Accept-Encoding": "gzip", "If-None-Match": layout.headers["ETag"]},
    )
    assert again.status_code == 304 and not again.data


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    started = time.perf_counter()
    response = client.post(
        "/_dash-update-component",
        data=b"{}",
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": str(100 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert time.perf_counter() - started < 1
    assert client.post("/nope", data=b"x" * (2 << 20)).status_code == 413
    ok = client.post("/_dash-update-component", data=b"[" * 1000, content_type="application/json")
    assert ok.status_code == 400  # under the limit: read, then refused as malformed


def test_the_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("SAHEL_ATLAS_MAX_BODY", str(4 << 20))
    client = create_app(strict=True).server.test_client()
    body = b" " * (3 << 20) + b"{}"
    assert (
        client.post(
            "/_dash-update-component", data=body, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/_dash-update-component", data=body * 2, content_type="application/json"
        ).status_code
        == 413
    )


def test_one_route_can_take_bigger_bodies(monkeypatch):
    # room for an upload route: its own limit, every other route keeps the app's
    monkeypatch.delenv("SAHEL_ATLAS_MAX_BODY", raising=False)
    app = create_app(strict=True)
    app.server.add_url_rule(
        "/upload", "upload", lambda: str(len(request.get_data())), methods=["POST"]
    )
    allow_body(app, "upload", 8 << 20)
    client = app.server.test_client()
    assert client.post("/upload", data=b"x" * (3 << 20)).get_data(as_text=True) == str(3 << 20)
    assert client.post("/upload", data=b"x" * (9 << 20)).status_code == 413
    big = b" " * (3 << 20) + b"{}"
    assert (
        client.post(
            "/_dash-update-component", data=big, content_type="application/json"
        ).status_code
        == 413
    )


@pytest.mark.parametrize(("value", "limit"), [(None, 1 << 20), ("", 1 << 20), ("2048", 2048)])
def test_max_body_bytes(monkeypatch, value, limit):
    monkeypatch.delenv("SAHEL_ATLAS_MAX_BODY", raising=False)
    assert max_body_bytes(value) == limit


@pytest.mark.parametrize("value", ["0", "-1", "1MB", "1.5"])
def test_max_body_bytes_refuses_nonsense(value):
    with pytest.raises(ValueError):
        max_body_bytes(value)

"""The partial plotly.js bundle: the version dcc asks for, loaded by the page, never the full one."""

import gzip
import re
from pathlib import Path

import plotly
import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.plotly_bundle import BUNDLE
from dashboard.server import create_app

DASH_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@pytest.fixture(scope="module")
def client():
    return create_app(strict=True).server.test_client()


def scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_the_vendored_bundle_is_the_plotly_js_dash_ships_cut_to_our_traces():
    head = BUNDLE.read_text(encoding="utf-8")[:200]
    assert (
        f"plotly.js (sahel-atlas: scattermap, bar - minified) v{get_plotlyjs_version()}\n" in head
    )
    assert f"plotly.js v{get_plotlyjs_version()}\n" in DASH_PLOTLY.read_text(encoding="utf-8")[:100]
    assert BUNDLE.stat().st_size < 0.7 * DASH_PLOTLY.stat().st_size
    licence = (BUNDLE.parent / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Plotly" in licence


def test_the_page_runs_the_bundle_before_dash_renders_a_graph(client):
    loaded = scripts(client.get("/").text)
    bundle = [i for i, src in enumerate(loaded) if src.startswith("/vendor/plotly-sahel.min.js?v=")]
    renderer = [i for i, src in enumerate(loaded) if "dash_renderer" in src]
    assert len(bundle) == 1 and renderer and bundle[0] < renderer[0]
    assert not [src for src in loaded if "plotly.min.js" in src or "package_data" in src]


def test_the_bundle_is_kept_for_good_under_its_digest(client):
    url = next(s for s in scripts(client.get("/").text) if s.startswith("/vendor/"))
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200 and packed.mimetype == "text/javascript"
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == BUNDLE.read_bytes()
    assert len(packed.data) < BUNDLE.stat().st_size / 3
    # another digest is another build's bundle: the page that asks must reload
    for stale in ("/vendor/plotly-sahel.min.js?v=0000", "/vendor/plotly-sahel.min.js"):
        assert client.get(stale).status_code == 404, stale


@pytest.mark.parametrize(
    "path",
    ["package_data/plotly.min.js", "package_data/plotly.v7_1_0m1700000000.min.js"],
)
def test_dash_s_own_plotly_url_answers_the_partial_bundle(client, path):
    # dcc asks for it when no plotly.js is loaded: it gets ours, never the 4.8 MB one
    url = f"/_dash-component-suites/plotly/{path}"
    answer = client.get(url)
    assert answer.status_code == 200 and answer.data == BUNDLE.read_bytes()
    assert answer.headers["Cache-Control"] == "no-cache"  # its URL does not change with it
    again = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_the_bundle_follows_the_app_s_path(monkeypatch):
    monkeypatch.setenv("DASH_URL_BASE_PATHNAME", "/sahel/")
    client = create_app(strict=True).server.test_client()
    url = next(s for s in scripts(client.get("/sahel/").text) if "plotly-sahel" in s)
    assert url.startswith("/sahel/vendor/plotly-sahel.min.js?v=")
    assert client.get(url).data == BUNDLE.read_bytes()
    dash_url = "/sahel/_dash-component-suites/plotly/package_data/plotly.min.js"
    assert client.get(dash_url).data == BUNDLE.read_bytes()
    assert client.get(url.replace("/sahel", "", 1)).status_code == 404

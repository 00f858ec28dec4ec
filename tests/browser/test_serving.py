"""The app served under a path, as behind a team's reverse proxy."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import serve
from tests.browser.helpers import (
    open_day,
    painted_alpha,
    shown_by_id,
    town_row,
    wait_for_map_idle,
)
from tests.browser.media import read_gif


@pytest.fixture(scope="module")
def prefixed_url():
    """The app at http://127.0.0.1:<port>/sahel (Dash reads the prefix from the env)."""
    proc, url = serve(["app.py"], env={"DASH_URL_BASE_PATHNAME": "/sahel/"}, probe="/sahel/")
    yield url + "/sahel"
    proc.terminate()
    proc.wait(timeout=10)


def test_sa201_the_page_works_under_a_path(page, prefixed_url):
    # the page fixture fails the test on any console error (a 404 logs one) or foreign host
    open_day(page, prefixed_url, "2013-01-11")
    assert "Konna — Ansar Dine + MUJAO + AQIM" in town_row(page, "konna")
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.paintedDay() !== null")
    bamako = shown_by_id(page, "ML1-0048")["ML1-0048"]
    assert painted_alpha(page, bamako["lon"], bamako["lat"]) > 0
    # the borders and the glyphs of the map's names came from below the path (MapLibre
    # fetches them from its worker, out of the recorder's sight: look at what it drew)
    wait_for_map_idle(page)
    drawn = page.evaluate(
        """() => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const style = map.getStyle();
            return {
                glyphs: style.glyphs,
                borders: map.querySourceFeatures('countries').length,
                names: map.queryRenderedFeatures({layers: ['country-label']}).length,
            };
        }"""
    )
    assert drawn["glyphs"].startswith("/sahel/assets/glyphs/")
    assert drawn["borders"] > 0 and drawn["names"] > 0


def test_sa202_a_recording_loads_its_encoder_from_below_the_path(page, prefixed_url):
    # the encoders are imported on demand from assets/vendor/, under the app's own path
    page.set_default_timeout(60_000)  # a recording waits for the map: slow on a busy machine
    open_day(page, prefixed_url, "2013-01-11")
    wait_for_map_idle(page)
    page.click("#record")
    page.check("#record-format input[value=gif]")
    page.fill("#record-from", "2013-01-11")
    page.fill("#record-to", "2013-01-11")
    vendor = []
    page.on("request", lambda r: vendor.append(r.url) if "/vendor/" in r.url else None)
    with page.expect_download(timeout=120_000) as download:
        page.click("#record-start")
    assert download.value.suggested_filename == "sahel-atlas-2013-01-11-2013-01-11.gif"
    assert read_gif(Path(download.value.path()).read_bytes()).delays_ms == [200]
    assert [urlparse(u).path for u in vendor] == ["/sahel/assets/vendor/gifenc-1.0.3/gifenc.esm.js"]

"""Exports of the view: the PNG with its caption and legend, the CSV and GeoJSON of the view."""

import base64
import csv
import io
import json
from urllib.parse import urlparse

from tests.browser.helpers import open_day, wait_for_map_idle


def test_sa601_the_map_is_saved_as_a_png_named_after_the_day(page, app_url):
    page.goto(f"{app_url}/?date=2013-01-11&window=7")
    open_day(page, app_url, "2013-01-11")
    wait_for_map_idle(page)
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.paintedDay() !== null")
    with page.expect_download() as download:
        page.click("#export-png")
    file = download.value
    assert file.suggested_filename == "sahel-atlas-2013-01-11.png"
    body = open(file.path(), "rb").read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    # look at the picture: a caption band of dark text on white, and the map below it
    seen = page.evaluate(
        """(b64) => {
            // decoded from its bytes (the page's CSP allows no data: or blob: images)
            const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
            return createImageBitmap(new Blob([bytes], {type: 'image/png'})).then((img) => {
                const c = document.createElement('canvas');
                c.width = img.width; c.height = img.height;
                const ctx = c.getContext('2d', {willReadFrequently: true});
                ctx.drawImage(img, 0, 0);
                const band = ctx.getImageData(0, 0, img.width, 40).data;
                let dark = 0;
                for (let i = 0; i < band.length; i += 4) if (band[i] < 80) dark++;
                const map = ctx.getImageData(0, Math.round(img.height / 2), img.width, 1).data;
                const colours = new Set();
                for (let i = 0; i < map.length; i += 4) colours.add(map[i] + ',' + map[i+1] + ',' + map[i+2]);
                return {w: img.width, h: img.height, dark, colours: colours.size};
            });
        }""",
        base64.b64encode(body).decode(),
    )
    gl = page.evaluate(
        """() => { const c = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot
                       .map.getCanvas(); return {w: c.width, h: c.height}; }"""
    )
    assert seen["w"] == gl["w"] and seen["h"] > gl["h"]  # the map, and bands for the words
    assert seen["dark"] > 100  # the title was written
    assert seen["colours"] > 5  # the map was drawn, not a blank buffer


def test_sa602_the_csv_and_geojson_links_export_this_view(page, app_url):
    open_day(page, app_url, "2013-01-11")
    page.click("#step-forward-day")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('date') === '2013-01-12'"
    )
    with page.expect_download() as download:
        page.click("#export-csv")
    file = download.value
    assert file.suggested_filename == "sahel-atlas-events-2013-01-12.csv"
    rows = list(csv.DictReader(io.StringIO(open(file.path(), encoding="utf-8").read())))
    assert rows and all(r["start"] <= "2013-01-12" for r in rows)
    assert "ML3-0001" in {r["event_id"] for r in rows}
    with page.expect_download() as download:
        page.click("#export-geojson")
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["properties"]["date"] == "2013-01-12"
    towns = [f for f in data["features"] if f["properties"]["kind"] == "town"]
    assert any(t["properties"]["id"] == "konna" for t in towns)
    # the links went to this host only
    assert urlparse(download.value.url).hostname == urlparse(app_url).hostname

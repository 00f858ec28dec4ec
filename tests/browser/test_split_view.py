"""The split view of a comparison: the day compared with on a second map, beside the day."""

from datetime import date

import pytest

from dashboard.domain import epoch_day
from tests.browser.helpers import event_index, map_zoom, pick_from_list, wait_for_day, wheel_zoom_at

WIDE = {"width": 1600, "height": 900}
KEY_TOWNS = ("gao", "timbuktu", "kidal", "konna")
TWIN = "window.SahelAtlas.twin.shown()"
SHOWN = f"() => {TWIN}"
#: The second map's canvas colour where it puts (lon, lat), as [r, g, b, a].
TWIN_PIXEL = """([lon, lat]) => {
    const map = window.SahelAtlas.twin.mapOf();
    const canvas = document.querySelector('.twin canvas.event-layer');
    const p = map.project([lon, lat]);
    const ratio = canvas.width / canvas.clientWidth;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d', {willReadFrequently: true});
    ctx.drawImage(canvas, 0, 0);
    return [...ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data];
}"""


def _hex(pixel: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*pixel[:3])


@pytest.mark.parametrize("page", [WIDE], indirect=True, ids=["wide"])
def test_sa310_a_comparison_shows_both_days_on_two_linked_maps(page, app_url, dataset):
    page.goto(f"{app_url}/?date=2013-02-01&compare=2012-06-01")
    wait_for_day(page, "2013-02-01")
    page.wait_for_function(
        "() => { const t = window.SahelAtlas.twin.shown(); return t && t.loaded; }"
    )
    twin = page.evaluate(SHOWN)
    then = page.evaluate("() => window.dash_clientside.sahelAtlas.townsOn('2012-06-01')")
    now = page.evaluate("() => window.dash_clientside.sahelAtlas.townsDrawn()")
    # the second map shows the towns of the day compared with, the first those of the day
    assert twin["day"] == epoch_day(date(2012, 6, 1))
    assert twin["core"] == then["core"] and twin["core"] != now["core"]
    # both maps, each half as wide, frame the data anew: the key towns are in view on both
    page.wait_for_function(
        """(towns) => {
            const main = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            return [main, window.SahelAtlas.twin.mapOf()].every(map => {
                const box = map.getCanvas();
                return !map.isMoving() && towns.every(([lon, lat]) => {
                    const p = map.project([lon, lat]);
                    return p.x > 10 && p.y > 10 && p.x < box.clientWidth - 10
                        && p.y < box.clientHeight - 10;
                });
            });
        }""",
        arg=[[dataset.places[t].lon, dataset.places[t].lat] for t in KEY_TOWNS],
    )
    inside = list(KEY_TOWNS)
    town = dataset.places[inside[0]]
    k = now["ids"].index(inside[0])
    pixel = page.evaluate(TWIN_PIXEL, [town.lon, town.lat])
    assert pixel[3] == 255 and _hex(pixel) == then["core"][k].lower()
    labels = page.locator(".twin-label").all_inner_texts()
    assert sorted(labels) == sorted(["1 Jun 2012", "1 Feb 2013"])
    assert page.locator("#split-view").get_attribute("aria-pressed") == "true"
    # the maps move together: zoom the first, the second follows
    before = map_zoom(page)
    wheel_zoom_at(page, town.lon, town.lat, 3)
    page.wait_for_function(
        """(before) => {
            const t = window.SahelAtlas.twin.shown();
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            return map.getZoom() > before + 0.3 && Math.abs(t.zoom - map.getZoom()) < 1e-6;
        }""",
        arg=before,
    )
    # a step moves the first map's day; the second keeps the day compared with
    page.click("#step-forward-day")
    wait_for_day(page, "2013-02-02")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.twin-label')].some(e => e.textContent === '2 Feb 2013')"
    )
    assert page.evaluate(SHOWN)["day"] == epoch_day(date(2012, 6, 1))
    # "Side by side" turns it off, in the link too, and on again
    page.click("#split-view")
    page.wait_for_function(f"() => {TWIN} === null")
    assert "split=0" in page.url
    assert page.locator(".twin").count() == 0
    page.click("#split-view")
    page.wait_for_function(f"() => {TWIN} !== null")
    assert "split=0" not in page.url


#: Where the second map puts event row `row` now (page px).
TWIN_EVENT_NOW = """(row) => {
    const events = window.SahelAtlas.layer.state.data.events;
    const now = window.SahelAtlas.twin.mapOf().project([events.lon[row], events.lat[row]]);
    const box = document.querySelector('.twin canvas.event-layer').getBoundingClientRect();
    return {x: box.left + now.x, y: box.top + now.y};
}"""

#: Where the second map has painted event row `row` (page px), once that is where the map
#: puts the event now, both maps at rest; null until then.
TWIN_EVENT_AT = (
    """(row) => {
    const t = window.SahelAtlas.twin.shown();
    const map = window.SahelAtlas.twin.mapOf();
    const main = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
    const p = t && t.loaded && !map.isMoving() && !main.isMoving() && t.points.find(q => q.i === row);
    if (!p) return null;
    const box = document.querySelector('.twin canvas.event-layer').getBoundingClientRect();
    const painted = {x: box.left + p.x, y: box.top + p.y};
    const now = (NOW)(row);
    if (Math.abs(now.x - painted.x) > 0.5 || Math.abs(now.y - painted.y) > 0.5) return null; // not painted yet
    return painted;
}"""
).replace("NOW", TWIN_EVENT_NOW)


def _hover_twin_event(page, row: int, text: str) -> dict:
    """Hover the second map's event `row` until its tooltip holds `text`; its point.

    A map that frames itself anew (a resize, the first map's fit) after the point was read
    moves the event from under the pointer: then the point is read again and hovered again.
    """
    for _ in range(5):
        point = page.wait_for_function(TWIN_EVENT_AT, arg=row).json_value()
        page.mouse.move(point["x"], point["y"])
        hovered = page.wait_for_function(
            """([row, text, point]) => {
                const tip = document.querySelector('.twin-tooltip');
                if (tip && getComputedStyle(tip).display !== 'none' && tip.innerText.includes(text)) return 'shown';
                const now = (NOW)(row);
                const moved = Math.abs(now.x - point.x) > 0.5 || Math.abs(now.y - point.y) > 0.5;
                return moved ? 'moved' : null;
            }""".replace("NOW", TWIN_EVENT_NOW),
            arg=[row, text, point],
        ).json_value()
        if hovered == "shown":
            return point
    raise AssertionError(f"the second map moved from under the pointer five times: {text!r}")


@pytest.mark.parametrize("page", [WIDE], indirect=True, ids=["wide"])
def test_sa312_the_second_map_s_events_and_towns_answer_the_pointer(page, app_url):
    page.goto(f"{app_url}/?date=2013-02-01&compare=2013-01-11")
    wait_for_day(page, "2013-02-01")
    row = event_index(page, "ML1-0048")  # Bamako, 20 Dec 2012: in the window of 11 Jan only
    # its tooltip, as the first map's: the full text, fetched on hover
    point = _hover_twin_event(page, row, "Fatalities: unknown")
    tooltip = page.locator(".twin-tooltip")
    assert "20 Dec 2012 · Bamako" in tooltip.inner_text()
    assert not page.locator("#map-tooltip").is_visible()
    # a click opens its record, selected in the link
    page.mouse.click(point["x"], point["y"])
    page.locator("#event-detail").get_by_text("Fatalities").wait_for()
    assert "Bamako" in page.locator("#event-detail").inner_text()
    page.wait_for_function("() => new URLSearchParams(location.search).get('event') === 'ML1-0048'")
    # Konna on 11 Jan 2013 has that day's events under it: the click lists them with it
    konna = page.evaluate(
        """() => {
            const map = window.SahelAtlas.twin.mapOf();
            const town = window.SahelAtlas.layer.state.data.towns.find(t => t.id === 'konna');
            const p = map.project([town.lon, town.lat]);
            const box = document.querySelector('.twin canvas.event-layer').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }"""
    )
    page.mouse.move(konna["x"], konna["y"])
    tooltip.get_by_text("Konna").first.wait_for()  # the town's holders on 11 Jan 2013
    page.mouse.click(konna["x"], konna["y"])
    pick_from_list(page, "Konna")
    page.wait_for_function("() => new URLSearchParams(location.search).get('place') === 'konna'")
    page.locator("#event-detail").get_by_text("Konna").first.wait_for()


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True, ids=["phone"])
def test_sa311_a_phone_keeps_one_map_for_a_comparison(page, app_url):
    page.goto(f"{app_url}/?date=2013-02-01&compare=2012-06-01")
    wait_for_day(page, "2013-02-01")
    # the comparison is there (the changed towns ringed), on one map
    page.wait_for_function("() => window.SahelAtlas.layer.state.changedTowns.length > 0")
    assert page.evaluate(SHOWN) is None
    assert page.locator(".twin").count() == 0
    assert not page.locator("#split-view").is_visible()

"""The map page in headless Chromium: what a reader, an analyst and a presenter see."""

import re
import time
from datetime import date, timedelta

import pytest

from tests.browser.helpers import (
    MAP,
    click_map_at,
    click_timeline_bar,
    click_timeline_week,
    event_index,
    label,
    map_point,
    open_day,
    painted_alpha,
    painted_pixel,
    pick_from_list,
    shown_by_id,
    town_colors,
    town_row,
    wait_for_day,
    wait_for_map_idle,
    wheel_zoom_at,
)


def test_sa001_page_loads_offline_with_a_clean_console(page, app_url):
    open_day(page, app_url, "2013-01-11")
    # Let MapLibre fetch its layers and glyphs, so any remote request would show.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/assets/glyphs/'))"
    )
    # Once MapLibre has loaded its style, sources and glyphs, it has asked for all it needs.
    wait_for_map_idle(page)
    requested = page.recorder.requests
    assert any("/geo/countries.geojson" in u for u in requested)
    assert any("/assets/glyphs/Sahel%20Sans%20Regular/0-255.pbf" in u for u in requested)
    assert page.title() == "Sahel Atlas"
    # the page fixture asserts: no request left the host, no console error or warning


def test_sa002_gao_held_by_mujao_on_1_august_2012(page, app_url, dataset):
    open_day(page, app_url, "2012-08-01")
    assert "Gao — MUJAO + AQIM held since 28 Jun 2012" in town_row(page, "gao")
    colors = town_colors(page)
    assert colors["gao"]["core"] == dataset.groups["mujao"].color
    assert colors["timbuktu"]["core"] == dataset.groups["ansar-dine"].color
    assert colors["konna"]["core"] == dataset.groups["mali"].color


def test_sa003_konna_held_by_the_islamist_coalition_on_11_january_2013(page, app_url, dataset):
    open_day(page, app_url, "2013-01-11")
    row = town_row(page, "konna")
    assert row.startswith("Konna — Ansar Dine + MUJAO + AQIM")
    assert "contested" in row
    colors = town_colors(page)
    assert colors["konna"]["core"] == dataset.groups["ansar-dine"].color
    assert colors["konna"]["ring"] == "#1d1d1d"  # contested: dark ring


def test_sa004_gao_and_timbuktu_back_with_malian_and_french_forces(page, app_url, dataset):
    open_day(page, app_url, "2013-02-15")
    for place in ("gao", "timbuktu"):
        row = town_row(page, place)
        assert re.search(r"— FAMa \+ France", row), row
        assert town_colors(page)[place]["core"] == dataset.groups["mali"].color


def test_sa005_default_day_is_the_day_after_konna_fell(page, app_url):
    page.goto(app_url)
    wait_for_day(page, "2013-01-11")


def _click_and_expect(page, button: str, day: str) -> None:
    page.click(f"#{button}")
    wait_for_day(page, day)


def test_sa006_step_buttons_move_the_day_and_the_url(page, app_url):
    open_day(page, app_url, "2013-01-11")
    _click_and_expect(page, "step-forward-day", "2013-01-12")
    _click_and_expect(page, "step-back-day", "2013-01-11")
    _click_and_expect(page, "step-forward-month", "2013-02-11")
    _click_and_expect(page, "step-back-month", "2013-01-11")
    _click_and_expect(page, "next-change", "2013-01-14")  # Diabaly falls
    _click_and_expect(page, "previous-change", "2013-01-11")
    _click_and_expect(page, "previous-change", "2013-01-10")  # Konna falls
    assert "Konna — Ansar Dine + MUJAO + AQIM held since 10 Jan 2013" in town_row(page, "konna")


def test_sa007_typed_date_moves_the_page_and_bad_input_is_flagged(page, app_url):
    open_day(page, app_url, "2013-01-11")
    box = page.locator("#date-input")
    box.fill("2012-04-02")
    box.press("Enter")
    wait_for_day(page, "2012-04-02")
    assert "shared" in town_row(page, "gao")
    box.fill("2012-02-30")
    box.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#date-input').closest('.date-input').classList.contains('invalid')"
    )
    assert page.locator("#date-label").inner_text() == label("2012-04-02")


def test_sa008_slider_moves_by_keyboard_and_by_drag(page, app_url):
    open_day(page, app_url, "2013-01-11")
    handle = page.locator("#date-slider [role=slider]").first
    handle.focus()
    handle.press("ArrowRight")
    wait_for_day(page, "2013-01-12")
    box = page.locator("#date-slider").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.05, box["y"] + box["height"] / 2)
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') < '2012-01-01'")
    day = page.evaluate("() => new URLSearchParams(location.search).get('date')")
    wait_for_day(page, day)


def test_sa009_play_advances_day_by_day_and_pauses(page, app_url):
    open_day(page, app_url, "2013-01-11")
    page.click("#play")
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') >= '2013-01-13'")
    page.click("#play")
    # the button's text and the timer's `disabled` are outputs of one callback: when the
    # button offers Play again, the timer is off
    page.wait_for_function("() => document.querySelector('#play').textContent.includes('Play')")
    stopped = page.evaluate("() => new URLSearchParams(location.search).get('date')")
    wait_for_day(page, stopped)
    # a step from there lands on the next day: no tick of the player moved it on
    following = (date.fromisoformat(stopped) + timedelta(days=1)).isoformat()
    page.click("#step-forward-day")
    wait_for_day(page, following)
    page.click("#step-back-day")
    wait_for_day(page, stopped)


def test_sa010_events_of_the_window_are_drawn_and_clicking_one_shows_its_record(page, app_url):
    open_day(page, app_url, "2013-01-11")
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.shownEvents().length > 0")
    shown = shown_by_id(page, "ML3-0001", "ML3-0002", "ML1-0048")
    assert {"ML3-0001", "ML3-0002", "ML1-0048"} <= set(shown)
    assert shown["ML3-0002"]["opacity"] == 1  # that very day
    assert shown["ML1-0048"]["opacity"] < 0.6  # three weeks earlier: fainter
    assert shown["ML1-0048"]["known"] is False  # toll unknown: drawn as a ring
    # a real hover and click on the Bamako event of 20 Dec 2012 (no town marker on top)
    click_map_at(page, "ML1-0048", event=True)
    tooltip = page.locator("#map-tooltip")
    tooltip.get_by_text("Fatalities: unknown").wait_for()  # the full text, fetched on hover
    assert "20 Dec 2012 · Bamako" in tooltip.inner_text()
    detail = page.locator("#event-detail")
    detail.get_by_text("Fatalities").wait_for()
    assert "Bamako" in detail.inner_text()
    assert detail.locator("a[href^='http']").count() >= 1


@pytest.mark.parametrize(
    "page",
    [{"width": 1366, "height": 768}, {"width": 1280, "height": 800, "scale": 2}],
    indirect=True,
    ids=["laptop", "retina"],
)
def test_sa016_events_are_painted_where_the_map_puts_them_and_follow_a_zoom(page, app_url):
    open_day(page, app_url, "2013-01-11")
    wait_for_map_idle(page)
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.paintedDay() !== null")
    shown = shown_by_id(page, "ML1-0048", "ML3-0001")
    bamako, konna = shown["ML1-0048"], shown["ML3-0001"]
    assert painted_alpha(page, bamako["lon"], bamako["lat"]) > 0
    assert painted_alpha(page, -8.0, 24.0) == 0  # empty desert: nothing painted
    # the Konna events lie under the Konna marker, which the canvas draws above them
    core = town_colors(page)["konna"]["core"].lower()
    r, g, b, a = painted_pixel(page, konna["lon"], konna["lat"])
    assert a == 255 and f"#{r:02x}{g:02x}{b:02x}" == core
    # zoom in on Bamako with the mouse wheel: the canvas follows the map
    # The pointer sits a few px off Bamako: however far the wheel zooms, Bamako stays
    # near the pointer, on the map.
    wheel_zoom_at(page, bamako["lon"], bamako["lat"], 8, offset=(5, 4))
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map.getZoom() > 4.7"
    )
    wait_for_map_idle(page)
    assert painted_alpha(page, bamako["lon"], bamako["lat"]) > 0
    # and a step still paints at the new zoom: the event stays in the window a day later
    page.click("#step-forward-day")
    wait_for_day(page, "2013-01-12")
    assert painted_alpha(page, bamako["lon"], bamako["lat"]) > 0


def test_sa017_a_change_of_control_repaints_the_towns_on_the_canvas_not_the_map(
    page, app_url, dataset
):
    open_day(page, app_url, "2013-01-13")
    wait_for_map_idle(page)
    page.evaluate(
        """() => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const log = window.__mapLog = [];
            map.on('dataloading', (e) => log.push(e.dataType + ':' + (e.sourceId || '')));
        }"""
    )
    before = town_colors(page)["diabaly"]["core"]
    _click_and_expect(page, "next-change", "2013-01-14")  # Diabaly falls
    after = town_colors(page)["diabaly"]["core"]
    assert after != before
    # the canvas shows the new holder's colour at the town's centre (the core)
    diabaly = dataset.places["diabaly"]
    r, g, b, a = painted_pixel(page, diabaly.lon, diabaly.lat)
    assert a == 255 and f"#{r:02x}{g:02x}{b:02x}" == after.lower()
    # and the WebGL map loaded no new data for it
    assert page.evaluate("() => window.__mapLog") == []


def test_sa019_an_event_hover_sums_it_up_at_once_and_fills_in_when_its_text_comes(page, app_url):
    held = []

    def hold(route):
        held.append(route)  # answered only when the test says so

    # hold the hover texts the page asks for by row (not the id lookups of the helpers)
    page.route(re.compile(r"/data/event-hover\?i="), hold)
    open_day(page, app_url, "2013-01-11")
    wait_for_map_idle(page)
    bamako = shown_by_id(page, "ML1-0048")["ML1-0048"]
    point = map_point(page, bamako["lon"], bamako["lat"])
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("#map-tooltip")
    tooltip.get_by_text("toll unknown").wait_for()
    assert "20 Dec 2012" in tooltip.inner_text()
    deadline = time.monotonic() + 30
    while not held:  # the route handler runs while Playwright waits on the page
        assert time.monotonic() < deadline, "the hover text was never asked for"
        page.evaluate("() => new Promise(requestAnimationFrame)")
    assert len(held) == 1 and f"i={bamako['i']}" in held[0].request.url
    held[0].continue_()
    tooltip.get_by_text("Fatalities: unknown").wait_for()
    # asked once: a second hover uses the text already here
    page.mouse.move(point["x"] + 200, point["y"])
    page.mouse.move(point["x"], point["y"])
    tooltip.get_by_text("Fatalities: unknown").wait_for()
    assert len(held) == 1


def test_sa015_clicking_a_town_shows_its_control_history(page, app_url):
    open_day(page, app_url, "2013-01-11")
    click_map_at(page, "konna")
    pick_from_list(page, "Konna")  # events of the window lie under the town too
    detail = page.locator("#event-detail")
    detail.get_by_text("Control of Konna").wait_for()
    text = detail.inner_text()
    assert "10 Jan 2013" in text and "Ansar Dine" in text
    assert detail.locator("a[href^='http']").count() >= 3


def test_sa011_stepping_patches_events_without_resending_the_map(page, app_url):
    open_day(page, app_url, "2013-01-11")
    page.evaluate(
        """() => {
            window.__posts = [];
            const f = window.fetch;
            window.fetch = (u, o) => {
                if (o && o.method === 'POST') { window.__posts.push(String(u)); }
                return f(u, o);
            };
        }"""
    )
    before = page.evaluate("() => document.querySelector('#map .js-plotly-plot').data.length")
    konna, february = event_index(page, "ML3-0001"), event_index(page, "ML3-0025")
    _click_and_expect(page, "step-forward-month", "2013-02-11")
    # the fall of Konna (10 Jan) leaves the 30-day window; the events of February come in
    page.wait_for_function(
        """([konna, february]) => {
            const rows = window.dash_clientside.sahelAtlas.shownEvents().map(e => e.i);
            return !rows.includes(konna) && rows.includes(february);
        }""",
        arg=[konna, february],
    )
    assert (
        page.evaluate("() => document.querySelector('#map .js-plotly-plot').data.length") == before
    )
    posts = page.evaluate("() => window.__posts")
    # only the situation panel goes to the server; the map figure never does
    assert posts and all("_dash-update-component" in p for p in posts)


def test_sa012_timeline_click_jumps_to_that_day(page, app_url):
    open_day(page, app_url, "2013-01-11")
    click_timeline_bar(page, "2012-06-28")  # Gao: MUJAO drives out the MNLA
    wait_for_day(page, "2012-06-28")
    cursor = page.locator("#timeline-cursor")
    page.wait_for_function(
        "() => document.querySelector('#timeline-cursor').title === '28 Jun 2012'"
    )
    expected = page.evaluate(
        """() => { const xa = document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis;
                   return xa._offset + xa.l2p(Date.UTC(2012, 5, 28)); }"""
    )
    assert cursor.is_visible()
    assert abs(float(cursor.evaluate("c => parseFloat(c.style.left)")) - expected) < 1


def test_sa018_clicking_a_week_of_events_jumps_to_its_sunday(page, app_url):
    open_day(page, app_url, "2012-06-01")
    click_timeline_week(page, "2013-01-10")  # the week of the fall of Konna
    wait_for_day(page, "2013-01-13")
    # 10 and 11 January, in the window
    assert {"ML3-0001", "ML3-0002"} <= set(shown_by_id(page, "ML3-0001", "ML3-0002"))


@pytest.mark.parametrize("page", [{"width": 1366, "height": 1200}], indirect=True, ids=["tall"])
def test_sa020_the_timeline_follows_a_day_outside_its_view(page, app_url):
    in_view = """(iso) => {
        const xa = document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis;
        const t = Date.parse(iso);
        const cursor = document.querySelector('#timeline-cursor');
        return xa.r2l(xa.range[0]) <= t && t <= xa.r2l(xa.range[1])
            && cursor.style.display === 'block'
            && Math.abs(parseFloat(cursor.style.left) - (xa._offset + xa.l2p(t))) < 1;
    }"""
    open_day(page, app_url, "2023-11-20")  # the timeline opens on 2011-2013
    page.wait_for_function(in_view, arg="2023-11-20")
    # a reader who drags the timeline (it pans) away from the day is not pulled back
    timeline_range = (
        "() => document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.range"
    )
    box = page.evaluate(
        """() => {
            const gd = document.querySelector('#timeline .js-plotly-plot');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const r = gd.getBoundingClientRect();
            return {left: r.left + xa._offset, width: xa._length, y: r.top + ya._offset + 20};
        }"""
    )
    page.mouse.move(box["left"] + box["width"] * 0.1, box["y"])
    page.mouse.down()
    page.mouse.move(box["left"] + box["width"] * 0.6, box["y"], steps=8)
    page.mouse.up()
    page.wait_for_function(f"() => ({timeline_range})()[1] < '2023-11-20'")
    zoomed = page.evaluate(timeline_range)
    # the page has answered the drag once it hides the cursor, the day being out of view
    page.wait_for_function(
        "() => document.querySelector('#timeline-cursor').style.display === 'none'"
    )
    assert page.evaluate(timeline_range) == zoomed
    # the next step brings the day back into view
    page.click("#step-forward-day")
    wait_for_day(page, "2023-11-21")
    page.wait_for_function(in_view, arg="2023-11-21")


@pytest.mark.parametrize(
    "page",
    [{"width": 390, "height": 844}, {"width": 1920, "height": 1080}],
    indirect=True,
    ids=["phone", "projector"],
)
def test_sa013_readable_from_phone_to_projector(page, app_url):
    open_day(page, app_url, "2013-01-11")
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    map_box = page.locator(MAP).bounding_box()
    assert map_box["width"] >= width * 0.6
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#date-label')).fontSize)"
    )
    assert size >= 22
    assert page.locator("#play").is_visible()


def test_sa014_play_stops_at_the_end_of_the_data(page, app_url):
    page.goto(app_url)
    wait_for_day(page, "2013-01-11")
    last = page.evaluate(
        "() => window.dash_clientside.sahelAtlas.isoOf(Number(document.querySelector('#date-slider [role=slider]').getAttribute('aria-valuemax')))"
    )
    start = (date.fromisoformat(last) - timedelta(days=2)).isoformat()
    open_day(page, app_url, start)
    page.click("#play")
    wait_for_day(page, last)
    page.wait_for_function("() => document.querySelector('#play').textContent.includes('Play')")

"""Key moments and the presenter: the list, ?present=1, its keys, the map view in the URL."""

from tests.browser.helpers import map_zoom, open_day, wait_for_day, wait_for_map_idle


def _center(page) -> dict:
    return page.evaluate(
        """() => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const c = map.getCenter();
            return {lat: c.lat, lon: c.lng, zoom: map.getZoom()};
        }"""
    )


def _wait_for_view(page, lat: float, lon: float, zoom: float) -> None:
    """Wait until the map has come to rest on (lat, lon) at ``zoom``."""
    page.wait_for_function(
        """([lat, lon, zoom]) => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const c = map.getCenter();
            return !map.isMoving() && Math.abs(c.lat - lat) < 0.01 && Math.abs(c.lng - lon) < 0.01
                && Math.abs(map.getZoom() - zoom) < 0.01;
        }""",
        arg=[lat, lon, zoom],
    )


def test_sa401_a_key_moment_moves_the_day_the_window_and_the_map(page, app_url):
    open_day(page, app_url, "2012-06-01")
    wait_for_map_idle(page)
    page.locator('#moments [data-moment="konna-falls"]').click()
    wait_for_day(page, "2013-01-10")
    _wait_for_view(page, 14.9467, -3.8933, 7)
    assert "lat=14.947" in page.url or "lat=14.9467" in page.url
    assert page.get_attribute('#moments [data-moment="konna-falls"]', "aria-current") == "true"
    # one Back step returns to where the reader was
    page.go_back()
    wait_for_day(page, "2012-06-01")


def test_sa402_the_presenter_steps_through_the_moments_with_its_keys(page, app_url):
    page.goto(f"{app_url}/?date=2013-01-10&present=1")
    wait_for_day(page, "2013-01-10")
    presenter = page.locator("#presenter")
    presenter.wait_for(state="visible")
    page.locator("#presenter-title").get_by_text("Islamists take Konna").wait_for()
    assert page.locator("#presenter-date").inner_text() == "10 Jan 2013"
    assert page.locator("#presenter-caption *").count() == 0  # text, never markup
    assert page.locator("#presenter-sources a[href^='http']").count() >= 1
    assert page.locator("#presenter-count").inner_text() == "9 / 30"
    # controls reduced to the moments; labels a room can read
    assert not page.locator(".controls").is_visible()
    wait_for_map_idle(page)
    page.wait_for_function(
        """() => document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map
            .getLayoutProperty('key-town-label', 'text-size') >= 18"""
    )
    caption_px = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#presenter-caption')).fontSize)"
    )
    assert caption_px >= 20
    page.keyboard.press("PageDown")
    wait_for_day(page, "2013-01-11")
    page.locator("#presenter-title").get_by_text("France intervenes").wait_for()
    page.keyboard.press("ArrowRight")
    wait_for_day(page, "2013-01-16")
    page.keyboard.press("PageUp")
    wait_for_day(page, "2013-01-11")
    page.keyboard.press("b")
    page.locator("#blackout").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("#blackout").wait_for(state="hidden")
    assert presenter.is_visible()
    page.keyboard.press("Escape")
    presenter.wait_for(state="hidden")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('present')")
    assert page.locator(".controls").is_visible()
    # the page's own keys are back: a day step
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    wait_for_day(page, "2013-01-12")


def test_sa403_the_map_view_is_in_the_link(page, app_url):
    page.goto(f"{app_url}/?date=2013-01-11&lat=16.27&lon=-0.04&zoom=7.5")
    wait_for_day(page, "2013-01-11")
    _wait_for_view(page, 16.27, -0.04, 7.5)
    # a zoom by the reader is written back into the link
    wait_for_map_idle(page)
    before = map_zoom(page)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 240)
    page.wait_for_function(
        """(before) => {
            const z = parseFloat(new URLSearchParams(location.search).get('zoom'));
            return z < before - 0.05;
        }""",
        arg=before,
    )
    # a view that is not one is refused with a notice
    page.goto(f"{app_url}/?date=2013-01-11&lat=95&lon=0&zoom=4")
    wait_for_day(page, "2013-01-11")
    page.locator("#view-notice").get_by_text("is not a place on the map").wait_for()


def test_sa404_a_kiosk_link_loops_the_moments(page, app_url):
    page.goto(f"{app_url}/?date=2025-07-01&present=1&autoplay=1")
    wait_for_day(page, "2025-07-01")
    page.locator("#presenter-count").get_by_text("30 / 30").wait_for()
    # after the last moment the loop starts again at the first
    page.wait_for_function(
        "() => document.querySelector('#presenter-count').textContent === '1 / 30'",
        timeout=60_000,
    )
    wait_for_day(page, "2011-10-16")

"""The whole page under its Content-Security-Policy, served by gunicorn as in production."""

import os
import socket
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, ROOT, Recorder, wait_until_serving
from tests.browser.helpers import (
    click_map_at,
    open_day,
    pick_from_list,
    wait_for_day,
    wait_for_map_idle,
)

# Collects every CSP violation the page reports, from before its first script runs.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture(scope="module")
def gunicorn_url():
    """gunicorn with gunicorn.conf.py (one worker) on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "SAHEL_ATLAS_BIND": f"127.0.0.1:{port}",
        "SAHEL_ATLAS_WORKERS": "1",
        "SAHEL_ATLAS_ACCESS_LOG": os.devnull,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    assert wait_until_serving(proc, url + "/healthz"), "gunicorn exited at start"
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def csp_page(browser, gunicorn_url):
    """A page that fails its test on any CSP violation, console error or foreign request."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page = context.new_page()
    page.recorder = Recorder(page)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    violations = sorted(set(page.evaluate("() => window.__cspViolations")))
    foreign = page.recorder.foreign_requests(urlparse(gunicorn_url).hostname)
    console = list(page.recorder.console)
    context.close()
    assert not violations, f"CSP violations: {violations}"
    assert not foreign, f"requests left the host: {foreign}"
    assert not console, f"console errors or warnings: {console}"


def test_sa601_every_feature_runs_under_the_policy(csp_page, gunicorn_url):
    page = csp_page
    response = page.goto(f"{gunicorn_url}/?date=2013-01-11")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    wait_for_day(page, "2013-01-11")
    # MapLibre's workers (started from blob: URLs) fetched the borders and the glyphs
    wait_for_map_idle(page)
    drawn = page.evaluate(
        """() => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            return {
                borders: map.querySourceFeatures('countries').length,
                names: map.queryRenderedFeatures({layers: ['country-label']}).length,
            };
        }"""
    )
    assert drawn["borders"] > 0 and drawn["names"] > 0
    # a day's step, then a hover and a click on an event of the canvas layer
    page.click("#step-forward-day")
    wait_for_day(page, "2013-01-12")
    click_map_at(page, "ML1-0048", event=True)
    page.locator("#map-tooltip").get_by_text("Fatalities: unknown").wait_for()
    page.locator("#event-detail").get_by_text("Fatalities").wait_for()
    assert "Bamako" in page.locator("#event-detail").inner_text()
    # a town's record, a month's step by key, the keys' help
    click_map_at(page, "konna")
    pick_from_list(page, "Konna")  # events of the window lie under the town too
    page.locator("#event-detail").get_by_text("Control of Konna").wait_for()
    page.keyboard.press("Shift+ArrowRight")
    wait_for_day(page, "2013-02-12")
    page.keyboard.press("?")
    page.locator("#keys-help").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("#keys-help").wait_for(state="hidden")
    # the presenter, opened from the address, and a step through its moments
    page.goto(f"{gunicorn_url}/?date=2013-01-10&present=1")
    wait_for_day(page, "2013-01-10")
    page.locator("#presenter").wait_for(state="visible")
    page.keyboard.press("PageDown")
    wait_for_day(page, "2013-01-11")
    page.keyboard.press("Escape")
    page.locator("#presenter").wait_for(state="hidden")


def test_sa602_no_mode_bar_leads_to_another_host(csp_page, gunicorn_url):
    page = csp_page
    open_day(page, gunicorn_url, "2013-01-11")
    for graph in ("#map", "#timeline"):
        page.locator(graph).scroll_into_view_if_needed()
        page.hover(f"{graph} .js-plotly-plot")
        page.locator(f"{graph} .modebar").wait_for(state="attached")
        buttons = page.evaluate(
            """(graph) => [...document.querySelectorAll(graph + ' .modebar a, ' + graph + ' .modebar button')]
                .map(b => ({href: b.getAttribute('href'), title: b.getAttribute('data-title') || ''}))""",
            graph,
        )
        assert buttons, f"{graph} has no mode bar"
        for button in buttons:
            href = button["href"]
            assert not href or urlparse(href).hostname in (None, "127.0.0.1"), (graph, button)
            assert not any(w in button["title"] for w in ("Share", "Chart Studio", "Plotly")), (
                graph,
                button,
            )


def test_sa603_no_other_site_can_frame_the_page(browser, gunicorn_url):
    context = browser.new_context()
    page = context.new_page()
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text) as refused:
        page.set_content(f'<iframe src="{gunicorn_url}/?date=2013-01-11"></iframe>')
    assert "'none'" in refused.value.text
    frame = page.frames[1]
    assert not frame.url.startswith(gunicorn_url), frame.url
    context.close()

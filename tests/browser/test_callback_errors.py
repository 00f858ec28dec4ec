"""A server callback that raises shows a notice in the page, and the page keeps working."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import Recorder, serve
from tests.browser.helpers import click_map_at, open_day, pick_from_list, wait_for_day


@pytest.fixture(scope="module")
def faulty_url(tmp_path_factory):
    cache = tmp_path_factory.mktemp("faulty-cache")
    proc, url = serve(["tests/browser/faulty_app.py"], env={"SAHEL_ATLAS_CACHE": str(cache)})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_sa703_a_failing_callback_is_said_in_the_page_and_the_rest_works(browser, faulty_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.recorder = Recorder(page)
    page.set_default_timeout(60_000)  # a cold page on a busy machine: conditions, not sleeps
    open_day(page, faulty_url, "2013-01-11")
    notice = page.locator("#callback-notice")
    assert not notice.is_visible()
    # the detail panel's callback raises: a notice says so, the panel is left as it was
    click_map_at(page, "konna")
    pick_from_list(page, "Konna")  # events of the window lie under the town too
    notice.get_by_text("the detail panel could not be updated").wait_for()
    assert notice.get_attribute("role") == "alert"
    assert "RuntimeError" in notice.inner_text() and "a fault injected" not in notice.inner_text()
    # the rest of the page goes on: a step moves the map, the situation panel and the URL
    page.click("#step-forward-day")
    wait_for_day(page, "2013-01-12")
    foreign = page.recorder.foreign_requests(urlparse(faulty_url).hostname)
    console = list(page.recorder.console)
    context.close()
    assert not foreign and not console, (foreign, console)

"""Many events in view: the map draws aggregate bubbles, not thousands of points."""

from datetime import date

import pytest

from tests.browser.conftest import serve
from tests.browser.helpers import open_day, shown_events, wait_for_map_idle, wheel_zoom_at
from tests.synthetic import synthetic


@pytest.fixture(scope="module")
def crowded_url(tmp_path_factory):
    """The app on 3,000 synthetic events, all in the 30 days to 31 December 2012."""
    root = synthetic(tmp_path_factory.mktemp("crowded"), 3000, first=date(2012, 12, 2), days=30)
    proc, url = serve(["app.py"], env={"SAHEL_ATLAS_DATA": str(root)})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_sa101_crowded_window_is_drawn_as_bubbles(page, crowded_url):
    open_day(page, crowded_url, "2012-12-31")
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.shownEvents().length > 0")
    drawn = shown_events(page)
    assert all(d.get("bubble") for d in drawn)
    assert 0 < len(drawn) < 400
    assert sum(d["count"] for d in drawn) == 3000  # every event counted once
    # zoomed in on central Mali with the mouse wheel, the events in view are points again
    wait_for_map_idle(page)
    wheel_zoom_at(page, -2, 17, 15)
    page.wait_for_function(
        "() => { const s = window.dash_clientside.sahelAtlas.shownEvents();"
        " return s.length > 0 && !s.some(e => e.bubble); }"
    )
    assert 0 < len(shown_events(page)) < 2000
    # a quiet month later the window empties
    page.click("#step-forward-month")
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.shownEvents().length === 0")

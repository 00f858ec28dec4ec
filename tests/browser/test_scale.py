"""Many events in view: the map draws aggregate bubbles, not thousands of points."""

from datetime import date

import pytest

from tests.browser.conftest import serve
from tests.browser.helpers import open_day
from tests.synthetic import synthetic


@pytest.fixture(scope="module")
def crowded_url(tmp_path_factory):
    """The app on 3,000 synthetic events, all in the 30 days to 31 December 2012."""
    root = synthetic(tmp_path_factory.mktemp("crowded"), 3000, first=date(2012, 12, 2), days=30)
    proc, url = serve(["app.py"], env={"SAHEL_ATLAS_DATA": str(root)})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def traces(page):
    return page.evaluate(
        """() => Object.fromEntries(document.querySelector('#map .js-plotly-plot').data
            .map(t => [t.name, {n: (t.lat || []).length, text: t.text || []}]))"""
    )


def test_sa101_crowded_window_is_drawn_as_bubbles(page, crowded_url):
    open_day(page, crowded_url, "2012-12-31")
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'clusters').lat.length > 0"
    )
    drawn = traces(page)
    assert drawn["events"]["n"] == drawn["events-unknown-ring"]["n"] == 0
    assert 0 < drawn["clusters"]["n"] < 400
    assert sum(int(t) for t in drawn["clusters"]["text"]) == 3000  # every event counted once
    # a quiet month later the window empties and single points come back
    page.click("#step-forward-month")
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'clusters').lat.length === 0"
    )

"""The first load: the partial plotly.js bundle, and the map drawn with its towns and events."""

from plotly.offline import get_plotlyjs_version

from tests.browser.helpers import shown_events, wait_until_drawn

TOWNS_DRAWN = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const map = gd._fullLayout.map._subplot.map;
    const core = gd.data.find(t => t.name === 'town-core');
    const drawn = map.queryRenderedFeatures({layers: ['plotly-trace-layer-town-core-circle']});
    return [core.lon.length, drawn.length];
}"""


def test_sa021_the_page_loads_the_partial_plotly_bundle_and_draws_towns_and_events(page, app_url):
    page.set_default_timeout(90_000)  # a cold first load, on a machine that may be busy
    page.goto(f"{app_url}/?date=2013-01-11")
    wait_until_drawn(page, "2013-01-11")
    # one plotly.js, ours: never Dash's 4.8 MB plotly.min.js
    asked = [url for url in page.recorder.requests if "plotly" in url]
    assert len(asked) == 1 and "/vendor/plotly-sahel.min.js?v=" in asked[0], asked
    version, traces = page.evaluate(
        "() => [Plotly.version, Object.keys(Plotly.PlotSchema.get().traces).sort()]"
    )
    assert version == get_plotlyjs_version()
    assert traces == ["bar", "scatter", "scattermap"]
    # every town on the WebGL map, the window's events on their canvas
    towns, drawn = page.evaluate(TOWNS_DRAWN)
    assert towns == 14 and drawn == towns
    assert any("i" in mark for mark in shown_events(page))
    # the timeline, the page's other graph, drew its bars with the same bundle
    assert page.locator("#timeline .barlayer .point").count() > 0

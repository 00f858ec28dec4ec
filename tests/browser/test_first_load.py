"""The first load: the partial plotly.js bundle, and the map drawn with its towns and events."""

from plotly.offline import get_plotlyjs_version

from tests.browser.helpers import shown_events, wait_until_drawn

# Added at document start: what the map held, and whether it was hidden, the moment the
# page first showed it (assets/atlas/reveal.js adds map-drawn to <html>).
WATCH_REVEAL = """
window.__revealed = null;
new MutationObserver((changes, observer) => {
    const root = document.documentElement;
    if (!root || !root.classList.contains('map-drawn')) return;
    observer.disconnect();
    const gd = document.querySelector('#map .js-plotly-plot');
    const map = gd._fullLayout.map._subplot.map;
    const drawn = window.dash_clientside.sahelAtlas.townsDrawn();
    window.__revealed = {
        loaded: map.loaded(),
        borders: map.isSourceLoaded('countries'),
        towns: drawn ? drawn.ids.length : 0,
    };
// <html> does not exist yet when this runs: watch the document's classes, <html>'s among them
}).observe(document, {attributes: true, attributeFilter: ['class'], subtree: true});
// how the map's element looked when Dash first rendered it
const firstSeen = () => {
    const element = document.getElementById('map');
    if (element) window.__mapFirstSeen = getComputedStyle(element).visibility;
    else requestAnimationFrame(firstSeen);
};
requestAnimationFrame(firstSeen);
"""

# the towns of the map's click trace, and those the event canvas drew on the map
TOWNS_DRAWN = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const hit = gd.data.find(t => t.name === 'town-hit');
    const drawn = window.dash_clientside.sahelAtlas.townsDrawn();
    return [hit.lon.length, drawn.core.filter(Boolean).length];
}"""


def test_sa021_the_page_loads_the_partial_plotly_bundle_and_draws_towns_and_events(page, app_url):
    page.set_default_timeout(90_000)  # a cold first load, on a machine that may be busy
    page.context.add_init_script(WATCH_REVEAL)
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
    # Dash's polyfill URL gave regenerator-runtime alone: no core-js patching built-ins
    assert page.evaluate(
        "() => typeof regeneratorRuntime.mark === 'function' && !('__core-js_shared__' in window)"
    )
    # every town drawn, and the window's events, on the canvas over the map
    towns, drawn = page.evaluate(TOWNS_DRAWN)
    assert towns == 14 and drawn == towns
    assert any("i" in mark for mark in shown_events(page))
    # the map was hidden until it had loaded whole, and shown with its towns at once
    revealed = page.evaluate("() => window.__revealed")
    assert page.evaluate("() => window.__mapFirstSeen") == "hidden"
    assert revealed["loaded"] and revealed["borders"] and revealed["towns"] == towns, revealed
    assert page.evaluate("() => getComputedStyle(document.getElementById('map')).visibility") == (
        "visible"
    )
    # the timeline, the page's other graph, drew its bars with the same bundle
    assert page.locator("#timeline .barlayer .point").count() > 0

"""The readable map: names that never collide, and a default view that frames Mali.

Where MapLibre has put each name is read from the map itself. ``queryRenderedFeatures``
on a symbol layer answers from MapLibre's collision index: a name is returned for a box
of the screen exactly when the box meets the name's collision box (its text and the
padding MapLibre keeps around it), and only names that were placed are there. So each
name's box is found by bisection: the smallest x at which the strip left of x holds the
name is its left edge, and so on for the four edges. Two names overlap on the screen only
if these boxes do.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from shapely.geometry import shape

from dashboard.domain import KEY_PLACES
from tests.browser.helpers import map_zoom, wait_for_day, wait_for_map_idle

LABELS = ["country-label", "town-label", "key-town-label"]
SIZES = {
    "laptop": {"width": 1366, "height": 768},
    "desktop": {"width": 1440, "height": 900},
    "projector": {"width": 1920, "height": 1080},
    "phone": {"width": 390, "height": 844},
}

# The boxes of the names placed now, {"layer:name": [left, top, right, bottom]} in CSS px
# of the map's canvas, once the map has drawn a frame after which nothing moves or fades.
LABEL_BOXES = """async (layers) => {
    const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
    await new Promise((done) => { map.once('idle', done); map.triggerRepaint(); });
    const key = (f) => f.layer.id + ':' + f.properties.name;
    const within = (box) => new Set(map.queryRenderedFeatures(box, {layers}).map(key));
    const W = map.getCanvas().clientWidth, H = map.getCanvas().clientHeight, M = 300;
    // where holds(x), false at lo and true at hi, turns true (to 1/8 px)
    const edge = (holds, lo, hi) => {
        while (hi - lo > 0.125) {
            const mid = (lo + hi) / 2;
            if (holds(mid)) { hi = mid; } else { lo = mid; }
        }
        return (lo + hi) / 2;
    };
    const boxes = {};
    for (const name of new Set(map.queryRenderedFeatures({layers}).map(key))) {
        boxes[name] = [
            edge((x) => within([[-M, -M], [x, H + M]]).has(name), -M, W + M),
            edge((y) => within([[-M, -M], [W + M, y]]).has(name), -M, H + M),
            edge((x) => !within([[x, -M], [W + M, H + M]]).has(name), -M, W + M),
            edge((y) => !within([[-M, y], [W + M, H + M]]).has(name), -M, H + M),
        ];
    }
    return boxes;
}"""

# Whether the map frames Mali's box [west, south, east, north]: the box is in the map,
# clear of the legend (beside it or below it), and fills at least 80% of the room left
# there in width or in height (framed, not a small cluster amid North Africa). With the
# figures it was judged on.
FRAMING = """([west, south, east, north]) => {
    const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
    const at = map.getContainer().getBoundingClientRect();
    const nw = map.project([west, north]), se = map.project([east, south]);
    const l = document.querySelector('#legend').getBoundingClientRect();
    const mali = {left: nw.x, top: nw.y, right: se.x, bottom: se.y};
    const legend = {right: l.right - at.left, bottom: l.bottom - at.top};
    const inside = mali.left >= 0 && mali.top >= 0 && mali.right <= at.width && mali.bottom <= at.height;
    const room = mali.left >= legend.right ? [at.width - legend.right, at.height]
        : mali.top >= legend.bottom ? [at.width, at.height - legend.bottom] : null;
    const filled = room ? Math.max((mali.right - mali.left) / room[0], (mali.bottom - mali.top) / room[1]) : 0;
    return {ok: !map.isMoving() && inside && filled >= 0.8, inside, room, filled, mali, legend,
            map: [at.width, at.height]};
}"""


def _mali_box(dataset) -> list[float]:
    (mali,) = [f for f in dataset.countries["features"] if f["properties"]["iso_a3"] == "MLI"]
    return list(shape(mali["geometry"]).bounds)


def _open_default_view(page, app_url, dataset) -> None:
    """The page as a link with no view opens it, once the map frames Mali."""
    page.set_default_timeout(60_000)  # a busy machine: wait longer for the conditions
    page.goto(app_url)
    wait_for_day(page, "2013-01-11")
    wait_for_map_idle(page)
    _assert_framed(page, dataset)


def _overlap(a: list[float], b: list[float]) -> float:
    """The smaller side of the intersection of two boxes, in px (<= 0: none)."""
    return min(min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1]))


def _assert_framed(page, dataset) -> None:
    """Wait until the map frames Mali (see ``FRAMING``), and say how it does not if not."""
    try:
        page.wait_for_function(f"(box) => ({FRAMING})(box).ok", arg=_mali_box(dataset))
    except PlaywrightTimeout:
        pass  # the assertion says why
    framing = page.evaluate(FRAMING, _mali_box(dataset))
    assert framing["ok"], framing


@pytest.mark.parametrize("page", list(SIZES.values()), indirect=True, ids=list(SIZES))
def test_sa701_the_default_view_frames_mali_and_no_two_names_overlap(page, app_url, dataset):
    _open_default_view(page, app_url, dataset)  # Mali framed, beside or below the legend
    # the framing is the screen's own: it is not written into the link
    assert "lat=" not in page.url and "zoom=" not in page.url
    boxes = page.evaluate(LABEL_BOXES, LABELS)
    named = {name.split(":", 1)[1] for name in boxes if name.startswith("key-town-label:")}
    assert named == {dataset.places[p].name for p in KEY_PLACES}
    assert len(boxes) > 8  # other towns and countries too, where there is room
    # the bisection finds each edge to 1/8 px: boxes that meet by less than 1 px touch
    overlapping = [
        (a, b)
        for i, a in enumerate(sorted(boxes))
        for b in sorted(boxes)[i + 1 :]
        if _overlap(boxes[a], boxes[b]) >= 1
    ]
    assert not overlapping, {pair: [boxes[pair[0]], boxes[pair[1]]] for pair in overlapping}


def test_sa702_a_resized_window_is_framed_again_until_the_reader_moves_the_map(
    page, app_url, dataset
):
    _open_default_view(page, app_url, dataset)
    before = map_zoom(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_function(
        "(before) => document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot"
        ".map.getZoom() > before + 0.2",
        arg=before,
    )
    wait_for_map_idle(page)
    _assert_framed(page, dataset)
    # a zoom by the reader is theirs: written into the link, and kept through a resize
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -240)
    page.wait_for_function("() => new URLSearchParams(location.search).has('zoom')")
    wait_for_map_idle(page)
    zoomed = map_zoom(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot').getBoundingClientRect().width < 1000"
    )
    wait_for_map_idle(page)
    assert map_zoom(page) == pytest.approx(zoomed, abs=0.01)

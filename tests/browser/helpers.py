"""Small helpers that read what a person sees on the page."""

from contextlib import contextmanager
from datetime import date

from tests.browser.conftest import PAGE_TIMEOUT_MS

MAP = "#map .js-plotly-plot"


def label(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.day} {d:%b %Y}"


#: The page shows the ISO day ``iso`` (``text`` as the date label writes it): the URL, the
#: date label, the situation panel and the town markers' colours all say so. False until
#: the atlas's script and data are there.
SHOWS_DAY = """([iso, text]) => {
    const A = window.dash_clientside && window.dash_clientside.sahelAtlas;
    const h = document.querySelector('#situation h2');
    const lab = document.querySelector('#date-label');
    const want = A && A.townsOn(iso);
    // the towns as drawn: on the event canvas, or (in builds before it, which
    // benchmarks/first_load.py measures too) in the map figure's town trace
    const gd = document.querySelector('#map .js-plotly-plot');
    const core = gd && gd.data && gd.data.find(t => t.name === 'town-core');
    const drawn = A && (A.townsDrawn ? A.townsDrawn() : core && {core: core.marker.color});
    return new URLSearchParams(location.search).get('date') === iso
        && lab && lab.textContent === text
        && h && h.textContent === text && want && drawn
        && want.core.every((c, i) => drawn.core[i] === c);
}"""
#: The page is ready on the ISO day ``iso``: it shows the day (``SHOWS_DAY``), the event
#: layer has painted that day, and the map has loaded its style, sources and tiles and is
#: shown (assets/atlas/reveal.js; builds before it never hid the map), with the town
#: markers drawn on the event canvas (``SHOWS_DAY``).
DRAWN = (
    """([iso, text]) => {
    const shows = """
    + SHOWS_DAY
    + """;
    const A = window.dash_clientside && window.dash_clientside.sahelAtlas;
    const gd = document.querySelector('#map .js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const map = sub && sub.map;
    // a page that keeps its map hidden until it is whole (reveal.js) must have shown it
    const hides = Boolean(window.SahelAtlas && window.SahelAtlas.reveal);
    const shown = !hides || document.documentElement.classList.contains('map-drawn');
    return Boolean(shows([iso, text]) && A.paintedDay() === A.parseIso(iso)
        && map && map.loaded() && shown);
}"""
)


def wait_for_day(page, day: str) -> None:
    """Wait until the URL, the date label, the situation panel and the town markers the
    map has drawn all show ``day``."""
    page.wait_for_function(SHOWS_DAY, arg=[day, label(day)])


def wait_until_drawn(page, day: str) -> None:
    """Wait until the page shows ``day`` with its events painted and its towns on the map."""
    page.wait_for_function(DRAWN, arg=[day, label(day)], polling="raf")


def open_day(page, base: str, day: str) -> None:
    page.goto(f"{base}/?date={day}")
    wait_for_day(page, day)


@contextmanager
def reopened(page, day: str):
    """The page's link opened in a new page of the same browser, once it shows ``day``."""
    fresh = page.context.new_page()
    fresh.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        fresh.goto(page.url)
        wait_for_day(fresh, day)
        yield fresh
    finally:
        fresh.close()


def go_to_search(page, search: str) -> None:
    """Move to a URL's query as Back/Forward would (the page's location listener picks it up)."""
    page.evaluate(
        """(search) => {
            history.pushState(null, '', search);
            window.dispatchEvent(new PopStateEvent('popstate', {state: null}));
        }""",
        search,
    )


def town_row(page, place: str) -> str:
    return page.locator(f'#situation li.town[data-place="{place}"]').inner_text()


def town_colors(page) -> dict[str, dict[str, str]]:
    """The colours of the town markers as the map last drew them."""
    return page.evaluate(
        """() => {
            const drawn = window.dash_clientside.sahelAtlas.townsDrawn();
            const out = {};
            drawn.ids.forEach((id, i) => out[id] = {core: drawn.core[i], ring: drawn.ring[i]});
            return out;
        }"""
    )


def shown_events(page) -> list[dict]:
    """What the map's event layer draws now (see sahelAtlas.shownEvents in assets/atlas.js).

    Each mark names its event by ``i``, its row in the event columns the page holds.
    """
    return page.evaluate("() => window.dash_clientside.sahelAtlas.shownEvents()")


def event_index(page, event_id: str) -> int:
    """The row of event ``event_id`` in the page's event columns, as the server tells it."""
    return page.evaluate(
        """(id) => fetch('data/event-hover?id=' + encodeURIComponent(id))
            .then(r => r.json()).then(body => body.i)""",
        event_id,
    )


def shown_by_id(page, *event_ids: str) -> dict[str, dict]:
    """The marks drawn now for the events ``event_ids`` (those not drawn are left out)."""
    rows = {event_index(page, event_id): event_id for event_id in event_ids}
    return {rows[e["i"]]: e for e in shown_events(page) if e["i"] in rows}


def click_map_at(page, wanted: str, *, event: bool = False) -> None:
    """Click with the mouse on the map where the town, or the event, ``wanted`` is drawn."""
    wait_for_map_idle(page)
    row = event_index(page, wanted) if event else None
    point = page.evaluate(
        """([wanted, row]) => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const map = gd._fullLayout.map._subplot.map;
            const box = map.getCanvas().getBoundingClientRect();
            const at = (lon, lat) => {
                const p = map.project([lon, lat]);
                return {x: box.left + p.x, y: box.top + p.y};
            };
            if (row !== null) {
                const event = window.dash_clientside.sahelAtlas.shownEvents().find(e => e.i === row);
                return event ? {...at(event.lon, event.lat), event: true} : null;
            }
            for (const t of gd.data) {
                const i = (t.customdata || []).indexOf(wanted);
                if (i >= 0) return at(t.lon[i], t.lat[i]);
            }
            return null;
        }""",
        [wanted, row],
    )
    assert point, f"{wanted} is not on the map"
    if point.get("event"):
        # an event of our canvas: its tooltip shows once the pointer is on it
        page.mouse.move(point["x"], point["y"])
        page.locator("#map-tooltip").wait_for(state="visible")
        page.mouse.click(point["x"], point["y"])
    else:
        hover_and_click(page, point, "#map", wanted)


def pick_from_list(page, name: str) -> None:
    """Pick ``name`` (a town's name, or an event's first line) from the list a click on
    several things opens (assets/atlas/chooser.js), once it is open."""
    chooser = page.locator(".map-chooser")
    chooser.wait_for(state="visible")
    chooser.get_by_role("button", name=name).click()
    chooser.wait_for(state="hidden")


def wait_for_map_idle(page) -> None:
    """Wait until MapLibre has loaded its style and sources and stopped moving, and the page
    shows the map (assets/atlas/reveal.js)."""
    page.wait_for_function(
        """() => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return sub && sub.map && sub.map.loaded() && sub.map.areTilesLoaded() && !sub.map.isMoving()
                && document.documentElement.classList.contains('map-drawn');
        }"""
    )


def click_timeline_bar(page, customdata: str) -> None:
    """Click with the mouse on the timeline bar whose customdata is ``customdata``."""
    page.locator("#timeline").scroll_into_view_if_needed()
    point = page.evaluate(
        """(wanted) => {
            const gd = document.querySelector('#timeline .js-plotly-plot');
            const gantt = gd.data.filter(t => t.orientation === 'h');
            for (let c = 0; c < gantt.length; c++) {
                const i = gantt[c].customdata.indexOf(wanted);
                if (i >= 0) {
                    const trace = gd.querySelectorAll('.subplot.xy .barlayer .trace')[c];
                    const box = trace.querySelectorAll('.point')[i].getBoundingClientRect();
                    return {x: box.left + box.width / 2, y: box.top + box.height / 2};
                }
            }
            return null;
        }""",
        customdata,
    )
    assert point, f"no timeline bar starts on {customdata}"
    hover_and_click(page, point, "#timeline", customdata)


def click_timeline_week(page, day: str) -> None:
    """Click with the mouse on the bottom of the timeline's event bars for the week of day."""
    page.locator("#timeline").scroll_into_view_if_needed()
    point = page.evaluate(
        """(day) => {
            const gd = document.querySelector('#timeline .js-plotly-plot');
            const weekly = gd.data.find(t => t.orientation !== 'h');
            const xa = gd._fullLayout['xaxis' + weekly.xaxis.slice(1)];
            const ya = gd._fullLayout['yaxis' + weekly.yaxis.slice(1)];
            const box = gd.getBoundingClientRect();
            const x = xa._offset + xa.l2p(xa.d2l(day));
            const y = ya._offset + ya.l2p(0.3);  // the lowest bar of that week's stack
            return {x: box.left + x, y: box.top + y};
        }""",
        day,
    )
    hover_and_click(page, point, "#timeline")


def hover_and_click(page, point: dict, graph: str, customdata: str | None = None) -> None:
    """Move the mouse onto a point of a Plotly graph, wait for its hover, then click there.

    Plotly answers a click with the points its last hover found, so the click waits until
    the hover has found a point (the one whose customdata is ``customdata``, if given).
    """
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(
        """([graph, wanted]) => {
            const gd = document.querySelector(graph + ' .js-plotly-plot');
            const hover = (gd && gd._hoverdata) || [];
            return hover.some(p => wanted === null || String(p.customdata).startsWith(wanted));
        }""",
        arg=[graph, customdata],
    )
    page.mouse.click(point["x"], point["y"])


def painted_pixel(page, lon: float, lat: float) -> list[int]:
    """The event canvas's [r, g, b, a] where the map puts (lon, lat); [] off the map."""
    return page.evaluate(
        """([lon, lat]) => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const canvas = document.querySelector('#map canvas.event-layer');
            const p = map.project([lon, lat]);
            const ratio = canvas.width / canvas.clientWidth;
            const x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
            if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return [];
            // read from a copy: reading back the page's own canvas would slow it down
            const copy = document.createElement('canvas');
            copy.width = canvas.width;
            copy.height = canvas.height;
            const ctx = copy.getContext('2d', {willReadFrequently: true});
            ctx.drawImage(canvas, 0, 0);
            return [...ctx.getImageData(x, y, 1, 1).data];
        }""",
        [lon, lat],
    )


def painted_alpha(page, lon: float, lat: float) -> int:
    """Opacity (0-255) of the event canvas where the map puts (lon, lat); -1 off the map."""
    pixel = painted_pixel(page, lon, lat)
    return pixel[3] if pixel else -1


def map_point(page, lon: float, lat: float) -> dict:
    """Where on the page (CSS px) the map draws (lon, lat) now."""
    return page.evaluate(
        """([lon, lat]) => {
            const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
            const p = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [lon, lat],
    )


def map_zoom(page) -> float:
    return page.evaluate(
        "() => document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map.getZoom()"
    )


def wheel_zoom_at(page, lon: float, lat: float, notches: int, *, offset=(0, 0)) -> None:
    """Zoom the map in with the mouse wheel, the pointer near (lon, lat) plus offset px.

    MapLibre zooms about the pointer, so (lon, lat) stays ``offset`` px (times the zoom
    factor) from it. Each notch waits until the map has zoomed in (or reached its
    maximum) and come to rest, however slowly a busy machine draws the easing.
    """
    point = map_point(page, lon, lat)
    page.mouse.move(point["x"] + offset[0], point["y"] + offset[1])
    for _ in range(notches):
        before = map_zoom(page)
        page.mouse.wheel(0, -240)
        page.wait_for_function(
            """(before) => {
                const map = document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map;
                return (map.getZoom() > before || map.getZoom() >= map.getMaxZoom())
                    && !map.isMoving();
            }""",
            arg=before,
        )

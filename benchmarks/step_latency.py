"""How long a date step takes to show on the map, in headless Chromium, against references.

Run ``.venv/bin/python benchmarks/step_latency.py`` (after ``scripts/test`` has installed
Chromium and the dev requirements). For each data size it serves three apps and clicks
"+1 day" repeatedly:

- ``atlas``: Sahel Atlas as shipped (the date moves in the browser, which repaints the
  window's events and the town markers on its canvas over the map in the next frame and
  tells Dash once the day has settled; borders and names stay in the map style);
- ``server-figure``: the usual Dash pattern, a server callback returning the whole
  figure: ``make_map_figure`` plus the window's events as a ``Scattermap`` trace
  (borders still in the style);
- ``server-choropleth``: the same, with the borders drawn as an inline
  ``Choroplethmap`` trace, as most Dash maps do.

A step is timed from the click to the start of the frame after the one that showed it
(so the time includes drawing that frame: in software GL, the WebGL work is flushed when
the frame is committed). "Showed it" means: for the atlas, its events and towns painted;
for the references, the map drawn once the new figure's data had loaded.

It prints p50/p95 per app and the references' ratio to the atlas, measured in the same
run; the atlas's steps split by whether a town changed hands that day, and the time until
the situation panel showed the new day. Sizes: the shipped data, then synthetic data sets of
10k and 100k events spread over 2012-2013 inside Mali (``--sizes 0,10000,100000``; 0 is the
shipped data). The shipped run starts on 2013-01-11, the stretch of the data with the most
changes of control.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import GEODATA, Dataset, load_dataset  # noqa: E402
from dashboard.domain import (  # noqa: E402
    KEY_PLACES,
    control_on,
    epoch_day,
    from_epoch_day,
    window,
)
from dashboard.figures import (  # noqa: E402
    event_hover,
    event_size,
    gap_size,
    make_map_figure,
    town_marker,
    type_color,
)
from dashboard.mapstyle import GLYPHS_PATH, KEY_TOWN_SIZE, SEA, TOWN_SIZE  # noqa: E402
from dashboard.server import ASSETS, create_app, serve_geo  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.synthetic import synthetic  # noqa: E402

START = date(2013, 1, 11)

MEASURE_STEPS = """
async ([steps, warmup, atlas]) => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const button = document.getElementById('step-forward-day');
    const A = window.dash_clientside && window.dash_clientside.sahelAtlas;
    const sleep = (ms) => new Promise(r => setTimeout(r, ms));
    const frame = () => new Promise(r => requestAnimationFrame(() => r(performance.now())));
    const times = [];
    const changed = [];
    const panel = [];
    for (let k = 0; k < steps + warmup; k++) {
        const map = gd._fullLayout.map._subplot.map;
        const painted = atlas ? A.paintedDay() : null;
        const situation = document.getElementById('situation');
        const panelText = situation ? situation.innerText : null;
        // MapLibre work of this step: a source set loading (a new figure, or new town
        // colours), then a frame drawn once every source has loaded.
        let loading = false;
        let mapDone = false;
        const onLoading = (e) => {
            if (e.dataType === 'source') { loading = true; mapDone = false; }
        };
        const onRender = () => { if (loading && map.loaded()) mapDone = true; };
        map.on('dataloading', onLoading);
        map.on('render', onRender);
        const ready = () => {
            if (!atlas) return mapDone;
            // the atlas draws the events and the town markers on its canvas in one frame
            return A.paintedDay() !== painted;
        };
        const t0 = performance.now();
        button.click();
        // Done at the start of the frame after the one that showed the new day, so that
        // the time includes drawing that frame (the WebGL flush happens at its commit).
        let t1 = NaN;
        const deadline = t0 + 10000;
        while (performance.now() < deadline) {
            await frame();
            if (ready()) {
                t1 = await frame();
                break;
            }
        }
        map.off('dataloading', onLoading);
        map.off('render', onRender);
        if (k >= warmup) {
            times.push(t1 - t0);
            changed.push(atlas && A.townsChangedDay() === A.paintedDay());
        }
        if (situation && k >= warmup) {
            // the situation panel follows the map: time until it shows the new day
            while (situation.innerText === panelText && performance.now() < deadline) {
                await sleep(2);
            }
            panel.push(performance.now() - t0);
        }
        await sleep(60);
    }
    return [times, changed, panel];
}
"""


def town_traces(dataset: Dataset, day: date) -> list[go.Scattermap]:
    """The town markers of ``day`` as Plotly traces (ring, gap, core), the usual way."""
    places = [dataset.places[p] for p in dataset.control_places]
    looks = [town_marker(dataset, control_on(dataset.periods, p.id, day), p.name) for p in places]
    sizes = [KEY_TOWN_SIZE if p.id in KEY_PLACES else TOWN_SIZE for p in places]
    lat, lon = [p.lat for p in places], [p.lon for p in places]
    parts = (
        ([ring for ring, _ in sizes], [m.ring for m in looks]),
        ([gap_size(s) for s in sizes], [m.gap for m in looks]),
        ([core for _, core in sizes], [m.core for m in looks]),
    )
    traces = [
        go.Scattermap(
            lat=lat,
            lon=lon,
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker={"size": size, "color": color},
        )
        for size, color in parts
    ]
    traces[-1].update(hovertext=[m.hover for m in looks], hoverinfo="text")
    return traces


def naive_app(data: Path | Dataset, *, choropleth: bool, start: date = START) -> Dash:
    """The usual Dash pattern: every step asks the server for a whole new figure.

    ``data`` is a data folder or a loaded data set (e.g. with an analyst's imports);
    the page opens on ``start``.
    """
    dataset = data if isinstance(data, Dataset) else load_dataset(data)

    def figure(day: date) -> go.Figure:
        fig = make_map_figure(dataset, day)
        fig.add_traces(town_traces(dataset, day))  # the towns' colours, as traces
        # the window's events as a trace, rebuilt on the server at every step
        shown = dataset.events_in(*window(day))
        fig.add_trace(
            go.Scattermap(
                lat=[e.latitude for e in shown],
                lon=[e.longitude for e in shown],
                customdata=[e.event_id for e in shown],
                hovertext=[event_hover(dataset, e) for e in shown],
                hoverinfo="text",
                marker={
                    "color": [type_color(e.event_type) for e in shown],
                    "size": [event_size(e.fatalities) for e in shown],
                },
                showlegend=False,
            )
        )
        fig.data = (fig.data[-1],) + fig.data[:-1]  # under the towns
        if choropleth:
            features = dataset.countries["features"]
            fig.add_trace(
                go.Choroplethmap(
                    geojson=dict(dataset.countries),
                    featureidkey="properties.iso_a3",
                    locations=[f["properties"]["iso_a3"] for f in features],
                    z=[1 if f["properties"]["focus"] else 0 for f in features],
                    colorscale=[[0, "#e6e6e3"], [1, "#f6f1e4"]],
                    showscale=False,
                    marker_line_color="#5b5346",
                    hoverinfo="skip",
                )
            )
            # the choropleth goes first, under the points
            fig.data = (fig.data[-1],) + fig.data[:-1]
            bare = {
                "version": 8,
                "sources": {
                    "none": {
                        "type": "geojson",
                        "data": {"type": "FeatureCollection", "features": []},
                    }
                },
                "glyphs": "/" + GLYPHS_PATH,
                "layers": [{"id": "sea", "type": "background", "paint": {"background-color": SEA}}],
            }
            fig.update_layout(map_style=bare)
        return fig

    app = Dash(__name__, assets_folder=str(ASSETS), serve_locally=True)
    app.layout = html.Div(
        [
            dcc.Store(id="day", data=epoch_day(start)),
            html.Button("+1 d", id="step-forward-day", n_clicks=0),
            dcc.Graph(id="map", figure=figure(start), style={"height": "620px"}),
        ]
    )
    serve_geo(app, dataset)

    @app.callback(
        Output("map", "figure"),
        Output("day", "data"),
        Input("step-forward-day", "n_clicks"),
        State("day", "data"),
        prevent_initial_call=True,
    )
    def step(_clicks: int, day: int):
        return figure(from_epoch_day(day + 1)), day + 1

    return app


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without one log line per request."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        """Log nothing."""


class Served:
    """A Dash app served from a background thread on a free local port."""

    def __init__(self, app: Dash):
        self.server = make_server(
            "127.0.0.1", 0, app.server, threaded=True, request_handler=QuietHandler
        )
        self.server.log_request = lambda *a, **k: None  # keep the report readable
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()


MAP_IDLE = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return m && m.map && m.map.loaded() && m.map.areTilesLoaded();
}"""


def measure(browser, url: str, steps: int, warmup: int, *, atlas: bool, start: date = START):
    """Open the app on ``start`` and time ``steps`` clicks of +1 day after ``warmup``."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.set_default_timeout(120_000)
    page.goto(f"{url}/?date={start.isoformat()}")
    page.wait_for_function(MAP_IDLE)
    time.sleep(1.0)
    times, changed, panel = page.evaluate(MEASURE_STEPS, [steps, warmup, atlas])
    page.close()
    return times, changed, panel


def finite(values: list[float | None]) -> list[float]:
    """The steps that finished (a step that timed out comes back as NaN or None)."""
    return [v for v in values if v is not None and v == v]


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values``; NaN when none finished."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10000,100000")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(
        "Step latency, headless Chromium (software GL): "
        f"{args.steps} steps of +1 day after {args.warmup} warm-up"
    )
    header = ("data", "app", "p50 ms", "p95 ms", "p50 ×atlas", "p95 ×atlas")
    print("{:>18} {:>18} {:>8} {:>8} {:>11} {:>11}".format(*header))
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for n in sizes:
            root = GEODATA if n == 0 else synthetic(Path(tmp) / f"syn{n}", n)
            label = f"shipped ({len(load_dataset(root).events)})" if n == 0 else f"{n:,} synthetic"
            apps = {
                "atlas": create_app(root, strict=True),
                "server-figure": naive_app(root, choropleth=False),
                "server-choropleth": naive_app(root, choropleth=True),
            }
            results = {}
            for name, app in apps.items():
                served = Served(app)
                try:
                    results[name] = measure(
                        browser, served.url, args.steps, args.warmup, atlas=name == "atlas"
                    )
                finally:
                    served.close()
            times, changed, panel = results["atlas"]
            rows = {
                "atlas": times,
                "atlas, town change": [t for t, c in zip(times, changed, strict=True) if c],
                "atlas, no change": [t for t, c in zip(times, changed, strict=True) if not c],
                "server-figure": results["server-figure"][0],
                "server-choropleth": results["server-choropleth"][0],
                "atlas panel": panel,
            }
            base50, base95 = pct(finite(times), 0.5), pct(finite(times), 0.95)
            for name, values in rows.items():
                done = finite(values)
                if not done:
                    continue
                p50, p95 = pct(done, 0.5), pct(done, 0.95)
                row = f"{label:>18} {name:>18} {p50:8.1f} {p95:8.1f}"
                if name.startswith("server"):
                    row += f" {p50 / base50:11.2f} {p95 / base95:11.2f}"
                else:
                    row += f" {'':>11} {'':>11}  ({len(done)} steps)"
                lost = len(values) - len(done)
                print(row + (f"  ({lost} timed out)" if lost else ""))
            sys.stdout.flush()
        browser.close()


if __name__ == "__main__":
    main()

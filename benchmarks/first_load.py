"""The first load of the atlas in headless Chromium: page ready and where the time goes.

Run ``.venv/bin/python benchmarks/first_load.py`` (``--runs 9`` by default). It serves two
builds of the atlas on the shipped data, each with ``app.py`` in a process of its own:

- ``atlas``: this work tree;
- ``reference``: the atlas at ``--reference`` (a git revision, by default the commit the
  first-load work of issue 9 started from, which loaded Dash's full ``plotly.min.js``,
  4.8 MB, as dcc does: once the map's graph is first rendered), extracted with
  ``git archive`` and run with the same Python.

Each run opens ``/?date=DAY`` in a fresh browser context (an empty cache, a new renderer
process) at 1366x768, the two builds taking turns. **Page ready** is the time from
navigation start to the first animation frame in which the page shows the day (URL, date
label, situation panel and town colours: ``tests/browser/helpers.py`` ``SHOWS_DAY``, the
condition the browser tests wait for), the event layer has painted it and the map has
loaded, its town markers rendered (``helpers.DRAWN``). A script added at document start
checks it, and the milestones below, at every animation frame.

It prints, per build, the p50 over the runs of page ready and of each milestone (ms from
navigation start), the main thread's script and task time until ready (CDP
``Performance.getMetrics``), the bytes received (CDP ``encodedDataLength``: bodies as
sent, plus headers) and the plotly.js bundle's bytes, then the ratio of the reference to
the atlas measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.appserver import AppProcess, tree_at  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.browser.helpers import DRAWN, label  # noqa: E402

#: main when the first-load work began: Dash's full plotly.min.js, loaded by dcc.
REFERENCE = "543f4d3"
VIEWPORT = {"width": 1366, "height": 768}

#: Added at document start: stamps each milestone (ms from navigation start) the first
#: animation frame it holds, until the page is ready.
MILESTONES = (
    """(() => {
    const drawn = """
    + DRAWN
    + """;
    const iso = new URLSearchParams(location.search).get('date');
    const text = %s;
    const t = (window.__firstLoad = {});
    const mark = (name, ok) => { if (ok && t[name] === undefined) t[name] = performance.now(); };
    const tick = () => {
        try {
            const gd = document.querySelector('#map .js-plotly-plot');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            const map = sub && sub.map;
            const A = window.dash_clientside && window.dash_clientside.sahelAtlas;
            mark('plotly evaluated', Boolean(window.Plotly));
            mark('renderer drew the layout', Boolean(document.getElementById('date-label')));
            mark('map created', Boolean(map));
            mark('data decoded', Boolean(A && A.townsOn(iso)));
            mark('events painted', Boolean(A && A.paintedDay() === A.parseIso(iso)));
            const loaded = (id) => Boolean(map && map.getSource(id) && map.isSourceLoaded(id));
            mark('borders loaded on the map', loaded('countries'));
            // the towns: drawn on the event canvas (or, in builds before it, a map source)
            mark('towns drawn', Boolean(A && A.townsDrawn ? A.townsDrawn()
                : loaded('source-town-core-circle')));
            mark('map loaded', Boolean(map && map.loaded()));
            mark('ready', drawn([iso, text]));
        } catch (error) {
            // the atlas's modules are still loading: look again at the next frame
        }
        if (t.ready === undefined) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})()"""
)

#: When the page's parts arrived (responseEnd, ms from navigation start): name -> URL part.
ARRIVALS = {
    "html": None,
    "dcc's lazy chunks": "/dcc/async-",
    "layout": "_dash-layout",
    "plotly.js": "plotly",
    "atlas.json": "atlas.json",
    "events.bin": "events.bin",
    "glyphs": ".pbf",
}
READ_ARRIVALS = """(parts) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const out = {html: nav.responseEnd, 'DOMContentLoaded': nav.domContentLoadedEventEnd};
    const resources = performance.getEntriesByType('resource');
    for (const [name, part] of Object.entries(parts)) {
        if (part === null) continue;
        const ends = resources.filter(e => e.name.includes(part)).map(e => e.responseEnd);
        if (ends.length) out[name + ' arrived'] = Math.max(...ends);
    }
    return out;
}"""


def load_once(browser, url: str, day: str) -> dict:
    """One cold load of ``url`` on ``day``: milestones, arrivals, CPU time and bytes."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(MILESTONES % repr(label(day)))
        page = context.new_page()
        page.set_default_timeout(120_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        urls: dict[str, str] = {}
        received: dict[str, int] = {}
        cdp.on(
            "Network.responseReceived",
            lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        page.goto(f"{url}/?date={day}")
        page.wait_for_function("() => window.__firstLoad && window.__firstLoad.ready")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        marks = page.evaluate("() => window.__firstLoad")
        arrivals = page.evaluate(READ_ARRIVALS, ARRIVALS)
        plotly = [received[i] for i, u in urls.items() if "plotly" in u and i in received]
        return {
            "ready": marks.pop("ready"),
            "times": {**arrivals, **marks},
            "script": metrics["ScriptDuration"] * 1000,
            "task": metrics["TaskDuration"] * 1000,
            "bytes": sum(received.values()),
            "plotly_bytes": sum(plotly),
            "requests": len(received),
        }
    finally:
        context.close()


def p50(values: list[float]) -> float:
    return statistics.median(values)


def report(name: str, runs: list[dict]) -> list[str]:
    """Lines of one build's medians: page ready, each milestone, CPU time, bytes."""
    lines = [
        f"{name}: page ready p50 {p50([r['ready'] for r in runs]):.0f} ms "
        f"(min {min(r['ready'] for r in runs):.0f}, max {max(r['ready'] for r in runs):.0f}); "
        f"{p50([r['bytes'] for r in runs]) / 1e6:.2f} MB received in "
        f"{p50([r['requests'] for r in runs]):.0f} responses, plotly.js "
        f"{p50([r['plotly_bytes'] for r in runs]) / 1e6:.2f} MB; main thread until ready: "
        f"script {p50([r['script'] for r in runs]):.0f} ms, tasks "
        f"{p50([r['task'] for r in runs]):.0f} ms"
    ]
    names = {n for r in runs for n in r["times"]}
    medians = {n: p50([r["times"][n] for r in runs if n in r["times"]]) for n in names}
    for n, ms in sorted(medians.items(), key=lambda kv: kv[1]):
        lines.append(f"  {ms:7.0f} ms  {n}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--day", default="2013-01-11", help="the day opened, YYYY-MM-DD")
    parser.add_argument("--reference", default=REFERENCE, help="git revision to compare with")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    results: dict[str, list[dict]] = {"atlas": [], "reference": []}
    with tempfile.TemporaryDirectory(prefix="sahel-first-load-") as tmp:
        trees = {"atlas": ROOT, "reference": tree_at(args.reference, Path(tmp))}
        servers = {
            name: AppProcess([], Path(tmp) / f"{name}.log", tree=tree, timeout=120)
            for name, tree in trees.items()
        }
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                for server in servers.values():  # warm the servers' gzip caches
                    load_once(browser, server.url, args.day)
                for k in range(args.runs):
                    order = list(servers) if k % 2 == 0 else list(servers)[::-1]
                    for name in order:
                        results[name].append(load_once(browser, servers[name].url, args.day))
                    done = ", ".join(f"{n} {results[n][-1]['ready']:.0f} ms" for n in order)
                    print(f"  run {k + 1}/{args.runs}: {done}", file=sys.stderr, flush=True)
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    print(
        f"First load of /?date={args.day} (shipped data), headless Chromium (software GL), "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}, cold cache, {args.runs} runs per build; "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start, "
        f"{os.getloadavg()[0]:.1f} at end"
    )
    print("\n".join(report("atlas", results["atlas"])))
    print("\n".join(report(f"reference ({args.reference})", results["reference"])))
    ready = {n: p50([r["ready"] for r in runs]) for n, runs in results.items()}
    sent = {n: p50([r["bytes"] for r in runs]) for n, runs in results.items()}
    print(
        f"reference / atlas: page ready {ready['reference'] / ready['atlas']:.2f}x, "
        f"bytes {sent['reference'] / sent['atlas']:.2f}x"
    )
    verdict = "pass" if ready["atlas"] <= 2000 else "FAIL"
    print(f"Target (issue 9): page ready <= 2000 ms: {ready['atlas']:.0f} ms, {verdict}")


if __name__ == "__main__":
    main()

"""Sahel Atlas at scale: 1k to 1M ACLED events, from the import to a slider drag, in one run.

Run ``.venv/bin/python benchmarks/scale.py`` (``--sizes 1000,10000`` for a quick one; the
default is 1k, 10k, 100k and 1M events and takes about 12 minutes on 2 cores). For each
size it writes a synthetic ACLED export with ``benchmarks/make_events.py`` and:

- starts ``app.py --events FILE --no-shipped-events --cache DIR`` on an empty cache and
  times it from the process's start until the server answers ``/`` (first import), then
  the same again with the cache kept (cached start); the server's peak RSS
  (``VmHWM``) is read when it answers, and for the cached one once the page has loaded,
  stepped and been dragged;
- opens the page cold in headless Chromium (a fresh browser context) on ``--date``: the
  bytes received (the sum of CDP ``Network.loadingFinished`` ``encodedDataLength``:
  bodies as sent, gzip included, plus headers), the page ready time (from navigation
  start to the first animation frame in which the event layer has painted a day and the
  map, with its town markers, has loaded) and the tab's JS heap (CDP
  ``Runtime.getHeapUsage``, as loaded and after a forced garbage collection);
- times ``+1 day`` steps to the painted frame as ``step_latency.py`` does, in the 30-day
  window and in the cumulative one (``?window=all``), then drags the slider's thumb with
  the mouse in small steps (one move per 16 ms) and counts animation frames during it;
- serves ``step_latency.py``'s ``server-figure`` reference (a server callback rebuilding
  the whole figure) on the same data and times its steps in the 30-day window.

It prints a table of the measures by size (Markdown), then the issue's targets with
pass or fail. Sizes in MB are 10^6 bytes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.appserver import AppProcess, events_args  # noqa: E402
from benchmarks.step_latency import (  # noqa: E402
    MAP_IDLE,
    MEASURE_STEPS,
    Served,
    finite,
    measure,
    naive_app,
    pct,
)
from dashboard.data import GEODATA, load_dataset  # noqa: E402
from dashboard.ingest import import_cached, with_imports  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

FRAME_MS = 1000 / 60
VIEWPORT = {"width": 1366, "height": 768}
#: Navigation start -> the event layer painted (the town markers are drawn on it) and the
#: map loaded.
READY = """() => {
    const A = window.dash_clientside && window.dash_clientside.sahelAtlas;
    const gd = document.querySelector('#map .js-plotly-plot');
    const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const seen = (window.__seen = window.__seen || {});
    const now = performance.now();
    if (A && A.paintedDay() !== null) seen.painted = seen.painted || now;
    if (A && A.townsDrawn() !== null) seen.towns = seen.towns || now;
    if (m && m.map && m.map.loaded()) seen.map = seen.map || now;
    if (seen.painted && seen.towns && seen.map) {
        seen.ready = seen.ready || now;
        return seen.ready;
    }
    return false;
}"""
#: Count animation frames (and the distinct days painted) until stopped.
COUNT_FRAMES = """() => {
    const A = window.dash_clientside.sahelAtlas;
    const run = {frames: 0, days: new Set(), on: true, t0: performance.now()};
    const tick = () => {
        if (!run.on) return;
        run.frames += 1;
        run.days.add(A.paintedDay());
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__frames = run;
}"""
#: When the page's parts arrived (ms from navigation start), to see what a slow load waits on.
LOAD_PARTS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const ends = (part) => Math.max(0, ...performance.getEntriesByType('resource')
        .filter(e => e.name.includes(part)).map(e => e.responseEnd));
    return {dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
            layout: ends('_dash-layout'), atlas: ends('atlas.json'), events: ends('events.bin'),
            painted: window.__seen.painted, towns: window.__seen.towns, map: window.__seen.map};
}"""
STOP_FRAMES = """() => {
    const run = window.__frames;
    run.on = false;
    return [run.frames, performance.now() - run.t0, run.days.size];
}"""


def make_export(rows: int, folder: Path) -> Path:
    """A synthetic ACLED export of ``rows`` events, written by make_events.py."""
    out = folder / f"acled-{rows}.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_events.py"), "--rows", str(rows)]
        + ["--format", "acled", "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def cold_load(context, url: str) -> tuple[object, dict]:
    """Open ``url`` in a fresh context: bytes received, ready time, JS heap."""
    page = context.new_page()
    page.set_default_timeout(300_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url)
    ready_ms = page.wait_for_function(READY, polling="raf").json_value()
    page.wait_for_function(MAP_IDLE)
    page.wait_for_load_state("networkidle")
    parts = page.evaluate(LOAD_PARTS)
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
    cdp.send("HeapProfiler.collectGarbage")
    heap_gc = cdp.send("Runtime.getHeapUsage")["usedSize"]
    top = sorted(received, key=received.get, reverse=True)[:3]
    return page, {
        "bytes": sum(received.values()) / 1e6,
        "top": [
            (urls.get(i, "?").split("?")[0].rsplit("/", 1)[-1], received[i] / 1e6) for i in top
        ],
        "ready": ready_ms / 1000,
        "heap": heap / 1e6,
        "heap_gc": heap_gc / 1e6,
        "parts": parts,
    }


def drag_slider(page, moves: int = 120, px: float = 3.0) -> tuple[float, int]:
    """Drag the date slider's thumb leftwards; frames per second and days painted."""
    box = page.locator("#date-slider [role=slider]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.evaluate(COUNT_FRAMES)
    page.mouse.down()
    for k in range(1, moves + 1):
        page.mouse.move(x - k * px, y)
        time.sleep(FRAME_MS / 1000)
    page.mouse.up()
    frames, ms, days = page.evaluate(STOP_FRAMES)
    return frames / (ms / 1000), days


def steps_of(page, steps: int, warmup: int) -> list[float]:
    """Time ``steps`` clicks of +1 day to the painted frame (step_latency's way)."""
    page.wait_for_function(MAP_IDLE)
    time.sleep(1.0)
    return finite(page.evaluate(MEASURE_STEPS, [steps, warmup, True])[0])


def run_size(browser, rows: int, tmp: Path, args) -> dict:
    """Every measure of one size."""
    say = lambda text: print(f"  [{rows:,}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    export = make_export(rows, tmp)
    cache = tmp / f"cache-{rows}"
    say(f"export {export.stat().st_size / 1e6:.0f} MB; first import...")
    first = AppProcess(events_args(export, cache), tmp / f"first-{rows}.log")
    out = {"import": first.start_s, "import_rss": first.peak_mb()}
    first.stop()
    say(f"first import {out['import']:.1f} s; cached start...")
    server = AppProcess(events_args(export, cache), tmp / f"cached-{rows}.log")
    out["cached"] = server.start_s
    day = args.date.isoformat()
    try:
        context = browser.new_context(viewport=VIEWPORT)
        page, load = cold_load(context, f"{server.url}/?date={day}")
        out.update(load)
        say(f"page ready {load['ready']:.2f} s, {load['bytes']:.1f} MB; steps, 30 days...")
        out["step30"] = steps_of(page, args.steps, args.warmup)
        out["fps30"], out["days30"] = drag_slider(page)
        page.close()
        say("steps, cumulative...")
        page = context.new_page()
        page.set_default_timeout(300_000)
        page.goto(f"{server.url}/?date={day}&window=all")
        page.wait_for_function(READY, polling="raf")
        out["stepall"] = steps_of(page, args.steps, args.warmup)
        out["fpsall"], out["daysall"] = drag_slider(page)
        context.close()
        out["rss"] = server.peak_mb()
    finally:
        server.stop()
    say("server-figure reference...")
    shipped = load_dataset(GEODATA)
    imported = import_cached(
        export,
        "auto",
        shipped.groups,
        cache,
        sources=shipped.sources,
        countries=shipped.countries,
    )
    dataset = with_imports(shipped, [imported], keep_shipped=False)
    served = Served(naive_app(dataset, choropleth=False, start=args.date))
    try:
        out["naive"] = finite(
            measure(browser, served.url, args.steps, args.warmup, atlas=False, start=args.date)[0]
        )
    finally:
        served.close()
    export.unlink()
    return out


def label(rows: int) -> str:
    """1k, 10k, 100k, 1M."""
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 else f"{rows // 1000}k"


def table(results: dict[int, dict]) -> list[str]:
    """The measures by size, as Markdown rows."""
    sizes = list(results)

    def p(key: str, q: float) -> dict[int, float]:
        return {n: pct(r[key], q) for n, r in results.items()}

    rows = [
        ("first import (s)", {n: r["import"] for n, r in results.items()}, "{:.1f}"),
        ("cached start (s)", {n: r["cached"] for n, r in results.items()}, "{:.1f}"),
        (
            "server peak RSS, first import (MB)",
            {n: r["import_rss"] for n, r in results.items()},
            "{:.0f}",
        ),
        (
            "server peak RSS, cached, after load + steps (MB)",
            {n: r["rss"] for n, r in results.items()},
            "{:.0f}",
        ),
        ("bytes received, cold load (MB)", {n: r["bytes"] for n, r in results.items()}, "{:.2f}"),
        ("page ready (s)", {n: r["ready"] for n, r in results.items()}, "{:.2f}"),
        ("JS heap after load (MB)", {n: r["heap"] for n, r in results.items()}, "{:.0f}"),
        ("JS heap after load and GC (MB)", {n: r["heap_gc"] for n, r in results.items()}, "{:.0f}"),
    ]
    for key, name in (("step30", "30-day window"), ("stepall", "cumulative")):
        p50, p95 = p(key, 0.5), p(key, 0.95)
        rows.append(
            (
                f"step p50 / p95, {name} (ms)",
                {n: f"{p50[n]:.0f} / {p95[n]:.0f}" for n in sizes},
                "{}",
            )
        )
        rows.append(
            (
                f"step p50 over one frame, {name} (ms)",
                {n: p50[n] - FRAME_MS for n in sizes},
                "{:+.0f}",
            )
        )
    rows.append(
        ("slider drag, 30-day window (fps)", {n: r["fps30"] for n, r in results.items()}, "{:.0f}")
    )
    rows.append(
        ("slider drag, cumulative (fps)", {n: r["fpsall"] for n, r in results.items()}, "{:.0f}")
    )
    naive, atlas = p("naive", 0.5), p("step30", 0.5)
    rows.append(("server-figure step p50, 30 days (ms)", naive, "{:.0f}"))
    rows.append(("server-figure / atlas, p50", {n: naive[n] / atlas[n] for n in sizes}, "{:.1f}×"))
    lines = ["| measure | " + " | ".join(label(n) for n in sizes) + " |"]
    lines.append("| --- |" + " ---: |" * len(sizes))
    for name, values, fmt in rows:
        lines.append(f"| {name} | " + " | ".join(fmt.format(values[n]) for n in sizes) + " |")
    return lines


def verdicts(results: dict[int, dict]) -> list[str]:
    """The issue's targets that this run's sizes can answer, each with pass or fail."""
    checks = []

    def check(what: str, value: float, limit: float, unit: str, *, most: bool = True) -> None:
        ok = value <= limit if most else value >= limit
        miss = "" if ok else f": misses by {abs(value - limit):.1f} {unit} ({value / limit:.2f}×)"
        sign = "<=" if most else ">="
        verdict = "pass" if ok else "FAIL"
        checks.append(f"- {what} {sign} {limit:g} {unit}: {value:.1f} {unit}, {verdict}{miss}")

    big = results.get(1_000_000)
    if big:
        check("1M first import", big["import"], 30, "s")
        check("1M cached start", big["cached"], 5, "s")
        check("1M server peak RSS (cached, after load and steps)", big["rss"], 1000, "MB")
        check("1M server peak RSS (first import)", big["import_rss"], 1000, "MB")
        check("1M bytes transferred", big["bytes"], 20, "MB")
        check("1M page ready", big["ready"], 5, "s")
        check("1M JS heap after load", big["heap"], 400, "MB")
    mid = results.get(100_000)
    if mid:
        for key, name in (("step30", "30-day"), ("stepall", "cumulative")):
            check(f"100k step p50, {name}", pct(mid[key], 0.5), 33, "ms")
    for n, r in results.items():
        if n >= 100_000:
            check(f"{label(n)} slider drag, 30-day", r["fps30"], 30, "fps", most=False)
            check(f"{label(n)} slider drag, cumulative", r["fpsall"], 30, "fps", most=False)
    if big and mid:
        for key, name in (("step30", "30-day"), ("stepall", "cumulative")):
            ratio = pct(big[key], 0.5) / pct(mid[key], 0.5)
            check(f"1M / 100k step p50, {name}", ratio, 1.5, "×")
        for key, name in (("fps30", "30-day"), ("fpsall", "cumulative")):
            check(f"100k / 1M drag fps, {name}", mid[key] / big[key], 1.5, "×")
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--date", type=date.fromisoformat, default=date(2024, 6, 1))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict] = {}
    load = os.getloadavg()[0]
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="sahel-scale-") as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for rows in sizes:
            results[rows] = run_size(browser, rows, Path(tmp), args)
            r = results[rows]
            top = ", ".join(f"{name} {mb:.2f} MB" for name, mb in r["top"])
            parts = ", ".join(f"{k} {v / 1000:.2f} s" for k, v in r["parts"].items())
            lost = {k: args.steps - len(r[k]) for k in ("step30", "stepall", "naive")}
            print(
                f"  [{rows:,}] largest responses: {top}; arrived: {parts}; steps timed out: "
                f"{lost}; the drag painted {r['days30']} days (30-day), {r['daysall']} "
                "(cumulative)",
                file=sys.stderr,
            )
        browser.close()
    print(
        f"Sahel Atlas at scale: synthetic ACLED exports, headless Chromium (software GL), "
        f"steps from {args.date.isoformat()}, {args.steps} steps after {args.warmup} warm-up; "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    )
    print("\n".join(table(results)))
    print("\nTargets (issue 7):")
    print("\n".join(verdicts(results)))


if __name__ == "__main__":
    main()

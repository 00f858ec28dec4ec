"""The server's memory at scale: peak RSS of ``app.py`` on a big ACLED export, in one run.

Run ``.venv/bin/python benchmarks/memory.py --export acled-1000000.csv --reference main``
(or ``--rows 1000000`` to write the export with ``benchmarks/make_events.py`` first; that
takes about a minute). For this checkout, and with ``--reference REV`` for that revision too
(``git archive`` into a temporary folder, run with the same Python, measured in the same
run), it:

- starts ``app.py --events FILE --no-shipped-events --cache DIR`` on an empty cache and
  reads the server's peak resident set (``VmHWM``, file-backed pages included) once it
  answers ``/``: the first import;
- starts it again on that cache: the cached start, read the same way;
- then serves a session on the cached server and reads the peak again: the page cold in
  headless Chromium with 30 ``+1 day`` steps after 5 warm-up (``scale.py``'s measures, so
  that the figure is the one of its table), then over HTTP 200 hovers of events spread over
  the data, three notes searches (each timed, and their rows compared between the designs)
  and the CSV exports of the 30-day and the 365-day windows.

It prints the figures, the ratio of each to the reference's and to the issue's target
(1 GB, that is 1000 MB of 10^6 bytes), and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.appserver import AppProcess, events_args, tree_at  # noqa: E402
from benchmarks.scale import VIEWPORT, cold_load, make_export, steps_of  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

TARGET_MB = 1000
SEARCHES = ("camp", "attack gao", "Ménaka")
HOVERS = 200


def session(server: AppProcess, browser, day: str) -> dict:
    """What a page asks of the server: load, steps, hovers, searches, exports."""
    context = browser.new_context(viewport=VIEWPORT)
    page, load = cold_load(context, f"{server.url}/?date={day}")
    steps_of(page, 30, 5)
    context.close()
    rows = json.loads(server.get("/data/atlas.json")[0])["eventCount"]
    out = {"ready": load["ready"], "rows": rows}
    for k in range(HOVERS):
        server.get(f"/data/event-hover?i={k * (rows - 1) // (HOVERS - 1)}")
    for q in SEARCHES:
        body, seconds = server.get("/data/search?q=" + urllib.request.quote(q))
        out[f"search {q}"] = (body, seconds)
    for window in (30, 365):
        body, seconds = server.get(f"/data/export.csv?date={day}&window={window}")
        out[f"export {window}"] = (len(body), seconds)
    return out


def measure(root: Path, export: Path, work: Path, browser, day: str) -> dict:
    """Peak RSS of one checkout: first import, cached start, after a session."""
    cache = work / "cache"
    first = AppProcess(events_args(export, cache), work / "first.log", tree=root, timeout=1200)
    out = {"import_s": first.start_s, "import": first.peak_mb()}
    first.stop()
    server = AppProcess(events_args(export, cache), work / "cached.log", tree=root, timeout=1200)
    out |= {"cached_s": server.start_s, "cached": server.peak_mb()}
    try:
        out |= session(server, browser, day)
        out["session"] = server.peak_mb()
    finally:
        server.stop()
    return out


def report(results: dict[str, dict], rows: int) -> list[str]:
    """The table: each measure by design, its ratio to the reference and to the target."""
    names = list(results)
    ref = results[names[-1]] if len(names) > 1 else None
    head = "| measure | " + " | ".join(names) + (" | ratio |" if ref else " |") + " target |"
    lines = [head, "|" + " --- |" * (len(names) + (3 if ref else 2))]
    for key, what in [
        ("import", "peak RSS, first import (MB)"),
        ("cached", "peak RSS, cached start (MB)"),
        ("session", "peak RSS, cached, after load, steps, hovers, searches, exports (MB)"),
    ]:
        cells = [f"{results[n][key]:.0f}" for n in names]
        mine = results[names[0]][key]
        ratio = [f"{mine / ref[key]:.2f}×"] if ref else []
        verdict = "pass" if mine <= TARGET_MB else "**fail**"
        target = f"≤ {TARGET_MB}: {verdict} ({mine / TARGET_MB:.2f}×)"
        lines.append(f"| {what} | " + " | ".join(cells + ratio) + f" | {target} |")
    for key, what in [("import_s", "first import (s)"), ("cached_s", "cached start (s)")]:
        cells = [f"{results[n][key]:.1f}" for n in names]
        ratio = [f"{results[names[0]][key] / ref[key]:.2f}×"] if ref else []
        lines.append(f"| {what} | " + " | ".join(cells + ratio) + " | |")
    keys = [k for k in results[names[0]] if k.startswith(("search", "export"))]
    for key in keys:
        cells = [f"{results[n][key][1]:.2f}" for n in names]
        ratio = [f"{results[names[0]][key][1] / ref[key][1]:.2f}×"] if ref else []
        lines.append(f"| {key} (s) | " + " | ".join(cells + ratio) + " | |")
    if ref:
        same = all(results[names[0]][k][0] == ref[k][0] for k in keys)
        lines.append(f"\nSearches and exports give the same rows in both designs: {same}.")
    lines.append(f"({rows:,} events.)")
    return lines


def main() -> None:
    """Measure this checkout (and a reference revision) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--export", type=Path, help="an ACLED export to import")
    parser.add_argument("--rows", type=int, default=1_000_000, help="else write one this big")
    parser.add_argument("--reference", help="a git revision to measure in the same run")
    parser.add_argument("--date", default="2024-06-01")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-memory-") as tmp:
        tmp = Path(tmp)
        export = args.export or make_export(args.rows, tmp)
        roots = {"this checkout": ROOT}
        if args.reference:
            roots[args.reference] = tree_at(args.reference, tmp)
        load = [os.getloadavg()[0]]
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for name, root in roots.items():
                work = tmp / f"run-{len(results)}"
                work.mkdir()
                print(f"measuring {name}...", file=sys.stderr, flush=True)
                results[name] = measure(root, export, work, browser, args.date)
            browser.close()
        load.append(os.getloadavg()[0])
    print("\n".join(report(results, results["this checkout"]["rows"])))
    print(f"Load average {load[0]:.1f} at the start, {load[1]:.1f} at the end.")


if __name__ == "__main__":
    main()

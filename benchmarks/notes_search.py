"""The notes search on disk against the same search in memory, on one import, in one process.

Run ``.venv/bin/python benchmarks/notes_search.py --export acled-1000000.csv --cache DIR``
(the import is cached in ``DIR`` on the first run). The reference is the search as it was
with the notes in the store's table: ``pyarrow.compute.match_substring`` (case ignored) over
the whole column in memory. The store now reads the notes from the cache's texts file a batch
at a time (``dashboard/texts.py``). Each query runs in turn in both, ``--rounds`` times; it
prints the median seconds of each, their ratio, and checks that both find the same rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import GEODATA, load_dataset  # noqa: E402
from dashboard.filters import notes_match  # noqa: E402
from dashboard.ingest import import_cached, with_imports  # noqa: E402

QUERIES = ("camp", "attack gao", "Ménaka", "nothing-like-this")


def in_memory(notes, q: str) -> np.ndarray:
    """The search as it was: every word over the whole column in memory."""
    found = np.ones(len(notes), dtype=bool)
    for word in q.split():
        found &= pc.match_substring(notes, word, ignore_case=True).to_numpy(zero_copy_only=False)
    return found


def main() -> None:
    """Time both searches on each query and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--export", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    shipped = load_dataset(GEODATA)
    imported = import_cached(args.export, "auto", shipped.groups, args.cache)
    store = with_imports(shipped, [imported], keep_shipped=False).events
    notes = store.column("notes")  # the reference holds the whole column
    print(f"{len(store):,} events, notes {notes.nbytes / 1e6:.0f} MB in memory for the reference")
    load = os.getloadavg()[0]
    print("| query | in memory (s) | from the cache (s) | ratio | same rows |")
    print("| --- | ---: | ---: | ---: | --- |")
    for q in QUERIES:
        before, now = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            expected = in_memory(notes, q)
            before.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            found = notes_match(store, q)
            now.append(time.perf_counter() - t0)
        a, b = statistics.median(before), statistics.median(now)
        same = np.array_equal(expected, found)
        print(f"| {q} | {a:.2f} | {b:.2f} | {b / a:.2f}× | {same} ({int(found.sum()):,}) |")
    print(f"Load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()

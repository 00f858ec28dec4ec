"""Dash's ``@babel/polyfill`` answered with the one part of it the page needs.

Dash loads ``@babel/polyfill`` 7.12.1 (99 kB: core-js, which patches built-ins the
browser already has, and regenerator-runtime) before React, for browsers older than any
this app supports. Of it, Dash's renderer and dcc use only the global
``regeneratorRuntime`` (their async functions are compiled to it). Evaluating the whole
polyfill took about 140 ms of a 1.9 s first load here (``benchmarks/first_load.py``), so
its URL answers with ``vendor/regenerator-runtime/runtime.js`` (regenerator-runtime
0.14.1, 25 kB, MIT, unmodified; ``scripts/vendor_js.sh`` copies it from npm), which sets
that global and nothing else.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from dash import Dash

from dashboard.plotly_bundle import answer_dash_file

RUNTIME = Path(__file__).resolve().parent.parent / "vendor" / "regenerator-runtime" / "runtime.js"
#: Dash's URL for the polyfill, below ``_dash-component-suites/dash/``, with or without
#: its fingerprint (``deps/polyfill@7.v4_4_1m1700000000.12.1.min.js``).
DASH_POLYFILL = re.compile(r"deps/polyfill@7(\.v[\w-]+)?\.12\.1\.min\.js")


@cache
def runtime() -> bytes:
    """regenerator-runtime's script, read once."""
    return RUNTIME.read_bytes()


def serve_runtime(app: Dash) -> None:
    """Answer Dash's polyfill URL with regenerator-runtime alone.

    Call before ``serving.harden`` (which compresses what this sends).
    """
    answer_dash_file(app, "dash", DASH_POLYFILL, runtime)

"""The partial plotly.js bundle that the page loads in place of Dash's full plotly.min.js.

``vendor/plotly.js/plotly-sahel.min.js`` is plotly.js's core with only the traces the
atlas draws (``scattermap`` for the map's towns, ``bar`` for the timeline), built by
``scripts/build_plotly.sh`` from the same plotly.js version as Dash's copy: 3.0 MB where
``plotly.min.js`` is 4.8 MB (0.91 MB gzipped against 1.47), and much less to evaluate
(``benchmarks/first_load.py``).

``serve_plotly(app)`` serves it under a URL that names its content
(``vendor/plotly-sahel.min.js?v=<digest>``, kept by the browser for good) and loads it with
a script tag of the page, so ``window.Plotly`` exists before Dash renders a graph: dcc
then never fetches plotly.js itself, which it would do only once its first graph renders,
after the layout has come. Dash's own URL for plotly.min.js, which dcc would ask for,
answers with the same bundle, so the full one is never sent.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "plotly.js"
BUNDLE = VENDOR / "plotly-sahel.min.js"
#: Where the bundle is served, below the app's routes.
BUNDLE_PATH = "vendor/plotly-sahel.min.js"
#: What dcc asks for when no plotly.js is loaded: ``_dash-component-suites/plotly/`` and
#: this path, or the same with Dash's fingerprint (``plotly.v7_1_0m1700000000.min.js``).
DASH_PLOTLY = re.compile(r"package_data/plotly(\.v[\w-]+)?\.min\.js")
YEAR = 31536000


@cache
def bundle() -> tuple[bytes, str]:
    """The bundle's bytes and a digest of them (the ``v`` of its URL), read once."""
    body = BUNDLE.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


def bundle_url(prefix: str) -> str:
    """The bundle's URL for a page whose requests go below ``prefix``."""
    return f"{prefix}{BUNDLE_PATH}?v={bundle()[1]}"


def _javascript(body: bytes, cache_control: str) -> Response:
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


def answer_dash_file(app: Dash, package: str, path: re.Pattern, body: Callable[[], bytes]) -> None:
    """Answer Dash's URL for one of its own scripts with ``body()``.

    The script is ``package``'s file whose path below ``_dash-component-suites/<package>/``
    matches ``path``. The answer is revalidated each time (an ETag): the URL names Dash's
    version, not the file's.
    """
    suites = app.config.routes_pathname_prefix + (
        "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    )

    @app.server.before_request
    def _instead_of_dash_file():
        args = request.view_args or {}
        if (
            request.endpoint == suites
            and args.get("package_name") == package
            and path.fullmatch(args.get("fingerprinted_path", ""))
        ):
            return _javascript(body(), "no-cache")
        return None


def serve_plotly(app: Dash) -> None:
    """Serve the partial bundle, load it with the page, and answer Dash's plotly URL with it.

    Call before ``serving.harden`` (which compresses what these routes send).
    """
    routes = app.config.routes_pathname_prefix
    # A plain script tag, after React and before the components and Dash's renderer.
    app.config.external_scripts = [
        *app.config.external_scripts,
        {"src": bundle_url(app.config.requests_pathname_prefix)},
    ]

    def view() -> Response:
        body, version = bundle()
        if request.args.get("v") != version:
            abort(404)  # a page of an older build: it must reload
        return _javascript(body, f"public, max-age={YEAR}, immutable")

    app.server.add_url_rule(routes + BUNDLE_PATH, endpoint="plotly-bundle", view_func=view)
    # what dcc would fetch (not fingerprinted by dcc: the browser asks again each time)
    answer_dash_file(app, "plotly", DASH_PLOTLY, lambda: bundle()[0])

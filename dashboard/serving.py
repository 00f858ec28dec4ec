"""What every response gets: security headers, cache rules, gzip, 404s and a body limit.

``harden(app, dataset)`` is called once by ``create_app``, after the callbacks are
registered (the Content-Security-Policy hashes Dash's inline scripts, which exist only
then). Nothing here changes the data or the page; it decides how they travel.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from dash import Dash
from dash.exceptions import DependencyException, InvalidResourceError
from flask import Response, abort, request
from werkzeug.serving import WSGIRequestHandler

from dashboard.callback_guard import guard_callbacks
from dashboard.data import Dataset
from dashboard.health import serve_health

#: Environment variable with the largest request body the app reads, in bytes.
MAX_BODY_ENV = "SAHEL_ATLAS_MAX_BODY"
#: Flask config key: {endpoint: bytes} for routes allowed a bigger body (``allow_body``).
BODY_LIMITS = "SAHEL_ATLAS_BODY_LIMITS"
#: A callback's body is a few kB (the biggest, a map click, under 10 kB): 1 MiB is ample.
DEFAULT_MAX_BODY = 1 << 20
#: Smaller bodies are sent as they are: gzip's header and a round of CPU cost more than
#: the bytes saved.
COMPRESS_MIN_BYTES = 1024
#: Text worth compressing; images, the gzipped event columns and glyph PBFs are left as
#: they are.
COMPRESSIBLE = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/geo+json",
        "image/svg+xml",
        "image/x-icon",
        "text/css",
        "text/html",
        "text/javascript",
        "text/plain",
    }
)
#: Compressed bodies at least this big (the JavaScript bundles, the layout) are kept, by
#: the digest of what was compressed, so plotly.js (4.8 MB) is gzipped once per worker.
CACHE_FROM_BYTES = 64 * 1024
CACHE_MAX_BYTES = 32 * 1024 * 1024
YEAR = 31536000


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """The page's Content-Security-Policy, given the hashes of Dash's inline scripts.

    Args:
        script_hashes: ``app.csp_hashes()``: Dash starts its renderer with one inline
            script; its hash lets exactly that script run, and no other inline one.

    Returns:
        The header's value.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        # 'unsafe-inline' for styles only: Dash's renderer and dcc add <style> elements
        # at run time (without it Chromium reports dozens of style-src-elem violations,
        # tests/browser/test_security.py), and React and Plotly write style attributes.
        # Styles cannot run code; scripts get no such exception.
        "style-src": ["'self'", "'unsafe-inline'"],
        # MapLibre (inside plotly.js) starts its workers from a blob: URL it builds;
        # without blob: the map never finishes loading.
        "worker-src": ["blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(script_hashes: Sequence[str]) -> dict[str, str]:
    """The headers every response carries, whatever its route or status."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
        "Referrer-Policy": "same-origin",
    }


def max_body_bytes(value: str | None = None) -> int:
    """The request body limit: ``value`` (e.g. ``$SAHEL_ATLAS_MAX_BODY``) or 1 MiB.

    Raises:
        ValueError: ``value`` is set but not a positive whole number of bytes.
    """
    value = os.environ.get(MAX_BODY_ENV) if value is None else value
    if not value:
        return DEFAULT_MAX_BODY
    limit = int(value)
    if limit <= 0:
        raise ValueError(f"{MAX_BODY_ENV} must be a positive number of bytes, not {value}")
    return limit


def allow_body(app: Dash, endpoint: str, limit: int) -> None:
    """Let requests to one endpoint (an upload route) carry bodies of up to ``limit`` bytes.

    Every other route keeps the app's limit (``MAX_CONTENT_LENGTH``).
    """
    app.server.config.setdefault(BODY_LIMITS, {})[endpoint] = limit


class GzipCache:
    """Compressed bodies by the digest of their plain bytes, at most ``limit`` bytes held."""

    def __init__(self, limit: int = CACHE_MAX_BYTES):
        """Keep at most ``limit`` bytes of compressed bodies, the least recently used go."""
        self._limit = limit
        self._held = 0
        self._bodies: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def compress(self, body: bytes) -> bytes:
        """Return ``body`` gzipped, from the cache when it is big and was seen before."""
        if len(body) < CACHE_FROM_BYTES:
            return gzip.compress(body, compresslevel=6, mtime=0)
        key = hashlib.blake2b(body, digest_size=16).digest()
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key]
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        with self._lock:
            if key not in self._bodies and len(packed) <= self._limit:
                self._bodies[key] = packed
                self._held += len(packed)
                while self._held > self._limit:
                    _, dropped = self._bodies.popitem(last=False)
                    self._held -= len(dropped)
        return packed


def compress(response: Response, cache: GzipCache) -> Response:
    """Gzip a text response of 1 kB or more when the client accepts gzip.

    Responses already encoded (the event columns), partial or conditional answers, other
    types and streamed bodies are left alone. The ETag becomes weak: the bytes differ
    from the plain ones, the content does not, so a revalidation still gets a 304.
    """
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or "Content-Encoding" in response.headers
        or request.accept_encodings["gzip"] <= 0
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    response.direct_passthrough = False  # a file from send_file: read it here
    body = response.get_data()
    if len(body) < COMPRESS_MIN_BYTES:
        return response
    response.set_data(cache.compress(body))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


class QuietRequestHandler(WSGIRequestHandler):
    """The development server's request handler, without its version banner."""

    def version_string(self) -> str:
        """The ``Server`` header: the app's name, not Werkzeug's and Python's versions."""
        return "sahel-atlas"


def _fingerprinted_asset(assets_folder: Path, filename: str) -> bool:
    """Whether ``?m=`` names the asset's current modification time, as Dash's links do."""
    stamp = request.args.get("m")
    if not stamp:
        return False
    try:
        return str((assets_folder / filename).stat().st_mtime) == stamp
    except (OSError, ValueError):
        return False


def harden(app: Dash, dataset: Dataset, *, max_body: int | None = None) -> None:
    """Add security headers, cache rules, gzip, 404s, a body limit and ``/healthz``.

    Args:
        app: The Dash app, its callbacks registered.
        dataset: The data it serves, for ``/healthz``.
        max_body: The largest request body read, in bytes (default ``$SAHEL_ATLAS_MAX_BODY``
            or 1 MiB). A route that takes more (an upload) gets its own limit with
            ``allow_body``.
    """
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body or max_body_bytes()
    body_limits = server.config.setdefault(BODY_LIMITS, {})
    prefix = app.config.routes_pathname_prefix
    headers = security_headers(app.csp_hashes())
    # The page embeds a token Dash signs for each load (its config's end_id), so its ETag
    # seldom matches; the layout's does, and that is the big one.
    revalidated = {prefix, prefix + "_dash-layout", prefix + "_dash-dependencies"}
    suites = prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    catchall = prefix + "<path:path>"
    # Dash's assets blueprint is named after the prefix ("/" -> "_dash_assets").
    assets = prefix.replace("/", "_").replace(".", "_") + "dash_assets.static"
    assets_folder = Path(app.config.assets_folder)
    cache = GzipCache()
    serve_health(app, dataset)
    # The development server (python app.py) says "Werkzeug/3.x Python/3.x" otherwise.
    server.run = partial(server.run, request_handler=QuietRequestHandler)

    def _not_found(error: Exception):
        return "Not Found", 404

    # An unknown file under /_dash-component-suites/ is a 404, not a traceback and a 500.
    server.register_error_handler(DependencyException, _not_found)
    server.register_error_handler(InvalidResourceError, _not_found)

    @server.before_request
    def _refuse_early():
        # Dash answers every unknown path with the page; the page has one route, "/".
        if request.endpoint == catchall:
            abort(404)
        if request.endpoint in body_limits:
            request.max_content_length = body_limits[request.endpoint]
        # Turn a too-big body away before anything reads it (Flask would only refuse it
        # once a view reads the body).
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            abort(413)

    guard_callbacks(app)  # after the size check: it reads the callback's body

    @server.after_request
    def _finish(response: Response) -> Response:
        response.headers.update(headers)
        endpoint = request.endpoint
        if endpoint in revalidated and response.status_code == 200:
            # The page and its layout change when the data does: revalidate each time.
            response.headers["Cache-Control"] = "no-cache"
            response.add_etag()
            response = response.make_conditional(request)
        elif endpoint == suites and response.cache_control.max_age:
            # Dash's fingerprinted bundles: their URL changes with their content.
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        elif (
            endpoint == assets
            and response.status_code == 200
            and _fingerprinted_asset(assets_folder, (request.view_args or {}).get("filename", ""))
        ):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return compress(response, cache)

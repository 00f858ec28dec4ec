"""The Dash app factory: data in, app out, with the border layers served as static JSON."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

from dashboard.callback_guard import report_callback_error
from dashboard.callbacks import register_callbacks
from dashboard.data import GEODATA, Dataset, load_dataset
from dashboard.exports import serve_exports
from dashboard.figures import event_hover
from dashboard.imports_ui import make_data_panel
from dashboard.ingest import (
    Imported,
    cache_dir,
    import_cached,
    load_cached,
    report_lines,
    with_imports,
)
from dashboard.layout import build_layout
from dashboard.mapstyle import GEO_PATHS
from dashboard.payload import (
    CLIENT_DATA_PATH,
    EVENT_HOVER_PATH,
    EVENTS_PATH,
    encode_events,
    make_client_data,
    payload_version,
)
from dashboard.plotly_bundle import serve_plotly
from dashboard.polyfill import serve_runtime
from dashboard.search import serve_search
from dashboard.serving import allow_body, harden
from dashboard.uploads import (
    CHUNK_BYTES,
    DatasetDispatcher,
    Uploads,
    max_upload,
    serve_uploads,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
log = logging.getLogger("sahel_atlas")


def geo_layers(dataset: Dataset) -> dict[str, bytes]:
    """The GeoJSON bodies behind ``mapstyle.GEO_PATHS``, by file name, serialised once."""

    def encode(collection: object) -> bytes:
        return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def name(path: str) -> str:
        return path.rsplit("/", 1)[1]

    layers = {name(GEO_PATHS["countries"]): encode(dict(dataset.countries))}
    if dataset.regions:
        layers[name(GEO_PATHS["regions"])] = encode(dict(dataset.regions))
    return layers


class ImportFailed(Exception):
    """An events file given at start cannot be imported at all.

    It is unreadable, or not an export of a format we read; the message names the file
    and the reason.
    """


def create_app(
    data_root: Path | str = GEODATA,
    *,
    strict: bool = False,
    events: Sequence[Path | str] = (),
    fmt: str = "auto",
    shipped_events: bool = True,
    cache: Path | str | None = None,
    report: Callable[[str], None] | None = None,
) -> Dash:
    """Build the Sahel Atlas app on a data folder.

    Args:
        data_root: Folder with the atlas's CSV and GeoJSON files.
        strict: Refuse to start on any data problem (otherwise bad rows are skipped and
            listed on the page).
        events: An analyst's own exports (ACLED, UCDP GED or the atlas's events.csv),
            imported through the cache of ``dashboard/ingest.py``.
        fmt: Their format, or ``auto`` to tell it from each file's header.
        shipped_events: Keep the data folder's own events beside them.
        cache: The import cache folder (default: see ``ingest.cache_dir``).
        report: Where each import's report goes, line by line (e.g. ``print``).

    Raises:
        ImportFailed: One of ``events`` cannot be imported at all.

    Returns:
        The Dash app; its Flask server is ``app.server``.

    The app can be served under a path: Dash reads ``DASH_URL_BASE_PATHNAME`` (e.g.
    ``/sahel/``), or ``DASH_REQUESTS_PATHNAME_PREFIX`` and ``DASH_ROUTES_PATHNAME_PREFIX``
    behind a proxy that strips the path, and every URL of the app follows.
    """
    shipped = load_dataset(data_root, strict=strict)
    for problem in shipped.problems:
        log.warning("data problem, skipped: %s", problem)
    imports = []
    for path in events:
        try:
            imported = import_cached(
                path,
                fmt,
                shipped.groups,
                cache,
                sources=shipped.sources,
                countries=shipped.countries,
            )
        except (OSError, ValueError) as error:
            raise ImportFailed(f"{path}: {error}") from error
        imports.append(imported)
        for line in report_lines(imported):
            (report or log.warning)(line)
    app = build_app(shipped, imports, shipped_events=shipped_events, cache=cache)

    def run_import(path: Path, asked: str, name: str) -> tuple[str, dict]:
        imported = import_cached(
            path,
            asked,
            shipped.groups,
            cache,
            sources=shipped.sources,
            countries=shipped.countries,
            name=name,
        )
        return imported.key, dict(imported.report)

    def build(key: str, routes: str, requests: str):
        imported = load_cached(key, cache)
        if imported is None:
            return None
        paths = (
            {"url_base_pathname": routes}
            if routes == requests
            else {"routes_pathname_prefix": routes, "requests_pathname_prefix": requests}
        )
        sub = build_app(shipped, [imported], shipped_events=False, cache=cache, paths=paths)
        serve_uploads(sub.server, routes, Uploads(cache_dir(cache) / "uploads", run_import))
        allow_body(sub, "upload-chunk", CHUNK_BYTES)
        return sub.server

    serve_uploads(
        app.server,
        app.config.routes_pathname_prefix,
        Uploads(cache_dir(cache) / "uploads", run_import),
    )
    allow_body(app, "upload-chunk", CHUNK_BYTES)  # the page sends an export in chunks
    app.server.wsgi_app = DatasetDispatcher(
        app.server.wsgi_app,
        app.config.routes_pathname_prefix,
        app.config.requests_pathname_prefix,
        build,
    )
    return app


def build_app(
    shipped: Dataset,
    imports: Sequence[Imported],
    *,
    shipped_events: bool = True,
    cache: Path | str | None = None,
    paths: dict[str, str] | None = None,
) -> Dash:
    """The Dash app of one data set.

    The shipped data with ``imports`` added to (or, when ``shipped_events`` is False, in
    place of) its events; ``paths`` are Dash's path settings of an app served below
    another's (an imported data set's ``d/<key>/``).
    """
    dataset = (
        with_imports(shipped, imports, keep_shipped=shipped_events)
        if imports or not shipped_events
        else shipped
    )
    app = Dash(
        __name__,
        title="Sahel Atlas",
        assets_folder=str(ASSETS),
        # assets/vendor/ holds libraries imported on demand (assets/vendor/README.md),
        # not scripts for every page
        assets_path_ignore=["^vendor$"],
        serve_locally=True,
        update_title=None,
        on_error=report_callback_error,  # a failing callback says so in the page
        **(paths or {}),
    )
    # the page's language, for screen readers and hyphenation (Dash leaves it empty)
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    prefix = app.config.requests_pathname_prefix
    panel = make_data_panel(
        [i.report for i in imports], prefix=prefix, max_upload=max_upload(), shipped=shipped_events
    )
    app.layout = build_layout(dataset, prefix=prefix, data_panel=panel)
    register_callbacks(app, dataset)
    serve_geo(app, dataset)
    serve_events(app, dataset)
    serve_event_hover(app, dataset)
    serve_exports(app, dataset)
    serve_search(app, dataset)
    serve_plotly(app)
    serve_runtime(app)
    harden(app, dataset)
    return app


def _cached(body: bytes | str, mimetype: str, cache_control: str) -> Response:
    """A response with an ETag that answers 304 when the browser's copy is current.

    ``no-cache`` makes the browser revalidate each time (the data can be reloaded);
    the borders may be kept a day.
    """
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


def serve_static_json(app: Dash, path: str, body: object) -> None:
    """Serve one JSON document at ``path`` below the app's routes, serialised once, with ETags."""
    encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def view() -> Response:
        return _cached(encoded, "application/json", "no-cache")

    rule = app.config.routes_pathname_prefix + path
    app.server.add_url_rule(rule, endpoint=f"static-json-{path}", view_func=view)


def serve_geo(app: Dash, dataset: Dataset) -> None:
    """Serve the borders at ``mapstyle.GEO_PATHS``, cacheable, for the map style to fetch."""
    layers = geo_layers(dataset)

    @app.server.route(app.config.routes_pathname_prefix + "geo/<name>")
    def geo(name: str) -> Response:
        body = layers.get(name)
        if body is None:
            abort(404)
        return _cached(body, "application/geo+json", "public, max-age=86400")


def serve_events(app: Dash, dataset: Dataset) -> None:
    """Serve the event columns (``EVENTS_PATH?v=``) and the JSON that points to them.

    The columns are encoded once and compressed once, on first request; their URL carries
    their content hash, so the browser may keep them for good.
    """
    body = encode_events(dataset.events)
    version = payload_version(body)
    prefix = app.config.requests_pathname_prefix
    client = make_client_data(dataset, events_url=f"{prefix}{EVENTS_PATH}?v={version}")
    serve_static_json(app, CLIENT_DATA_PATH, client)
    gzipped = _Lazy(lambda: gzip.compress(body, compresslevel=5, mtime=0))

    def view() -> Response:
        if request.args.get("v", version) != version:
            abort(404)  # a page of an older data set: it must reload
        wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = _cached(
            gzipped() if wants_gzip else body,
            "application/octet-stream",
            "public, max-age=31536000, immutable",
        )
        if wants_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response

    rule = app.config.routes_pathname_prefix + EVENTS_PATH
    app.server.add_url_rule(rule, endpoint="events-bin", view_func=view)


class _Lazy:
    """A value computed on first use, once, even when two requests ask at the same time."""

    def __init__(self, make):
        self._make = make
        self._value = None
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value


def _event_index(dataset: Dataset) -> int | None:
    """The event a request names, by index (``?i=``) or id (``?id=``), or None."""
    if "i" in request.args:
        try:
            i = int(request.args["i"])
        except ValueError:
            return None
        return i if 0 <= i < len(dataset.events) else None
    event_id = request.args.get("id", "")
    return dataset.events.find(event_id) if event_id else None


def serve_event_hover(app: Dash, dataset: Dataset) -> None:
    """Serve one event's hover text at ``EVENT_HOVER_PATH?i=…`` (or ``?id=``), on demand."""

    def view() -> Response:
        i = _event_index(dataset)
        if i is None:
            abort(404)
        event = dataset.events.event(i)
        body = json.dumps({"i": i, "id": event.event_id, "hover": event_hover(dataset, event)})
        return _cached(body, "application/json", "no-cache")

    rule = app.config.routes_pathname_prefix + EVENT_HOVER_PATH
    app.server.add_url_rule(rule, endpoint="event-hover", view_func=view)

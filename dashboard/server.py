"""The Dash app factory: data in, app out, with the border layers served as static JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

from dashboard.callbacks import register_callbacks
from dashboard.data import GEODATA, Dataset, load_dataset
from dashboard.figures import (
    CLIENT_DATA_PATH,
    EVENT_HOVER_PATH,
    GEO_PATHS,
    event_hover,
    make_client_data,
)
from dashboard.layout import build_layout

ASSETS = Path(__file__).resolve().parent.parent / "assets"
log = logging.getLogger("sahel_atlas")


def geo_layers(dataset: Dataset) -> dict[str, bytes]:
    """The GeoJSON bodies behind ``figures.GEO_PATHS``, by file name, serialised once."""

    def encode(collection: object) -> bytes:
        return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def name(path: str) -> str:
        return path.rsplit("/", 1)[1]

    layers = {name(GEO_PATHS["countries"]): encode(dict(dataset.countries))}
    if dataset.regions:
        layers[name(GEO_PATHS["regions"])] = encode(dict(dataset.regions))
    return layers


def create_app(data_root: Path | str = GEODATA, *, strict: bool = False) -> Dash:
    """Build the Sahel Atlas app on a data folder.

    Args:
        data_root: Folder with the atlas's CSV and GeoJSON files.
        strict: Refuse to start on any data problem (otherwise bad rows are skipped and
            listed on the page).

    Returns:
        The Dash app; its Flask server is ``app.server``.

    The app can be served under a path: Dash reads ``DASH_URL_BASE_PATHNAME`` (e.g.
    ``/sahel/``), or ``DASH_REQUESTS_PATHNAME_PREFIX`` and ``DASH_ROUTES_PATHNAME_PREFIX``
    behind a proxy that strips the path, and every URL of the app follows.
    """
    dataset = load_dataset(data_root, strict=strict)
    for problem in dataset.problems:
        log.warning("data problem, row skipped: %s", problem)
    app = Dash(
        __name__,
        title="Sahel Atlas",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    app.layout = build_layout(dataset, prefix=app.config.requests_pathname_prefix)
    register_callbacks(app, dataset)
    serve_geo(app, dataset)
    serve_static_json(app, CLIENT_DATA_PATH, make_client_data(dataset))
    serve_event_hover(app, dataset)
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
    """Serve the borders at ``figures.GEO_PATHS``, cacheable, for the map style to fetch."""
    layers = geo_layers(dataset)

    @app.server.route(app.config.routes_pathname_prefix + "geo/<name>")
    def geo(name: str) -> Response:
        body = layers.get(name)
        if body is None:
            abort(404)
        return _cached(body, "application/geo+json", "public, max-age=86400")


def serve_event_hover(app: Dash, dataset: Dataset) -> None:
    """Serve one event's hover text at ``figures.EVENT_HOVER_PATH?id=…``, built on demand."""

    def view() -> Response:
        event = dataset.event(request.args.get("id", ""))
        if event is None:
            abort(404)
        body = json.dumps({"id": event.event_id, "hover": event_hover(dataset, event)})
        return _cached(body, "application/json", "no-cache")

    rule = app.config.routes_pathname_prefix + EVENT_HOVER_PATH
    app.server.add_url_rule(rule, endpoint="event-hover", view_func=view)

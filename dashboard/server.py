"""The Dash app factory: data in, app out, with the border layers served as static JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

from dashboard.callbacks import register_callbacks
from dashboard.data import GEODATA, Dataset, load_dataset
from dashboard.figures import CLIENT_DATA_URL, GEO_URLS, make_client_data
from dashboard.layout import build_layout

ASSETS = Path(__file__).resolve().parent.parent / "assets"
log = logging.getLogger("sahel_atlas")


def geo_layers(dataset: Dataset) -> dict[str, bytes]:
    """The GeoJSON bodies behind ``figures.GEO_URLS``, serialised once."""

    def encode(collection: object) -> bytes:
        return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    layers = {GEO_URLS["countries"]: encode(dict(dataset.countries))}
    if dataset.regions:
        layers[GEO_URLS["regions"]] = encode(dict(dataset.regions))
    return layers


def create_app(data_root: Path | str = GEODATA, *, strict: bool = False) -> Dash:
    """Build the Sahel Atlas app on a data folder.

    Args:
        data_root: Folder with the atlas's CSV and GeoJSON files.
        strict: Refuse to start on any data problem (otherwise bad rows are skipped and
            listed on the page).

    Returns:
        The Dash app; its Flask server is ``app.server``.
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
    app.layout = build_layout(dataset)
    register_callbacks(app, dataset)
    serve_geo(app, dataset)
    serve_static_json(app, CLIENT_DATA_URL, make_client_data(dataset))
    return app


def serve_static_json(app: Dash, url: str, body: object) -> None:
    """Serve one JSON document, serialised once, with caching and ETag support."""
    encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def view() -> Response:
        response = Response(encoded, mimetype="application/json")
        response.headers["Cache-Control"] = "no-cache"  # revalidate: data can be reloaded
        response.add_etag()
        return response.make_conditional(request)

    app.server.add_url_rule(url, endpoint=f"static-json-{url}", view_func=view)


def serve_geo(app: Dash, dataset: Dataset) -> None:
    """Serve the borders at ``figures.GEO_URLS``, cacheable, for the map style to fetch."""
    layers = geo_layers(dataset)

    @app.server.route("/geo/<name>")
    def geo(name: str) -> Response:
        body = layers.get(f"/geo/{name}")
        if body is None:
            abort(404)
        response = Response(body, mimetype="application/geo+json")
        response.headers["Cache-Control"] = "public, max-age=86400"
        response.add_etag()
        return response.make_conditional(request)

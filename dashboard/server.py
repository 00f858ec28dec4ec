"""The Dash app factory: data in, app out, with the border layers served as static JSON."""

from __future__ import annotations

import json
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

from dashboard.callbacks import register_callbacks
from dashboard.data import GEODATA, Dataset, load_dataset
from dashboard.figures import GEO_URLS
from dashboard.layout import build_layout

ASSETS = Path(__file__).resolve().parent.parent / "assets"


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
    app = Dash(
        __name__,
        title="Sahel Atlas",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    app.layout = build_layout(dataset)
    register_callbacks(app, dataset)
    layers = geo_layers(dataset)

    @app.server.route("/geo/<name>")
    def serve_geo(name: str) -> Response:
        body = layers.get(f"/geo/{name}")
        if body is None:
            abort(404)
        response = Response(body, mimetype="application/geo+json")
        response.headers["Cache-Control"] = "public, max-age=86400"
        response.add_etag()
        return response.make_conditional(request)

    return app

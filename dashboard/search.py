"""The notes search: which rows' notes hold some words, for the browser's ``q`` filter.

The notes are not in the browser's payload (they are most of an event's weight), so the
browser asks here once per search and builds its mask from the rows it gets back.
"""

from __future__ import annotations

import numpy as np
from dash import Dash
from flask import Response, abort, request

from dashboard.data import Dataset
from dashboard.filters import MAX_Q, SEARCH_PATH, notes_match


def search_rows(dataset: Dataset, q: str) -> bytes:
    """The rows whose notes hold every word of ``q``, as little-endian int32, ascending."""
    found = np.flatnonzero(notes_match(dataset.events, q))
    return found.astype("<i4").tobytes()


def serve_search(app: Dash, dataset: Dataset) -> None:
    """Serve ``SEARCH_PATH?q=words``: the matching rows (see ``search_rows``)."""

    def view() -> Response:
        q = " ".join(request.args.get("q", "").split())[:MAX_Q]
        if not q:
            abort(400)
        response = Response(search_rows(dataset, q), mimetype="application/octet-stream")
        response.headers["Cache-Control"] = "no-cache"
        return response

    rule = app.config.routes_pathname_prefix + SEARCH_PATH
    app.server.add_url_rule(rule, endpoint="notes-search", view_func=view)

"""``/healthz``: what data the app has loaded and which version serves it, for probes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from dash import Dash
from flask import Response

from dashboard.data import Dataset
from dashboard.figures import data_range

ROOT = Path(__file__).resolve().parent.parent


def app_version(root: Path = ROOT) -> str:
    """The code's version as ``git describe`` names it, or ``"unknown"`` outside a clone.

    No ``--dirty``: that refreshes git's index, which two workers starting at once would
    fight over.
    """
    try:
        described = subprocess.run(
            ["git", "describe", "--tags", "--always"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return described.stdout.strip() or "unknown"


def health_report(dataset: Dataset, version: str) -> dict:
    """What ``/healthz`` answers: the counts of the data loaded, its days and the version.

    Args:
        dataset: The data the app serves.
        version: The code's version (``app_version()``).

    Returns:
        A JSON-ready dict.
    """
    first, last = data_range(dataset)
    return {
        "status": "ok",
        "version": version,
        "counts": {
            "events": len(dataset.events),
            "control_periods": len(dataset.periods),
            "sources": len(dataset.sources),
            "places": len(dataset.places),
            "groups": len(dataset.groups),
            "moments": len(dataset.moments),
            "skipped_rows": len(dataset.problems),
        },
        "range": {"first": first.isoformat(), "last": last.isoformat()},
    }


def serve_health(app: Dash, dataset: Dataset) -> None:
    """Serve ``health_report`` at ``healthz`` below the app's routes, built once.

    The data are read-only, so the answer is made at start-up and a probe costs nothing
    but the request itself; ``no-store`` keeps every probe from reaching a cache.
    """
    body = json.dumps(health_report(dataset, app_version()), separators=(",", ":"))

    def view() -> Response:
        response = Response(body, mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    rule = app.config.routes_pathname_prefix + "healthz"
    app.server.add_url_rule(rule, endpoint="healthz", view_func=view)

"""The page's account of an analyst's own data: the import reports, and the upload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

#: The rejections and new actors listed in the page; the rest are counted.
LISTED = 50


def _count(n: object) -> str:
    return f"{int(n or 0):,}"


def make_import_report(report: Mapping[str, Any]) -> html.Details:
    """One file's import report: counts, then each rejection with its line and reason."""
    rejected = list(report.get("rejected") or [])
    total_rejected = int(report.get("rejected_count") or 0)
    matched = report.get("actors_matched") or {}
    unmatched = list((report.get("actors_unmatched") or {}).keys())
    summary = (
        f"{report.get('file', 'events')} ({str(report.get('format', '?')).upper()}): "
        f"{_count(report.get('rows_read'))} rows read, {_count(report.get('imported'))} "
        f"imported, {_count(total_rejected)} rejected"
    )
    items = [
        html.Li(f"Line {r['line']}: {r['reason']}", className="rejection")
        for r in rejected[:LISTED]
    ]
    if total_rejected > len(items):
        items.append(html.Li(f"… and {total_rejected - len(items):,} more rejected rows"))
    actors = f"Actors: {len(matched):,} matched to the atlas's groups, {len(unmatched):,} new"
    if unmatched:
        shown = "; ".join(unmatched[:LISTED])
        actors += f" ({shown}{'; …' if len(unmatched) > LISTED else ''})"
    return html.Details(
        [
            html.Summary(summary),
            html.P(actors, className="import-actors"),
            html.Ul(items, className="rejections") if items else html.P("No row was rejected."),
        ],
        className="import-report",
        open=bool(items),
    )


def make_data_panel(
    reports: Sequence[Mapping[str, Any]], *, prefix: str, max_upload: int, shipped: bool
) -> html.Section:
    """The side panel's "Your data": what was imported, and an upload of a new export."""
    origin = (
        "The atlas's own events"
        + (" and your imports" if reports else "")
        + (" are shown." if shipped else "")
        if shipped
        else "Only your imported events are shown, with the atlas's control of the towns."
    )
    return html.Section(
        [
            html.H3("Your data"),
            html.P(origin, className="muted"),
            *[make_import_report(r) for r in reports],
            html.Div(
                [
                    html.Button("Import events…", id="upload-button", n_clicks=0, className="step"),
                    html.Label("Format", htmlFor="upload-format", className="upload-label"),
                    dcc.Dropdown(
                        id="upload-format",
                        options=[
                            {"label": "detect", "value": "auto"},
                            {"label": "ACLED", "value": "acled"},
                            {"label": "UCDP GED", "value": "ucdp"},
                            {"label": "atlas", "value": "atlas"},
                        ],
                        value="auto",
                        clearable=False,
                        searchable=False,
                        className="upload-format",
                    ),
                    html.P(
                        f"An ACLED or UCDP GED CSV export, up to {max_upload / 1e6:,.0f} MB. "
                        "It is imported on this server and opened as a data set of its own.",
                        className="muted upload-note",
                    ),
                    html.Progress(id="upload-progress", hidden=True),
                    html.Div(id="upload-status", role="status", className="upload-status"),
                    html.Div(id="upload-report"),
                    html.A("Open the imported data", id="upload-open", hidden=True),
                ],
                id="upload",
                **{"data-base": prefix, "data-limit": str(max_upload)},
            ),
        ],
        id="data-panel",
        className="data-panel",
    )

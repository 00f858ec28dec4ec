"""Key moments for readers and presenters: the side panel's list and the presenter's overlay.

Both are static here; assets/atlas/moments.js fills the overlay with the moment's text (as
text) and moves the map to it.
"""

from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.figures import fmt_day


def make_moments_list(dataset: Dataset) -> html.Section | None:
    """The key moments, each a button that takes the map to it (none: no section)."""
    if not dataset.moments:
        return None
    items = [
        html.Li(
            html.Button(
                [html.Span(fmt_day(m.date), className="moment-date"), " ", m.title],
                className="moment",
                title=m.caption,
                **{"data-moment": m.id},
            )
        )
        for m in dataset.moments
    ]
    return html.Section(
        [html.H3("Key moments"), html.Ol(items, className="moments-list")],
        id=ids.MOMENTS,
        className="moments",
    )


def make_presenter() -> list:
    """The presenter's overlay and the black screen that B toggles.

    The overlay is hidden until ``?present=1`` or the Present button shows it.
    """

    def button(label: str, id_: str, title: str) -> html.Button:
        return html.Button(label, id=id_, title=title, n_clicks=0, className="step")

    overlay = html.Div(
        id=ids.PRESENTER,
        className="presenter",
        hidden=True,
        role="region",
        **{"aria-label": "Key moments, presented", "aria-live": "polite"},
        children=[
            html.Div(id="presenter-date", className="presenter-date"),
            html.H2(id="presenter-title", className="presenter-title"),
            html.P(id="presenter-caption", className="presenter-caption"),
            html.P(id="presenter-sources", className="presenter-sources"),
            html.Div(
                className="presenter-controls",
                children=[
                    button("◀ Previous", "moment-previous", "Previous moment (PgUp, ←)"),
                    html.Span(id="presenter-count", className="presenter-count"),
                    button("Next ▶", "moment-next", "Next moment (PgDn, →, Space)"),
                    button("Autoplay", "moment-autoplay", "Play the moments in a loop"),
                    button("Full screen", "present-fullscreen", "Full screen (F)"),
                    button("Exit", "present-exit", "Leave the presentation (Esc)"),
                ],
            ),
        ],
    )
    return [overlay, html.Div(id=ids.BLACKOUT, className="blackout", hidden=True)]

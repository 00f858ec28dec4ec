"""The timeline: control of each town as coloured bars over time, events per week below."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.data import Dataset
from dashboard.figures import (
    UIREVISION,
    data_range,
    fmt_day,
    group_label,
    plotly_text,
    type_color,
)


def make_timeline_figure(dataset: Dataset) -> go.Figure:
    """Build the timeline: control of each town as coloured bars, events per week below.

    The selected day's cursor is an HTML line the browser moves (see ``assets/atlas.js``).

    Args:
        dataset: The loaded data.

    Returns:
        A two-row figure sharing its date axis.
    """
    first, last = data_range(dataset)
    places = dataset.control_places
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.04
    )
    for group in dataset.groups.values():
        bars = [p for p in dataset.periods if p.groups[0] == group.id and p.place in places]
        if not bars:
            continue
        ends = [p.end or last + timedelta(days=1) for p in bars]
        fig.add_trace(
            go.Bar(
                name=group.short_name,
                orientation="h",
                y=[plotly_text(dataset.places[p.place].name) for p in bars],
                base=[p.start.isoformat() for p in bars],
                x=[(end - p.start).days * 86_400_000 for p, end in zip(bars, ends, strict=True)],
                customdata=[p.start.isoformat() for p in bars],
                marker={
                    "color": group.color,
                    "pattern": {
                        "shape": [
                            "" if p.status == "held" else "/" if p.status == "shared" else "x"
                            for p in bars
                        ],
                        "fgcolor": "#ffffff",
                        "size": 6,
                    },
                    "line": {"width": 0},
                },
                hovertext=[
                    plotly_text(
                        f"{dataset.places[p.place].name}: {group_label(dataset, p.groups)} "
                        f"({p.status})"
                    )
                    + f"<br>{fmt_day(p.start)} – {fmt_day(p.end) if p.end else 'ongoing'}"
                    for p in bars
                ],
                hoverinfo="text",
                showlegend=False,
            ),
            row=1,
            col=1,
        )
    weeks = dataset.events.weekly_counts("event_type")
    for k, (event_type, counts) in enumerate(weeks.items()):
        if not counts:
            continue
        mondays = sorted(counts)
        fig.add_trace(
            go.Bar(
                name=event_type,
                x=[(m + timedelta(days=3)).isoformat() for m in mondays],
                y=[counts[m] for m in mondays],
                width=7 * 86_400_000 * 0.9,
                # a click jumps to the Sunday, so that the window shows the whole week
                customdata=[(m + timedelta(days=6)).isoformat() for m in mondays],
                marker={"color": type_color(event_type, k), "line": {"width": 0}},
                hovertext=[
                    f"Week of {fmt_day(m)}: {counts[m]} {plotly_text(event_type.lower())}"
                    for m in mondays
                ],
                hoverinfo="text",
                showlegend=False,
            ),
            row=2,
            col=1,
        )
    fig.update_layout(
        barmode="stack",
        bargap=0.25,
        margin={"l": 8, "r": 8, "t": 8, "b": 24},
        uirevision=UIREVISION,
        plot_bgcolor="#fbfaf6",
        paper_bgcolor="rgba(0,0,0,0)",
        font={"size": 13},
        clickmode="event",
        hovermode="closest",
        dragmode="pan",
    )
    view = [date(2011, 10, 1).isoformat(), date(2014, 1, 1).isoformat()]
    fig.update_xaxes(type="date", range=view, showgrid=True, gridcolor="#e4e0d6")
    fig.update_yaxes(
        autorange="reversed",
        row=1,
        col=1,
        categoryorder="array",
        categoryarray=[plotly_text(dataset.places[p].name) for p in places],
    )
    fig.update_yaxes(title_text="events/wk", title_font={"size": 11}, row=2, col=1, fixedrange=True)
    return fig

"""The legend, laid over the map's corner: the day's holders, the marks and the event types.

It sits on the map so that a reader at 1366x768 decodes the map without scrolling. The
groups part follows the day (a server callback on the settled day); the rest never
changes. Every text in it is a Dash component's text, never HTML: event types come from
the data.
"""

from __future__ import annotations

from datetime import date

from dash import html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.domain import control_on
from dashboard.figures import (
    CONTESTED,
    CONTESTED_GAP,
    EVENT_TYPE_COLORS,
    UNKNOWN_RING,
    type_colors,
)
from dashboard.palette import FAMILIES, family_of

#: The grey standing for "any group" in the keys of the marks.
ANY = "#8a8a8a"


def swatch(
    color: str,
    *,
    ring: str | None = None,
    gap: str | None = None,
    hollow: bool = False,
    vague: bool = False,
) -> html.Span:
    """A small disc: a colour, an optional ring (and gap) around it, or an outline."""
    shadow = ", ".join(
        s for s in (gap and f"0 0 0 2px {gap}", ring and f"0 0 0 {4 if gap else 3}px {ring}") if s
    )
    style = {"backgroundColor": color} | ({"boxShadow": shadow} if shadow else {})
    kind = "".join(f" {k}" for k, on in (("hollow", hollow), ("vague", vague)) if on)
    return html.Span(className=f"swatch{kind}", style=style)


def holders_on(dataset: Dataset, day: date) -> list[str]:
    """The ids of the groups holding or sharing a town on ``day``, family by family."""
    held = {g for p in dataset.control_places for g in _groups(dataset, p, day)}
    order = list(FAMILIES.values())
    return sorted(
        held,
        key=lambda g: (order.index(family_of(dataset.groups[g])), dataset.groups[g].short_name),
    )


def _groups(dataset: Dataset, place: str, day: date) -> tuple[str, ...]:
    period = control_on(dataset.periods, place, day)
    return period.groups if period else ()


def make_legend_groups(dataset: Dataset, day: date) -> list:
    """The groups that hold towns on ``day``, each with its colour and family letter."""
    items = []
    for group_id in holders_on(dataset, day):
        group = dataset.groups[group_id]
        family = family_of(group)
        items.append(
            html.Li(
                [
                    html.Span(className="swatch", style={"backgroundColor": group.color}),
                    html.Span(group.short_name, className="legend-name"),
                    html.Abbr(family.letter, title=family.name, className="family"),
                ],
                title=group.name,
                **{"data-group": group_id},
            )
        )
    if not items:
        return [html.P("No town's holder is known on this day.", className="muted")]
    return [html.Ul(items, className="legend-groups")]


def legend_event_types(dataset: Dataset) -> list[str]:
    """The event types of the data set, ACLED's in their usual order first."""
    present = dataset.events.codes("event_type")[1]
    order = [t for t in EVENT_TYPE_COLORS if t in present]
    return order + [t for t in present if t not in EVENT_TYPE_COLORS]


def _static_body(dataset: Dataset) -> list:
    """What never changes: the families, the marks of control, the event types, the sizes."""
    families = []
    for n, family in enumerate(FAMILIES.values()):
        families += [" · "] if n else []
        families += [html.Abbr(family.letter, title=family.name, className="family")]
        families += [f" {family.name}"]
    marks = [
        html.Li([mark, text])
        for mark, text in (
            (swatch(ANY), "held"),
            (swatch(ANY, ring="#d9d9d9"), "shared (ring: 2nd group)"),
            (swatch(ANY, ring=CONTESTED, gap=CONTESTED_GAP), "contested (double ring)"),
            (swatch("#ffffff", ring=UNKNOWN_RING), "holder unknown"),
        )
    ]
    order = legend_event_types(dataset)
    colors = type_colors(dataset.events.codes("event_type")[1])  # as the map colours them
    types = [
        html.Li([swatch(colors[t]), " ".join(t.split())], **{"data-event-type": t}) for t in order
    ]
    note = [
        "Size grows with fatalities; ",
        swatch(ANY, hollow=True),
        "toll unknown; ",
        swatch(ANY, vague=True),
        "placed only to a region or dated only to a week or more. Older events are fainter.",
    ]
    return [
        html.P(families, className="legend-families"),
        html.Ul(marks, className="legend-status"),
        html.H3("Events of the window"),
        html.Ul(types, className="legend-events"),
        html.P(note, className="legend-note"),
    ]


def make_legend(dataset: Dataset, day: date) -> html.Details:
    """The legend over the map, opened on ``day``; a click on its title folds it away."""
    return html.Details(
        [
            html.Summary("Legend"),
            html.H3("Who holds the towns"),
            html.Div(make_legend_groups(dataset, day), id=ids.LEGEND_GROUPS),
            *_static_body(dataset),
        ],
        id=ids.LEGEND,
        className="legend map-legend",
        open=True,
    )

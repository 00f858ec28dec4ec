"""Pure builders of the map and timeline figures, and of the data the browser steps through.

The map draws borders and names from its MapLibre style (``dashboard.mapstyle``), whose
sources are URLs, so the browser fetches the geometry once and a date step never re-sends
it. Town markers are small ``Scattermap`` traces; events are drawn by the browser on a
canvas of its own over the map (see ``assets/atlas.js``) from the payload of
``make_client_data``, which carries every event once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import plotly.graph_objects as go

from dashboard.data import Dataset
from dashboard.domain import (
    EVENT_TYPES,
    KEY_PLACES,
    ControlPeriod,
    Event,
)
from dashboard.mapstyle import (
    FOCUS_FILL,
    KEY_TOWN_SIZE,
    SEA,
    TOWN_SIZE,
    map_style,
)

UIREVISION = "sahel-atlas"
#: The view Plotly opens the map on. The browser then fits the map to ``default_bounds``
#: for the screen it has (``assets/atlas/maphooks.js``), unless a link names a view.
SAHEL_VIEW = {"center": {"lat": 17.6, "lon": -4.0}, "zoom": 3.7}
WINDOW_DAYS = 30
#: Above this many events in view, the browser draws aggregate bubbles instead of points.
MAX_POINTS = 2000


def gap_size(size: tuple[int, int]) -> float:
    """The diameter of a town's gap circle: halfway between its ring and its core."""
    ring, core = size
    return (ring + core) / 2


CONTESTED = "#1d1d1d"
CONTESTED_GAP = "#ffffff"
UNKNOWN_RING = "#9a9a9a"
UNKNOWN_CORE = FOCUS_FILL
CLUSTER = "rgba(92, 64, 51, 0.6)"

#: One colour per ACLED event type (Okabe-Ito, colour-blind safe).
EVENT_TYPE_COLORS = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#e69f00",
    "Violence against civilians": "#cc79a7",
    "Protests": "#009e73",
    "Riots": "#56b4e9",
    "Strategic developments": "#0072b2",
}
assert set(EVENT_TYPE_COLORS) == set(EVENT_TYPES)

#: Colours of event types beyond ACLED's six (UCDP's types of violence, then any other).
EXTRA_TYPE_COLORS = {
    "State-based conflict": "#d55e00",
    "Non-state conflict": "#e69f00",
    "One-sided violence": "#cc79a7",
}
OTHER_TYPE_COLORS = ("#999933", "#882255", "#44aa99", "#117733", "#aa4499", "#888888")


def type_color(event_type: str, k: int = 0) -> str:
    """The colour of an event type: ACLED's and UCDP's fixed, others from a small palette."""
    return (
        EVENT_TYPE_COLORS.get(event_type)
        or EXTRA_TYPE_COLORS.get(event_type)
        or OTHER_TYPE_COLORS[k % len(OTHER_TYPE_COLORS)]
    )


def type_colors(types: list[str]) -> dict[str, str]:
    """The colour of each event type of a data set (``types`` sorted, as the store codes them)."""
    others = [t for t in types if t not in EVENT_TYPE_COLORS and t not in EXTRA_TYPE_COLORS]
    return {t: type_color(t, others.index(t) if t in others else 0) for t in types}


#: Trace order of the map; the browser reads it from the client data, never hard-codes it.
TRACES = ("town-hit",)
TRACE_INDEX = {name: i for i, name in enumerate(TRACES)}


def fmt_day(day: date) -> str:
    """Format a day the way the page shows it, e.g. ``10 Jan 2013``."""
    return f"{day.day} {day:%b %Y}"


def plotly_text(value: str) -> str:
    """Text from the data made safe for Plotly's hover and labels.

    Plotly reads a subset of HTML in them (``<a href>``, ``<b>``, ``<br>``...): a place named
    ``<a href="https://evil.example">Timbuktu</a>`` would become a link. ``&``, ``<`` and
    ``>`` are escaped; Plotly shows the entities as the characters.
    """
    return escape(value, quote=False)


def group_label(dataset: Dataset, ids: tuple[str, ...]) -> str:
    """Join the short names of groups, e.g. ``MNLA + MUJAO``."""
    return " + ".join(dataset.groups[g].short_name if g in dataset.groups else g for g in ids)


def actor_label(dataset: Dataset, actor: str) -> str:
    """Show an actor by its group's short name when it is a group id, else as written."""
    group = dataset.groups.get(actor)
    return group.short_name if group else actor


def source_line(dataset: Dataset, ids: tuple[str, ...]) -> str:
    """Name the first source (publisher, date) and say how many more there are."""
    if not ids:
        return "no source"
    first = dataset.sources[ids[0]]
    text = first.publisher + (f", {fmt_day(first.published)}" if first.published else "")
    return text + (f" (+{len(ids) - 1} more)" if len(ids) > 1 else "")


@dataclass(frozen=True)
class TownMarker:
    """How a town looks on one day: ring, gap and core colours, and hover text.

    The gap is a circle between the ring and the core: white for a contested town, so
    that its dark ring reads as a double ring, else the ring's own colour.
    """

    ring: str
    core: str
    hover: str
    gap: str
    #: the hover as plain text, a title line and a detail line (the browser sets it as text)
    lines: tuple[str, ...] = ()


def town_marker(dataset: Dataset, period: ControlPeriod | None, name: str) -> TownMarker:
    """Describe a town's marker for a control period (or for no known control).

    A town held by one group is a solid disc in its colour; a shared town shows the second
    group's colour as a ring around the first's; a contested town has a dark ring with a
    white gap inside it (a double ring), a cue that does not rest on colour alone.
    """
    if period is None:
        lines = (name, "control unknown")
        return TownMarker(UNKNOWN_RING, "#ffffff", _hover_html(lines), UNKNOWN_RING, lines)
    first = dataset.groups[period.groups[0]].color
    if period.status == "contested":
        ring = CONTESTED
    elif period.status == "shared" and len(period.groups) > 1:
        ring = dataset.groups[period.groups[1]].color
    else:
        ring = first
    holders = group_label(dataset, period.groups)
    status = {"held": "", "shared": " (shared)", "contested": " (contested)"}[period.status]
    lines = (
        f"{name} — {holders}{status} since {fmt_day(period.start)}",
        f"confidence {period.confidence} — source: {source_line(dataset, period.sources)}",
    )
    gap = CONTESTED_GAP if period.status == "contested" else ring
    return TownMarker(ring, first, _hover_html(lines), gap, lines)


def _hover_html(lines: tuple[str, ...]) -> str:
    """Plotly's hover HTML of plain text lines, the first in bold, every one escaped."""
    title, *rest = (plotly_text(line) for line in lines)
    return "<br>".join([f"<b>{title}</b>", *rest])


def event_size(fatalities: int | None) -> float:
    """Marker size for an event: grows with the square root of its toll."""
    if fatalities is None:
        return 12.0
    return round(min(7 + 2.6 * math.sqrt(fatalities), 34), 1)


def event_hover(dataset: Dataset, event: Event) -> str:
    """The hover text of an event: date, type, actors, toll, a short note and the source.

    It is HTML (bold, line breaks): every value from the data is escaped.
    """
    when = fmt_day(event.event_date)
    if event.end_date:
        when += f" – {fmt_day(event.end_date)}"
    actors = actor_label(dataset, event.actor1)
    if event.actor2:
        actors += f" vs {actor_label(dataset, event.actor2)}"
    toll = "unknown" if event.fatalities is None else str(event.fatalities)
    note = event.notes if len(event.notes) <= 140 else event.notes[:137].rsplit(" ", 1)[0] + "…"
    return (
        f"<b>{when} · {escape(event.location)}</b>"
        f"<br>{escape(event.event_type)}: {escape(event.sub_event_type)}"
        f"<br>{escape(actors)}<br>Fatalities: {toll}<br>{_wrap(escape(note))}"
        f"<br><i>Source: {escape(source_line(dataset, event.sources))}</i>"
    )


def _wrap(text: str, width: int = 60) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _scatter(name: str, **kwargs: Any) -> go.Scattermap:
    return go.Scattermap(name=name, uid=name, showlegend=False, **kwargs)


def _town_traces(dataset: Dataset, day: date) -> list[go.Scattermap]:
    """The town markers' trace: transparent, for clicks alone.

    The browser draws the markers on its canvas (``assets/atlas/layer.js``), with its own
    hover text, so that a change of control repaints a canvas and never the WebGL map. This
    trace only gives a click on a town to Plotly's ``clickData`` (the town's id in
    ``customdata``), sized like the marker's outer ring.
    """
    places = [dataset.places[p] for p in dataset.control_places]
    sizes = [KEY_TOWN_SIZE if p.id in KEY_PLACES else TOWN_SIZE for p in places]
    return [
        _scatter(
            "town-hit",
            below="",  # on top of every layer
            mode="markers",
            lat=[p.lat for p in places],
            lon=[p.lon for p in places],
            customdata=[p.id for p in places],
            hoverinfo="none",  # the browser's own tooltip speaks for the town
            marker={"size": [ring for ring, _ in sizes], "color": "rgba(0,0,0,0)"},
        )
    ]


def make_map_figure(dataset: Dataset, day: date, prefix: str = "/") -> go.Figure:
    """Build the map for one day: borders and names (in the style) and the town markers.

    The events are not traces: the browser draws them on a canvas of its own over the map
    (``assets/atlas.js``), so that a date step repaints a few circles, not the WebGL map.

    Args:
        dataset: The loaded data.
        day: The selected day.
        prefix: The app's URL prefix as the browser sees it, ending in ``/``.

    Returns:
        The map figure, with traces in ``TRACES`` order.
    """
    traces = _town_traces(dataset, day)
    assert [t.name for t in traces] == list(TRACES)
    fig = go.Figure(traces)
    fig.update_layout(
        map={"style": map_style(dataset, prefix), **SAHEL_VIEW},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision=UIREVISION,
        hoverlabel={"font": {"size": 13}, "align": "left"},
        paper_bgcolor=SEA,
        clickmode="event",
    )
    return fig


def data_range(dataset: Dataset) -> tuple[date, date]:
    """First and last day the atlas can show: all dates the data speaks of."""
    days = list(dataset.events.span() or ())
    days += [p.start for p in dataset.periods] + [p.end for p in dataset.periods if p.end]
    days += [s.published for s in dataset.sources.values() if s.published]
    first = min(days, default=date(2012, 1, 1))
    return date(first.year, 1, 1), max(days, default=date(2013, 12, 31))

"""Pure builders of the map and timeline figures, and of the data the browser steps through.

The map draws borders and names from its MapLibre style, whose sources are URLs, so the
browser fetches the geometry once and a date step never re-sends it. Town markers are small
``Scattermap`` traces; events are drawn by the browser on a canvas of its own over the map
(see ``assets/atlas.js``) from the payload of ``make_client_data``, which carries every event
once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import plotly.graph_objects as go
from shapely.geometry import shape

from dashboard.data import Dataset
from dashboard.domain import (
    EVENT_TYPES,
    KEY_PLACES,
    ControlPeriod,
    Event,
    control_on,
)

#: Font stack served from ``assets/glyphs`` (built by ``dashboard.build_glyphs``).
MAP_FONT = "Sahel Sans Regular"
#: Paths below the app's URL prefix (``/`` unless the app is served under another path;
#: see ``server.create_app``). The glyphs are Dash assets.
GLYPHS_PATH = "assets/glyphs/{fontstack}/{range}.pbf"
#: Where the app serves the borders (see ``server.py``); the browser caches them.
GEO_PATHS = {
    "countries": "geo/countries.geojson",
    "regions": "geo/mali-regions.geojson",
}
UIREVISION = "sahel-atlas"
SAHEL_VIEW = {"center": {"lat": 19.0, "lon": -1.5}, "zoom": 3.7}
WINDOW_DAYS = 30
#: Above this many events in view, the browser draws aggregate bubbles instead of points.
MAX_POINTS = 2000
#: The map style's top layer, empty: the town rings are drawn just below it and the town
#: cores above it. Each trace needs a ``below`` of its own: when two traces share one,
#: Plotly removes and re-adds their layers at every update, which makes MapLibre re-lay
#: them out and draw three frames instead of two.
TOWNS_TOP = "towns-top"
#: Above the rings, under the cores: the layer the gap of a contested town goes below.
TOWNS_GAP_TOP = "towns-gap-top"
#: Town marker diameters in px, (ring, core), for the four key towns and for the others.
KEY_TOWN_SIZE = (24, 14)
TOWN_SIZE = (17, 10)


def gap_size(size: tuple[int, int]) -> float:
    """The diameter of a town's gap circle: halfway between its ring and its core."""
    ring, core = size
    return (ring + core) / 2


SEA = "#d6e2ea"
FOCUS_FILL = "#f6f1e4"
CONTEXT_FILL = "#e6e6e3"
FOCUS_BORDER = "#5b5346"
CONTEXT_BORDER = "#a9a9a4"
REGION_BORDER = "#b9ac93"
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
TRACES = (
    "town-ring",
    "town-gap",
    "town-core",
)
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


def town_marker(dataset: Dataset, period: ControlPeriod | None, name: str) -> TownMarker:
    """Describe a town's marker for a control period (or for no known control).

    A town held by one group is a solid disc in its colour; a shared town shows the second
    group's colour as a ring around the first's; a contested town has a dark ring with a
    white gap inside it (a double ring), a cue that does not rest on colour alone.
    """
    if period is None:
        return TownMarker(
            UNKNOWN_RING, "#ffffff", f"<b>{plotly_text(name)}</b><br>control unknown", UNKNOWN_RING
        )
    first = dataset.groups[period.groups[0]].color
    if period.status == "contested":
        ring = CONTESTED
    elif period.status == "shared" and len(period.groups) > 1:
        ring = dataset.groups[period.groups[1]].color
    else:
        ring = first
    holders = plotly_text(group_label(dataset, period.groups))
    status = {"held": "", "shared": " (shared)", "contested": " (contested)"}[period.status]
    source = plotly_text(source_line(dataset, period.sources))
    hover = (
        f"<b>{plotly_text(name)}</b> — {holders}{status} since {fmt_day(period.start)}"
        f"<br>confidence {period.confidence} — source: {source}"
    )
    gap = CONTESTED_GAP if period.status == "contested" else ring
    return TownMarker(ring, first, hover, gap)


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
    places = [dataset.places[p] for p in dataset.control_places]
    markers = [town_marker(dataset, control_on(dataset.periods, p.id, day), p.name) for p in places]
    lat = [p.lat for p in places]
    lon = [p.lon for p in places]
    sizes = [KEY_TOWN_SIZE if p.id in KEY_PLACES else TOWN_SIZE for p in places]
    return [
        _scatter(
            "town-ring",
            below=TOWNS_TOP,
            mode="markers",
            lat=lat,
            lon=lon,
            hoverinfo="skip",
            marker={"size": [ring for ring, _ in sizes], "color": [m.ring for m in markers]},
        ),
        _scatter(
            "town-gap",
            below=TOWNS_GAP_TOP,
            mode="markers",
            lat=lat,
            lon=lon,
            hoverinfo="skip",
            marker={"size": [gap_size(s) for s in sizes], "color": [m.gap for m in markers]},
        ),
        _scatter(
            "town-core",
            below="",  # on top of every layer
            mode="markers",
            lat=lat,
            lon=lon,
            customdata=[p.id for p in places],
            hovertext=[m.hover for m in markers],
            hoverinfo="text",
            marker={"size": [core for _, core in sizes], "color": [m.core for m in markers]},
        ),
    ]


def label_points(dataset: Dataset) -> dict[str, Any]:
    """Where the map writes country and town names, as GeoJSON points for the style."""
    features = []
    for feature in dataset.countries["features"]:
        props = feature["properties"]
        point = shape(feature["geometry"]).representative_point()
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point.x, 3), round(point.y, 3)],
                },
                "properties": {
                    "kind": "focus" if props["focus"] else "context",
                    "name": props["name"].upper() if props["focus"] else props["name"],
                },
            }
        )
    for place_id in dataset.control_places:
        place = dataset.places[place_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "kind": "key-town" if place_id in KEY_PLACES else "town",
                    "name": place.name,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_style(dataset: Dataset, prefix: str = "/") -> dict[str, Any]:
    """A MapLibre style with the borders (from the app's own URLs), names and glyphs.

    Borders and names live in the style, not in traces: the browser fetches and lays them
    out once, and a figure update only compares this small dict, so a date step never
    re-sends the geometry nor re-places the text.

    Args:
        dataset: The loaded data.
        prefix: The app's URL prefix as the browser sees it, ending in ``/``.
    """
    with_regions = bool(dataset.regions)
    focus = ["==", ["get", "focus"], True]
    sources: dict[str, Any] = {
        "countries": {"type": "geojson", "data": prefix + GEO_PATHS["countries"]}
    }
    layers: list[dict[str, Any]] = [
        {"id": "sea", "type": "background", "paint": {"background-color": SEA}},
        {
            "id": "country-fill",
            "type": "fill",
            "source": "countries",
            # borders are drawn over the edges: antialiasing them too costs every frame
            "paint": {
                "fill-color": ["case", focus, FOCUS_FILL, CONTEXT_FILL],
                "fill-antialias": False,
            },
        },
    ]
    if with_regions:
        sources["regions"] = {"type": "geojson", "data": prefix + GEO_PATHS["regions"]}
        layers.append(
            {
                "id": "region-line",
                "type": "line",
                "source": "regions",
                "paint": {"line-color": REGION_BORDER, "line-width": 0.8},
            }
        )
    layers += [
        {
            "id": "context-line",
            "type": "line",
            "source": "countries",
            "filter": ["!", focus],
            "paint": {"line-color": CONTEXT_BORDER, "line-width": 1},
        },
        {
            "id": "focus-line",
            "type": "line",
            "source": "countries",
            "filter": focus,
            "paint": {"line-color": FOCUS_BORDER, "line-width": 1.6},
        },
    ]
    sources["labels"] = {"type": "geojson", "data": label_points(dataset)}
    kind = ["get", "kind"]
    layers += [
        _label_layer(
            "country-label",
            ["in", kind, ["literal", ["focus", "context"]]],
            {
                "text-size": ["case", ["==", kind, "focus"], 16, 11],
                "text-letter-spacing": ["case", ["==", kind, "focus"], 0.12, 0.02],
            },
            {"text-color": ["case", ["==", kind, "focus"], "#6b6355", "#8d8d88"]},
        ),
        _label_layer(
            "town-label",
            ["==", kind, "town"],
            {"text-size": 12, "text-anchor": "left", "text-offset": [0.9, 0]},
            {"text-color": "#3a3731"},
        ),
        # the four key towns are always named, even where names collide
        _label_layer(
            "key-town-label",
            ["==", kind, "key-town"],
            {
                "text-size": 15,
                "text-anchor": "left",
                "text-offset": [1.0, 0],
                "text-allow-overlap": True,
                "text-ignore-placement": True,
            },
            {"text-color": "#1f1d1a"},
        ),
        # Empty layers that mark where the town rings and gaps go (see ``TOWNS_TOP``).
        {
            "id": TOWNS_TOP,
            "type": "circle",
            "source": "labels",
            "filter": ["==", kind, "none"],
        },
        {
            "id": TOWNS_GAP_TOP,
            "type": "circle",
            "source": "labels",
            "filter": ["==", kind, "none"],
        },
    ]
    return {
        "version": 8,
        "name": "sahel-atlas",
        "glyphs": prefix + GLYPHS_PATH,
        "sources": sources,
        "layers": layers,
    }


def _label_layer(
    layer_id: str, where: list, layout: dict[str, Any], paint: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": layer_id,
        "type": "symbol",
        "source": "labels",
        "filter": where,
        "layout": {"text-field": ["get", "name"], "text-font": [MAP_FONT], **layout},
        # No halo: the names sit on plain fills, and a halo costs ~15 ms a frame in
        # software GL (see benchmarks/step_latency.py).
        "paint": paint,
    }


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

"""The map's MapLibre style: borders, names and glyphs, served by the app itself.

Borders and names live in the style, not in traces: the browser fetches and lays them out
once, and a figure update only compares this small dict, so a date step never re-sends the
geometry nor re-places the text. Names are placed by MapLibre's collision detection, in
an order of priority (``label_ranks``), each on a free side of its town; the style's
metadata carries what the map frames when a link names no view (``default_bounds``).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from dashboard.data import Dataset
from dashboard.domain import KEY_PLACES

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
#: The key of the map style's metadata that carries ``default_bounds`` to the browser
#: (MapLibre asks for prefixed keys there).
FIT_METADATA = "sahel-atlas:fit"
#: Town marker diameters in px, (ring, core), for the four key towns and for the others.
KEY_TOWN_SIZE = (24, 14)
TOWN_SIZE = (17, 10)
#: Where a town's name may sit around its point, in the order MapLibre tries them, with
#: the direction it moves off the point, (x, y), y down (``text-variable-anchor-offset``
#: names the side of the text at the point: ``left`` puts the name right of its town).
LABEL_ANCHORS = {
    "left": (1, 0),
    "right": (-1, 0),
    "top": (0, 1),
    "bottom": (0, -1),
    "top-left": (1, 1),
    "top-right": (-1, 1),
    "bottom-left": (1, -1),
    "bottom-right": (-1, -1),
}
#: Text sizes of the town names in px, key towns and others (a presenter's are 1.5x).
KEY_LABEL_SIZE = 15
TOWN_LABEL_SIZE = 12
#: MapLibre's room around a name when it checks for collisions (its default), in px.
LABEL_PADDING = 2
#: The sea, the focus countries and their neighbours, and their borders.
SEA = "#d6e2ea"
FOCUS_FILL = "#f6f1e4"
CONTEXT_FILL = "#e6e6e3"
FOCUS_BORDER = "#5b5346"
CONTEXT_BORDER = "#a9a9a4"
REGION_BORDER = "#b9ac93"


def default_bounds(dataset: Dataset) -> list[float] | None:
    """What the map frames when a link names no view: ``[west, south, east, north]``.

    The countries that hold the towns of the story (Mali, for the shipped data) and the
    towns themselves; None when the data have no town to frame.
    """
    places = [dataset.places[p] for p in dataset.control_places]
    if not places:
        return None
    homes = {p.country_iso3 for p in places}
    boxes = [
        shape(f["geometry"]).bounds
        for f in dataset.countries["features"]
        if f["properties"].get("iso_a3") in homes
    ]
    boxes += [(p.lon, p.lat, p.lon, p.lat) for p in places]
    return [
        round(min(b[0] for b in boxes), 3),
        round(min(b[1] for b in boxes), 3),
        round(max(b[2] for b in boxes), 3),
        round(max(b[3] for b in boxes), 3),
    ]


def label_ranks(dataset: Dataset) -> dict[str, int]:
    """The order in which the map places town names, first placed first (0 first).

    The key towns come first, in their order; then the towns that changed hands most
    often, the ones the story speaks of most. A name that has no room is left out, so the
    names placed first are the ones always seen.
    """
    periods: dict[str, int] = {}
    for period in dataset.periods:
        periods[period.place] = periods.get(period.place, 0) + 1
    keys = [p for p in KEY_PLACES if p in dataset.control_places]
    others = sorted(
        (p for p in dataset.control_places if p not in KEY_PLACES),
        key=lambda p: (-periods.get(p, 0), dataset.places[p].name),
    )
    return {p: rank for rank, p in enumerate(keys + others)}


def label_points(dataset: Dataset) -> dict[str, Any]:
    """Where the map writes country and town names, as GeoJSON points for the style.

    Each point has a ``rank``: the style places names in that order (``symbol-sort-key``),
    the focus countries before their neighbours and the towns by ``label_ranks``.
    """
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
                    "rank": 0 if props["focus"] else 1,
                },
            }
        )
    ranks = label_ranks(dataset)
    for place_id in dataset.control_places:
        place = dataset.places[place_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "kind": "key-town" if place_id in KEY_PLACES else "town",
                    "name": place.name,
                    "rank": ranks[place_id],
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
                "symbol-sort-key": ["get", "rank"],
            },
            {"text-color": ["case", ["==", kind, "focus"], "#6b6355", "#8d8d88"]},
        ),
        # Town names: each tries the sides of its point in turn (LABEL_ANCHORS), clear of
        # the town markers, and is left out when no side is free. MapLibre places the
        # layers from the top down: the markers' room first, then the key towns' names,
        # then the other towns' by rank, then the countries'.
        _label_layer(
            "town-label",
            ["==", kind, "town"],
            _town_label_layout(TOWN_LABEL_SIZE, TOWN_SIZE),
            {"text-color": "#3a3731"},
        ),
        # The four key towns are always named: when every side of the point is taken, the
        # name goes on its first side over the others (MapLibre tries the free sides first).
        _label_layer(
            "key-town-label",
            ["==", kind, "key-town"],
            {**_town_label_layout(KEY_LABEL_SIZE, KEY_TOWN_SIZE), "text-allow-overlap": True},
            {"text-color": "#1f1d1a"},
        ),
        _clearance_layer("town-clearance", ["==", kind, "town"], TOWN_SIZE),
        _clearance_layer("key-town-clearance", ["==", kind, "key-town"], KEY_TOWN_SIZE),
    ]
    return {
        "version": 8,
        "name": "sahel-atlas",
        "metadata": {FIT_METADATA: default_bounds(dataset)},
        "glyphs": prefix + GLYPHS_PATH,
        "sources": sources,
        "layers": layers,
    }


def _clearance(marker: tuple[int, int]) -> float:
    """Half the side of the square a town marker of ``marker`` px keeps clear of names."""
    ring, _ = marker
    return ring / 2 + 1


def _town_label_layout(text_size: int, marker: tuple[int, int]) -> dict[str, Any]:
    """The layout of a town name of ``text_size`` px beside a marker of ``marker`` px.

    On each side it tries, the name starts just outside the square its own marker keeps
    clear (``_clearance_layer``), past MapLibre's collision padding. The offsets are in
    ems, so a presenter's larger names move out with their size.
    """
    off = round((_clearance(marker) + LABEL_PADDING + 1) / text_size, 3)
    anchors: list[Any] = []
    for anchor, (x, y) in LABEL_ANCHORS.items():
        anchors += [anchor, [x * off, y * off]]
    return {
        "text-size": text_size,
        "text-variable-anchor-offset": anchors,
        "text-justify": "auto",
        "symbol-sort-key": ["get", "rank"],
    }


def _clearance_layer(layer_id: str, where: list, marker: tuple[int, int]) -> dict[str, Any]:
    """An unseen mark on each town that keeps names off its marker.

    The town markers are Plotly's circles, which MapLibre's collision detection does not
    see. This layer puts a dot of 1 px on each town, never drawn (opacity 0) but always
    placed (``text-allow-overlap``), whose collision box is padded to the marker's size:
    the names, placed after it, keep off it.
    """
    return {
        "id": layer_id,
        "type": "symbol",
        "source": "labels",
        "filter": where,
        "layout": {
            "text-field": ".",
            "text-font": [MAP_FONT],
            "text-size": 1,
            "text-padding": _clearance(marker),
            "text-allow-overlap": True,
        },
        "paint": {"text-opacity": 0},
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

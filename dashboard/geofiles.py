"""Read and check the data folder's GeoJSON files: the country outlines and the regions.

A file that cannot be read at all (missing, a folder, not UTF-8, not JSON, not a
FeatureCollection) is one ``Problem`` marked ``whole_file``; a feature the map cannot draw
(no polygon, coordinates off the globe, a country without its code or name) is a problem
of its own and is left out. ``NaN`` and ``Infinity``, which Python's JSON parser takes
but browsers refuse, are not JSON here either.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape

from dashboard.readers import Problem

#: The geometry types an outline may have.
AREAS = ("Polygon", "MultiPolygon")
#: What a feature's geometry cannot be read for, by shapely or by us.
_BAD_GEOMETRY = (GEOSException, ValueError, TypeError, KeyError, AttributeError, IndexError)


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


#: Said of an optional file that is left out.
NOT_DRAWN = "; the regions are not drawn"


def read_geojson(
    path: Path, problems: list[Problem], *, required: bool, note: str = ""
) -> Any | None:
    """The parsed JSON of ``path``, or None with a whole-file problem.

    A missing optional file is no problem; ``note`` ends the reason of any other (e.g.
    ``NOT_DRAWN``).
    """

    def whole(line: int, reason: str) -> None:
        problems.append(Problem(path.name, line, reason + note, whole_file=True))

    if not path.exists():
        if required:
            whole(0, "file is missing")
        return None
    if not path.is_file():
        whole(0, "is not a file (a folder?)")
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        whole(0, f"cannot be read: {error.strerror or error}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        whole(raw.count(b"\n", 0, error.start) + 1, "not UTF-8 text: save it as UTF-8")
        return None
    try:
        doc = json.loads(text, parse_constant=_no_constants)
        if doc is None:  # JSON's null: no data
            whole(0, "not a GeoJSON FeatureCollection (null)")
        return doc
    except json.JSONDecodeError as error:
        whole(error.lineno, f"not valid JSON: {error.msg}")
    except ValueError as error:  # NaN or Infinity
        whole(0, f"not valid JSON: {error}")
    except RecursionError:
        whole(0, "not valid JSON: nested too deeply")
    return None


def _geometry_problem(geometry: Any) -> str | None:
    """Why a feature's geometry is no area the map can draw, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in AREAS:
        return f"its geometry is not a {' or '.join(AREAS)}"
    try:
        geom = shape(geometry)
        if geom.is_empty:
            return "its geometry is empty"
        west, south, east, north = shapely.bounds(geom).tolist()
        geom.representative_point()
    except _BAD_GEOMETRY as error:
        return f"its geometry cannot be read ({type(error).__name__})"
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return "its coordinates are not all numbers"
    if not (-180 <= west and east <= 180 and -90 <= south and north <= 90):
        return "its coordinates are off the globe"
    return None


def _country_problem(properties: Any) -> str | None:
    """Why a country feature's properties are not what the map needs, or None."""
    if not isinstance(properties, dict):
        return "it has no properties"
    code, name = properties.get("iso_a3"), properties.get("name")
    if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isupper()):
        return "its iso_a3 is not a three-letter code"
    if not (isinstance(name, str) and name.strip()):
        return "it has no name"
    if not isinstance(properties.get("focus"), bool):
        return "its focus is not true or false"
    return None


def _features(doc: Any, name: str, problems: list[Problem], note: str = "") -> list | None:
    if (
        isinstance(doc, dict)
        and doc.get("type") == "FeatureCollection"
        and isinstance(doc.get("features"), list)
    ):
        return doc["features"]
    problems.append(Problem(name, 0, "not a GeoJSON FeatureCollection" + note, whole_file=True))
    return None


def check_countries(doc: Any, name: str, problems: list[Problem]) -> dict | None:
    """The country outlines whose features the map and the checks can use.

    Each unusable feature is a problem and is left out; None (with a whole-file problem)
    when none is left.
    """
    features = _features(doc, name, problems)
    if features is None:
        return None
    kept = []
    for i, feature in enumerate(features):
        reason = (
            "it is not a GeoJSON Feature"
            if not isinstance(feature, dict)
            else _country_problem(feature.get("properties"))
            or _geometry_problem(feature.get("geometry"))
        )
        if reason:
            problems.append(Problem(name, 0, f"feature {i}: {reason}; left out"))
        else:
            kept.append(feature)
    if not kept:
        problems.append(Problem(name, 0, "holds no usable country outline", whole_file=True))
        return None
    return {**doc, "features": kept}


def check_regions(doc: Any, name: str, problems: list[Problem]) -> dict | None:
    """The regions' outlines, or None with one problem when any feature cannot be drawn.

    The file is optional: when it is broken, the map goes without regions.
    """
    features = _features(doc, name, problems, NOT_DRAWN)
    if features is None:
        return None
    for i, feature in enumerate(features):
        reason = (
            "it is not a GeoJSON Feature"
            if not isinstance(feature, dict)
            else _geometry_problem(feature.get("geometry"))
        )
        if reason:
            problems.append(Problem(name, 0, f"feature {i}: {reason}{NOT_DRAWN}"))
            return None
    return doc

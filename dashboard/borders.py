"""Country outlines for checking that points fall in the country they claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import shape

#: How far (degrees, ~5 km) a point may sit outside its simplified country outline.
BORDER_TOLERANCE = 0.05


class Borders:
    """Country outlines for checking that points fall where they claim to."""

    def __init__(self, countries: Mapping[str, Any]):
        """Buffer and prepare each country of a GeoJSON FeatureCollection, by ISO alpha-3."""
        self.shapes = {
            f["properties"]["iso_a3"]: shapely.buffer(shape(f["geometry"]), BORDER_TOLERANCE)
            for f in countries["features"]
        }
        for geom in self.shapes.values():
            shapely.prepare(geom)

    def contains(self, iso3: str, lat: float, lon: float) -> bool:
        """Return True when the point lies in (or within the tolerance of) the country."""
        geom = self.shapes.get(iso3)
        return geom is not None and geom.contains(shapely.Point(lon, lat))

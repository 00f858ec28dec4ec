"""Key moments: the dated captions and map views a presenter steps through.

``geodata/moments.csv`` lists them, oldest first. Each row is checked like every other
data file: a bad row is reported with its file, line and reason and left out, and the
good rows still load.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard.domain import Source
from dashboard.readers import (
    ID,
    Problem,
    Reader,
    check_sources,
    coordinates,
    parse_day,
    split,
    unique,
)
from dashboard.store import Window

COLUMNS = ("id", "date", "title", "caption", "lat", "lon", "zoom", "window", "events", "sources")
#: The longest caption, in characters: one to three sentences that a room can read.
MAX_CAPTION = 400
#: The zoom levels a map view may ask for (MapLibre's usual range).
ZOOM_RANGE = (0.0, 18.0)
#: The ``window`` value that shows every event up to the moment's day.
ALL = "all"


@dataclass(frozen=True)
class Moment:
    """A key moment: a day, what happened in our own words, and the map view to show.

    ``window`` is the number of days of events shown, ending on ``date``; None shows
    every event up to ``date`` (the cumulative window).
    """

    id: str
    date: date
    title: str
    caption: str
    lat: float
    lon: float
    zoom: float
    window: int | None
    events: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def event_window(self) -> Window:
        """The events the map shows at this moment, as the store's ``Window``."""
        return Window(days=self.window)


def _window(value: str) -> int | None:
    if value == ALL:
        return None
    if not re.fullmatch(r"[1-9][0-9]*", value):
        raise ValueError(value)
    return int(value)


def load_moments(
    path: Path,
    sources: Mapping[str, Source],
    event_ids: Collection[str],
    problems: list[Problem],
) -> list[Moment]:
    """Read and check a moments CSV.

    Args:
        path: The file, usually ``geodata/moments.csv``.
        sources: The known sources; every cited id must be one of them.
        event_ids: The known event ids; every id in ``events`` must be one of them.
        problems: Where each bad row is reported (the row is then left out).

    Returns:
        The good moments, in the file's (date) order.
    """
    reader = Reader(path, problems, COLUMNS)
    moments: list[Moment] = []
    seen: dict[str, int] = {}
    for line, row in reader.rows():
        day = reader.parse(line, "date", row["date"], parse_day)
        point = coordinates(reader, line, row, "lat", "lon")
        zoom = reader.parse(line, "zoom", row["zoom"], float)
        window = reader.parse(line, "window (days > 0 or 'all')", row["window"], _window)
        if day is None or point is None or zoom is None:
            continue
        if window is None and row["window"] != ALL:
            continue
        events = split(row["events"])
        if not ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
        elif not row["title"] or not row["caption"]:
            reader.problem(line, "title and caption are required")
        elif len(row["caption"]) > MAX_CAPTION:
            reader.problem(
                line, f"caption has {len(row['caption'])} characters (at most {MAX_CAPTION})"
            )
        elif not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
            reader.problem(line, f"zoom {zoom} is outside {ZOOM_RANGE[0]:g}-{ZOOM_RANGE[1]:g}")
        elif unknown := [e for e in events if e not in event_ids]:
            reader.problem(line, f"unknown event id(s): {', '.join(unknown)}")
        elif moments and day < moments[-1].date:
            reader.problem(
                line, f"date {day} comes before {moments[-1].date}: keep moments in date order"
            )
        elif check_sources(reader, line, split(row["sources"]), sources) and unique(
            reader, line, row["id"], seen
        ):
            moments.append(
                Moment(
                    id=row["id"],
                    date=day,
                    title=row["title"],
                    caption=row["caption"],
                    lat=point[0],
                    lon=point[1],
                    zoom=zoom,
                    window=window,
                    events=events,
                    sources=split(row["sources"]),
                )
            )
    return moments

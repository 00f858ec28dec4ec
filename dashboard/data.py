"""Load and validate the shipped data in ``geodata/`` into one read-only ``Dataset``.

Every problem found is reported with its file, line and reason. In strict mode (the
default) any problem raises one ``DatasetError`` that lists them all; otherwise the good
rows load and the problems travel with the dataset so the app can show them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dashboard.borders import Borders
from dashboard.domain import (
    CONFIDENCES,
    EVENT_TYPES,
    GROUP_KINDS,
    KEY_PLACES,
    REQUIRED_SPAN,
    STATUSES,
    ControlPeriod,
    Event,
    Group,
    Place,
    Source,
    coverage_problems,
    periods_of,
)
from dashboard.geofiles import NOT_DRAWN, check_countries, check_regions, read_geojson
from dashboard.lives import event_problems, life_problem, period_problems
from dashboard.moments import Moment, load_moments
from dashboard.readers import (
    COLOR,
    ID,
    DatasetError,
    Problem,
    Reader,
    check_sources,
    coordinates,
    optional_day,
    parse_day,
    split,
    unique,
)
from dashboard.store import EventStore, table_from_events

GEODATA = Path(__file__).resolve().parent.parent / "geodata"

COUNTRIES, REGIONS = "countries.geojson", "mali_regions.geojson"
#: The files a data folder cannot go without (``moments.csv`` and the regions are optional).
REQUIRED_FILES = (COUNTRIES, "sources.csv", "groups.csv", "places.csv", "control.csv", "events.csv")

#: Event ``country`` names and their ISO 3166-1 alpha-3 codes.
COUNTRY_CODES = {"Mali": "MLI", "Algeria": "DZA", "Mauritania": "MRT", "Niger": "NER"}


COLUMNS = {
    "sources.csv": ("id", "title", "publisher", "published", "url"),
    "groups.csv": ("id", "name", "short_name", "kind", "color", "aliases"),
    "places.csv": ("id", "name", "name_fr", "lat", "lon", "country_iso3", "kind", "source"),
    "control.csv": (
        "place",
        "start",
        "end",
        "groups",
        "status",
        "confidence",
        "sources",
        "note",
    ),
    "events.csv": (
        "event_id",
        "event_date",
        "end_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "notes",
        "sources",
    ),
}


@dataclass(frozen=True)
class Dataset:
    """Everything the atlas shows, validated and read-only; the events are columns."""

    sources: Mapping[str, Source]
    groups: Mapping[str, Group]
    places: Mapping[str, Place]
    periods: tuple[ControlPeriod, ...]
    events: EventStore
    countries: Mapping[str, Any]
    regions: Mapping[str, Any] | None = None
    problems: tuple[Problem, ...] = field(default=())
    moments: tuple[Moment, ...] = field(default=())

    @property
    def control_places(self) -> list[str]:
        """Place ids that have control periods, key towns first, in a stable order."""
        ids = {p.place for p in self.periods}
        return [p for p in KEY_PLACES if p in ids] + sorted(ids - set(KEY_PLACES))

    @cached_property
    def _aliases(self) -> dict[str, tuple[str, ...]]:
        return _alias_index(self.groups)

    def event(self, event_id: str) -> Event | None:
        """Return the event with this id, or None."""
        i = self.events.find(event_id)
        return None if i is None else self.events.event(i)

    def events_in(self, start: date, end: date) -> list[Event]:
        """Return the events overlapping ``[start, end]``, newest first, by binary search.

        Same answer as ``domain.events_between`` on all events, but without reading every
        event: the events are sorted by date once, at load time. For a page, prefer
        ``events.window``, which builds no object per event.
        """
        return self.events.events(self.events.newest_first(self.events.window(start, end)))

    def group_ids_for(self, actor: str) -> tuple[str, ...]:
        """Return the group ids an actor name stands for (by id or alias), if any."""
        return self._aliases.get(actor.strip().casefold(), ())


def _alias_index(groups: Mapping[str, Group]) -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for g in groups.values():
        for name in (g.id, g.short_name, g.name, *g.aliases):
            key = name.strip().casefold()
            if key and g.id not in index.get(key, ()):
                index[key] = index.get(key, ()) + (g.id,)
    return index


def load_sources(path: Path, problems: list[Problem]) -> dict[str, Source]:
    """Read ``sources.csv`` into sources keyed by id."""
    reader, sources, seen = Reader(path, problems, COLUMNS.get(path.name, ())), {}, {}
    for line, row in reader.rows():
        if not ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
            continue
        published = reader.parse(line, "published date", row["published"], optional_day)
        if not re.match(r"^https?://\S+$", row["url"]):
            reader.problem(line, f"bad url {row['url']!r}")
            continue
        if not row["title"] or not row["publisher"]:
            reader.problem(line, "title and publisher are required")
            continue
        if published is None and row["published"]:
            continue
        if unique(reader, line, row["id"], seen):
            sources[row["id"]] = Source(
                row["id"], row["title"], row["publisher"], published, row["url"]
            )
    return sources


def load_groups(
    path: Path, problems: list[Problem], sources: Mapping[str, Source] | None = None
) -> dict[str, Group]:
    """Read ``groups.csv`` into groups keyed by id.

    Its ``sources``, ``founded`` and ``ended`` columns are optional; where a group cites
    sources, they must exist, and its dates of life must be (partial) dates in order.
    """
    reader, groups, seen = Reader(path, problems, COLUMNS.get(path.name, ())), {}, {}
    for line, row in reader.rows():
        cited = split(row.get("sources") or "")
        if cited and sources is not None and not check_sources(reader, line, cited, sources):
            continue
        if not ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
        elif row["kind"] not in GROUP_KINDS:
            reader.problem(line, f"unknown kind {row['kind']!r} (one of {', '.join(GROUP_KINDS)})")
        elif not COLOR.match(row["color"]):
            reader.problem(line, f"bad color {row['color']!r}: use #rrggbb")
        elif not row["name"] or not row["short_name"]:
            reader.problem(line, "name and short_name are required")
        elif bad_life := life_problem(row.get("founded") or "", row.get("ended") or ""):
            reader.problem(line, bad_life)
        elif unique(reader, line, row["id"], seen):
            groups[row["id"]] = Group(
                id=row["id"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                color=row["color"].lower(),
                aliases=split(row["aliases"], "|"),
                description=row.get("description", ""),
                sources=cited,
                founded=row.get("founded") or "",
                ended=row.get("ended") or "",
            )
    return groups


def load_places(
    path: Path, problems: list[Problem], sources: Mapping, borders: Borders
) -> dict[str, Place]:
    """Read ``places.csv``; each place must lie in its country and cite a source."""
    reader, places, seen = Reader(path, problems, COLUMNS.get(path.name, ())), {}, {}
    for line, row in reader.rows():
        if not ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
            continue
        point = coordinates(reader, line, row, "lat", "lon")
        if point is None or not check_sources(reader, line, split(row["source"]), sources):
            continue
        if not borders.contains(row["country_iso3"], *point):
            reader.problem(
                line, f"{row['name']} at {point[0]}, {point[1]} is not in {row['country_iso3']}"
            )
            continue
        if unique(reader, line, row["id"], seen):
            places[row["id"]] = Place(
                row["id"],
                row["name"],
                row["name_fr"] or row["name"],
                point[0],
                point[1],
                row["country_iso3"],
                row["kind"],
                row["source"],
            )
    return places


def load_control(
    path: Path,
    problems: list[Problem],
    *,
    places: Mapping,
    groups: Mapping,
    sources: Mapping,
) -> list[ControlPeriod]:
    """Read ``control.csv``; periods must tile each place's time with no gap or overlap.

    A period must also name only groups that existed throughout it (``lives.py``).
    """
    reader, periods, lines = Reader(path, problems, COLUMNS.get(path.name, ())), [], {}
    for line, row in reader.rows():
        start = reader.parse(line, "start date", row["start"], parse_day)
        end = reader.parse(line, "end date", row["end"], optional_day)
        group_ids = split(row["groups"])
        if start is None or (end is None and row["end"]):
            continue
        if row["place"] not in places:
            reader.problem(line, f"unknown place {row['place']!r}")
        elif end is not None and end <= start:
            reader.problem(line, f"end {end} is not after start {start}")
        elif not group_ids:
            reader.problem(line, "names no group")
        elif unknown := [g for g in group_ids if g not in groups]:
            reader.problem(line, f"unknown group id(s): {', '.join(unknown)}")
        elif row["status"] not in STATUSES:
            reader.problem(line, f"bad status {row['status']!r} (one of {', '.join(STATUSES)})")
        elif row["confidence"] not in CONFIDENCES:
            reader.problem(
                line, f"bad confidence {row['confidence']!r} (one of {', '.join(CONFIDENCES)})"
            )
        elif check_sources(reader, line, split(row["sources"]), sources):
            period = ControlPeriod(
                place=row["place"],
                start=start,
                end=end,
                groups=group_ids,
                status=row["status"],
                confidence=row["confidence"],
                sources=split(row["sources"]),
                note=row["note"],
            )
            periods.append(period)
            lines[id(period)] = line
    for place in sorted({p.place for p in periods}):
        span = REQUIRED_SPAN if place in KEY_PLACES else None
        for period, reason in coverage_problems(periods_of(periods, place), span):
            reader.problem(lines[id(period)], f"{place}: {reason}")
    for place in KEY_PLACES:
        if place in places and not any(p.place == place for p in periods):
            reader.problem(0, f"{place}: no control periods")
    for line, reason in period_problems(((lines[id(p)], p) for p in periods), groups):
        reader.problem(line, reason)
    return periods


def load_events(
    path: Path,
    problems: list[Problem],
    *,
    sources: Mapping,
    borders: Borders,
    groups: Mapping[str, Group] | None = None,
) -> list[Event]:
    """Read an events CSV in the atlas's ACLED-like schema.

    With ``groups``, an actor that names a group outside its life is a problem too.
    """
    reader, events, seen = Reader(path, problems, COLUMNS.get(path.name, ())), [], {}
    for line, row in reader.rows():
        day = reader.parse(line, "event_date", row["event_date"], parse_day)
        end = reader.parse(line, "end_date", row["end_date"], optional_day)
        point = coordinates(reader, line, row, "latitude", "longitude")
        precision = reader.parse(line, "geo_precision", row["geo_precision"], int)
        fatalities = reader.parse(
            line, "fatalities", row["fatalities"], lambda v: int(v) if v else None
        )
        if day is None or point is None or precision is None:
            continue
        if (end is None and row["end_date"]) or (fatalities is None and row["fatalities"]):
            continue
        iso3 = COUNTRY_CODES.get(row["country"])
        if not row["event_id"]:
            reader.problem(line, "event_id is required")
        elif end is not None and end < day:
            reader.problem(line, f"end_date {end} is before event_date {day}")
        elif row["event_type"] not in EVENT_TYPES:
            reader.problem(line, f"unknown event_type {row['event_type']!r}")
        elif row["sub_event_type"] not in EVENT_TYPES[row["event_type"]]:
            reader.problem(
                line,
                f"sub_event_type {row['sub_event_type']!r} is not a kind of {row['event_type']}",
            )
        elif not row["actor1"]:
            reader.problem(line, "actor1 is required")
        elif iso3 is None:
            reader.problem(
                line, f"country {row['country']!r} is not one of {', '.join(COUNTRY_CODES)}"
            )
        elif not borders.contains(iso3, *point):
            reader.problem(
                line, f"{row['location']} at {point[0]}, {point[1]} is not in {row['country']}"
            )
        elif precision not in (1, 2, 3):
            reader.problem(line, f"geo_precision must be 1, 2 or 3, not {precision}")
        elif fatalities is not None and fatalities < 0:
            reader.problem(line, f"fatalities cannot be negative: {fatalities}")
        elif check_sources(reader, line, split(row["sources"]), sources) and unique(
            reader, line, row["event_id"], seen
        ):
            events.append(
                Event(
                    event_id=row["event_id"],
                    event_date=day,
                    end_date=end,
                    event_type=row["event_type"],
                    sub_event_type=row["sub_event_type"],
                    actor1=row["actor1"],
                    actor2=row["actor2"],
                    country=row["country"],
                    admin1=row["admin1"],
                    location=row["location"],
                    latitude=point[0],
                    longitude=point[1],
                    geo_precision=precision,
                    fatalities=fatalities,
                    notes=row["notes"],
                    sources=split(row["sources"]),
                    iso3=iso3,
                )
            )
    if groups is not None:
        aliases = _alias_index(groups)
        named = ((seen[e.event_id], e) for e in events)
        for line, reason in event_problems(
            named, groups, lambda a: aliases.get(a.strip().casefold(), ())
        ):
            reader.problem(line, reason)
    return sorted(events, key=lambda e: (e.event_date, e.event_id))


def _with_groups(event: Event, aliases: Mapping[str, tuple[str, ...]]) -> Event:
    """The event with ``group1``/``group2``: the groups its actors stand for, if any."""

    def group_of(actor: str) -> str:
        found = aliases.get(actor.strip().casefold(), ())
        return found[0] if found else ""

    return replace(event, group1=group_of(event.actor1), group2=group_of(event.actor2))


def load_dataset(root: Path | str = GEODATA, *, strict: bool = True) -> Dataset:
    """Read and validate every file of a data folder.

    Args:
        root: Folder holding ``countries.geojson`` and the CSV files (default: ``geodata/``).
        strict: Raise on any problem (default). When False, load the good rows and keep
            the problems on ``Dataset.problems``.

    Returns:
        The read-only dataset.

    Raises:
        DatasetError: In strict mode, listing every problem with file, line and reason.
    """
    root = Path(root)
    if not root.is_dir():
        raise DatasetError([Problem(str(root), 0, "no such data folder", whole_file=True)])
    problems: list[Problem] = []
    countries = read_geojson(root / COUNTRIES, problems, required=True)
    if countries is not None:
        countries = check_countries(countries, COUNTRIES, problems)
    if countries is None:
        raise DatasetError(problems)
    regions = read_geojson(root / REGIONS, problems, required=False, note=NOT_DRAWN)
    if regions is not None:
        regions = check_regions(regions, REGIONS, problems)
    borders = Borders(countries)
    sources = load_sources(root / "sources.csv", problems)
    groups = load_groups(root / "groups.csv", problems, sources)
    places = load_places(root / "places.csv", problems, sources, borders)
    periods = load_control(
        root / "control.csv", problems, places=places, groups=groups, sources=sources
    )
    events = load_events(
        root / "events.csv", problems, sources=sources, borders=borders, groups=groups
    )
    # optional: an analyst's data folder without it loads with no moments
    moments_csv = root / "moments.csv"
    moments = (
        load_moments(moments_csv, sources, {e.event_id for e in events}, problems)
        if moments_csv.exists()
        else []
    )
    # a required file that cannot be read at all stops the start, strict or not
    unreadable = [p for p in problems if p.whole_file and p.file in REQUIRED_FILES]
    if unreadable:
        raise DatasetError(unreadable)
    if strict and problems:
        raise DatasetError(problems)
    aliases = _alias_index(groups)
    events = [_with_groups(e, aliases) for e in events]
    return Dataset(
        sources=MappingProxyType(sources),
        groups=MappingProxyType(groups),
        places=MappingProxyType(places),
        periods=tuple(sorted(periods, key=lambda p: (p.place, p.start))),
        events=EventStore([table_from_events(events)]),
        countries=MappingProxyType(countries),
        regions=MappingProxyType(regions) if regions else None,
        problems=tuple(problems),
        moments=tuple(moments),
    )

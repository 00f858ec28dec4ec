"""Load and validate the shipped data in ``geodata/`` into one read-only ``Dataset``.

Every problem found is reported with its file, line and reason. In strict mode (the
default) any problem raises one ``DatasetError`` that lists them all; otherwise the good
rows load and the problems travel with the dataset so the app can show them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

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
from dashboard.lives import event_problems, life_problem, period_problems
from dashboard.store import EventStore, table_from_events

if TYPE_CHECKING:
    from dashboard.moments import Moment

GEODATA = Path(__file__).resolve().parent.parent / "geodata"

#: Event ``country`` names and their ISO 3166-1 alpha-3 codes.
COUNTRY_CODES = {"Mali": "MLI", "Algeria": "DZA", "Mauritania": "MRT", "Niger": "NER"}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

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
class Problem:
    """One thing wrong with the input, and where it is."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        """Format as ``file:line: reason``, the shape editors and CI logs link to."""
        return f"{self.file}:{self.line}: {self.reason}"


class DatasetError(ValueError):
    """Raised when the data has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        """Keep the problems and build a message that lists them, one per line."""
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


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


class _Reader:
    """Reads one CSV file, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, problems: list[Problem], columns: tuple[str, ...] = ()):
        self.path = path
        self.name = path.name
        self.problems = problems
        self.columns = columns or COLUMNS.get(self.name, ())

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.name, line, reason))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, row)`` with stripped values; report missing columns and files."""
        if not self.path.exists():
            self.problem(0, "file is missing")
            return
        with open(self.path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in self.columns if c not in (reader.fieldnames or ())]
            if missing:
                self.problem(1, f"missing column(s): {', '.join(missing)}")
                return
            line = reader.line_num + 1
            for row in reader:
                if None in row:
                    self.problem(line, f"{len(row[None])} more field(s) than the header has")
                elif any(v is None for v in row.values()):
                    self.problem(line, "fewer fields than the header has")
                else:
                    yield line, {k: v.strip() for k, v in row.items()}
                line = reader.line_num + 1

    def parse(self, line: int, what: str, value: str, convert: Callable[[str], Any]) -> Any:
        """Convert a field, reporting a problem (and returning None) when it fails."""
        try:
            return convert(value)
        except (ValueError, TypeError):
            self.problem(line, f"bad {what}: {value!r}")
            return None


def _day(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _optional_day(value: str) -> date | None:
    return _day(value) if value else None


def _split(value: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(sep) if v.strip())


def _check_sources(reader: _Reader, line: int, ids: tuple[str, ...], sources: Mapping) -> bool:
    if not ids:
        reader.problem(line, "cites no source")
        return False
    unknown = [s for s in ids if s not in sources]
    if unknown:
        reader.problem(line, f"unknown source id(s): {', '.join(unknown)}")
        return False
    return True


def _unique(reader: _Reader, line: int, key: str, seen: dict[str, int]) -> bool:
    if key in seen:
        reader.problem(line, f"duplicate id {key!r} (first on line {seen[key]})")
        return False
    seen[key] = line
    return True


def load_sources(path: Path, problems: list[Problem]) -> dict[str, Source]:
    """Read ``sources.csv`` into sources keyed by id."""
    reader, sources, seen = _Reader(path, problems), {}, {}
    for line, row in reader.rows():
        if not _ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
            continue
        published = reader.parse(line, "published date", row["published"], _optional_day)
        if not re.match(r"^https?://\S+$", row["url"]):
            reader.problem(line, f"bad url {row['url']!r}")
            continue
        if not row["title"] or not row["publisher"]:
            reader.problem(line, "title and publisher are required")
            continue
        if published is None and row["published"]:
            continue
        if _unique(reader, line, row["id"], seen):
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
    reader, groups, seen = _Reader(path, problems), {}, {}
    for line, row in reader.rows():
        cited = _split(row.get("sources") or "")
        if cited and sources is not None and not _check_sources(reader, line, cited, sources):
            continue
        if not _ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
        elif row["kind"] not in GROUP_KINDS:
            reader.problem(line, f"unknown kind {row['kind']!r} (one of {', '.join(GROUP_KINDS)})")
        elif not _COLOR.match(row["color"]):
            reader.problem(line, f"bad color {row['color']!r}: use #rrggbb")
        elif not row["name"] or not row["short_name"]:
            reader.problem(line, "name and short_name are required")
        elif bad_life := life_problem(row.get("founded") or "", row.get("ended") or ""):
            reader.problem(line, bad_life)
        elif _unique(reader, line, row["id"], seen):
            groups[row["id"]] = Group(
                id=row["id"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                color=row["color"].lower(),
                aliases=_split(row["aliases"], "|"),
                description=row.get("description", ""),
                sources=cited,
                founded=row.get("founded") or "",
                ended=row.get("ended") or "",
            )
    return groups


def _coordinates(reader: _Reader, line: int, row: dict, lat_key: str, lon_key: str):
    lat = reader.parse(line, lat_key, row[lat_key], float)
    lon = reader.parse(line, lon_key, row[lon_key], float)
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        reader.problem(line, f"coordinates out of range: {lat}, {lon}")
        return None
    return lat, lon


def load_places(
    path: Path, problems: list[Problem], sources: Mapping, borders: Borders
) -> dict[str, Place]:
    """Read ``places.csv``; each place must lie in its country and cite a source."""
    reader, places, seen = _Reader(path, problems), {}, {}
    for line, row in reader.rows():
        if not _ID.match(row["id"]):
            reader.problem(line, f"bad id {row['id']!r}: use lowercase words joined by '-'")
            continue
        point = _coordinates(reader, line, row, "lat", "lon")
        if point is None or not _check_sources(reader, line, _split(row["source"]), sources):
            continue
        if not borders.contains(row["country_iso3"], *point):
            reader.problem(
                line, f"{row['name']} at {point[0]}, {point[1]} is not in {row['country_iso3']}"
            )
            continue
        if _unique(reader, line, row["id"], seen):
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
    reader, periods, lines = _Reader(path, problems), [], {}
    for line, row in reader.rows():
        start = reader.parse(line, "start date", row["start"], _day)
        end = reader.parse(line, "end date", row["end"], _optional_day)
        group_ids = _split(row["groups"])
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
        elif _check_sources(reader, line, _split(row["sources"]), sources):
            period = ControlPeriod(
                place=row["place"],
                start=start,
                end=end,
                groups=group_ids,
                status=row["status"],
                confidence=row["confidence"],
                sources=_split(row["sources"]),
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
    reader, events, seen = _Reader(path, problems), [], {}
    for line, row in reader.rows():
        day = reader.parse(line, "event_date", row["event_date"], _day)
        end = reader.parse(line, "end_date", row["end_date"], _optional_day)
        point = _coordinates(reader, line, row, "latitude", "longitude")
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
        elif _check_sources(reader, line, _split(row["sources"]), sources) and _unique(
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
                    sources=_split(row["sources"]),
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


def _read_geojson(path: Path, problems: list[Problem], required: bool) -> dict | None:
    if not path.exists():
        if required:
            problems.append(Problem(path.name, 0, "file is missing"))
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except json.JSONDecodeError as err:
        problems.append(Problem(path.name, err.lineno, f"not valid JSON: {err.msg}"))
        return None


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
    problems: list[Problem] = []
    countries = _read_geojson(root / "countries.geojson", problems, required=True)
    if countries is None:
        raise DatasetError(problems)
    regions = _read_geojson(root / "mali_regions.geojson", problems, required=False)
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
    # moments.py builds on this module's readers, hence the import here. The file is
    # optional: an analyst's data folder without it loads with no moments.
    from dashboard.moments import load_moments

    moments_csv = root / "moments.csv"
    moments = (
        load_moments(moments_csv, sources, {e.event_id for e in events}, problems)
        if moments_csv.exists()
        else []
    )
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

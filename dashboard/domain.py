"""The atlas's vocabulary (groups, places, control periods, events, sources) and its rules.

Everything here is pure: no Dash, no files. ``data.py`` builds these objects from CSV and
the figures and callbacks ask the questions below of them.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: The towns whose control the atlas must cover every day of ``REQUIRED_SPAN``.
KEY_PLACES = ("gao", "timbuktu", "kidal", "konna")
#: Control must be known for every day of this span (end exclusive) for the key places.
REQUIRED_SPAN = (date(2012, 1, 1), date(2014, 1, 1))

STATUSES = ("held", "shared", "contested")
CONFIDENCES = ("high", "medium", "low")
GROUP_KINDS = (
    "state",
    "foreign-state",
    "international",
    "rebel",
    "militia",
    "jihadist",
    "mercenary",
)

#: ACLED's six event types and the sub-event types under each.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": (
        "Attack",
        "Abduction/forced disappearance",
        "Sexual violence",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


@dataclass(frozen=True)
class Source:
    """A publication that a control period or an event cites."""

    id: str
    title: str
    publisher: str
    published: date | None
    url: str


@dataclass(frozen=True)
class Group:
    """An armed group, government force or mission, with the colour it wears everywhere."""

    id: str
    name: str
    short_name: str
    kind: str
    color: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    sources: tuple[str, ...] = ()
    #: When the group came into being and when it merged or dissolved, as partial dates
    #: (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); "" when unknown or still alive.
    founded: str = ""
    ended: str = ""

    @property
    def life(self) -> tuple[date | None, date | None]:
        """The widest span the group can have existed: first day founded, last day ended."""
        first = partial_date_span(self.founded)[0] if self.founded else None
        last = partial_date_span(self.ended)[1] if self.ended else None
        return first, last


@dataclass(frozen=True)
class Place:
    """A town or site on the map."""

    id: str
    name: str
    name_fr: str
    lat: float
    lon: float
    country_iso3: str
    kind: str
    source: str


@dataclass(frozen=True)
class ControlPeriod:
    """Who held a place from ``start`` up to (not including) ``end``; ``end=None`` is ongoing."""

    place: str
    start: date
    end: date | None
    groups: tuple[str, ...]
    status: str
    confidence: str
    sources: tuple[str, ...]
    note: str = ""

    def covers(self, day: date) -> bool:
        """Return True when ``day`` falls inside the period."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Event:
    """One conflict event, in ACLED's terms; ``fatalities=None`` means unknown, not zero."""

    event_id: str
    event_date: date
    end_date: date | None
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    country: str
    admin1: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int
    fatalities: int | None
    notes: str
    sources: tuple[str, ...]
    #: Which importer the event came from: ``atlas`` (our own files), ``acled``, ``ucdp``.
    origin: str = "atlas"
    #: ACLED's scale: 1 the day is known, 2 only the week, 3 only the month.
    time_precision: int = 1
    #: A source's range for the toll where it gives one (UCDP's ``low``/``high``).
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    #: The groups ``actor1``/``actor2`` stand for ("" when unmatched or absent).
    group1: str = ""
    group2: str = ""
    interaction: str = ""
    iso3: str = ""
    #: The source as an export names it (imported events cite no ``sources.csv`` id).
    source_text: str = ""
    #: UCDP's own precision codes, kept as the export gives them.
    where_prec: int | None = None
    date_prec: int | None = None

    @property
    def precise(self) -> bool:
        """True when the event is placed at its town and dated to its day."""
        return self.geo_precision == 1 and self.time_precision == 1

    @property
    def last_day(self) -> date:
        """The event's last day (its date when it lasted one day)."""
        return self.end_date or self.event_date


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date_span(value: str) -> tuple[date, date]:
    """Return the first and last day a partial date can mean.

    Args:
        value: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Returns:
        ``(first, last)``: the whole year, the whole month or the one day.

    Raises:
        ValueError: When ``value`` is not one of those shapes or not a real date.
    """
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(value)
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day), date(year, month, day)


def outside_life(group: Group, first: date, last: date, tolerance: int = 0) -> str | None:
    """Say why ``[first, last]`` falls outside the group's life, or None when it does not.

    A record may start up to ``tolerance`` days before the group was founded and end up
    to ``tolerance`` days after it ended (reports lag and dates are approximate).

    Args:
        group: The group named by the record.
        first: The record's first day.
        last: The record's last day (inclusive).
        tolerance: Days of slack at either end of the group's life.

    Returns:
        A reason such as ``"cma did not exist on 2013-07-05 (founded 2014-10-28)"``, or None.
    """
    born, gone = group.life
    slack = timedelta(days=tolerance)
    if born is not None and first < born - slack:
        return f"{group.id} did not exist on {first} (founded {group.founded})"
    if gone is not None and last > gone + slack:
        day = max(first, gone + timedelta(days=1))
        return f"{group.id} no longer existed on {day} (ended {group.ended})"
    return None


def periods_of(periods: Iterable[ControlPeriod], place: str) -> list[ControlPeriod]:
    """Return the control periods of one place, oldest first."""
    return sorted((p for p in periods if p.place == place), key=lambda p: p.start)


def control_on(periods: Iterable[ControlPeriod], place: str, day: date) -> ControlPeriod | None:
    """Return the control period of ``place`` that covers ``day``, or None if none does.

    Args:
        periods: Control periods of any places.
        place: Place id, e.g. ``"gao"``.
        day: The day asked about.

    Returns:
        The covering period, or None when the data says nothing about that day.
    """
    return next((p for p in periods if p.place == place and p.covers(day)), None)


def change_days(periods: Iterable[ControlPeriod]) -> list[date]:
    """Return the sorted days on which some place's control changed (period starts)."""
    starts: dict[str, list[date]] = {}
    for p in periods:
        starts.setdefault(p.place, []).append(p.start)
    # A place's first period is where its record begins, not a change.
    return sorted({d for days in starts.values() for d in sorted(days)[1:]})


def adjacent_change(changes: Sequence[date], day: date, step: int) -> date | None:
    """Return the first change day after ``day`` (``step=1``) or the last before it (``-1``)."""
    if step > 0:
        i = bisect.bisect_right(changes, day)
        return changes[i] if i < len(changes) else None
    i = bisect.bisect_left(changes, day)
    return changes[i - 1] if i > 0 else None


def changes_between(
    periods: Iterable[ControlPeriod], start: date, end: date
) -> list[ControlPeriod]:
    """Return the periods that began a change of control in ``[start, end]``, oldest first."""
    changed = set(change_days(periods))
    return sorted(
        (p for p in periods if start <= p.start <= end and p.start in changed),
        key=lambda p: (p.start, p.place),
    )


def window(day: date, days: int = 30) -> tuple[date, date]:
    """Return the inclusive window of ``days`` days that ends on ``day``."""
    return day - timedelta(days=days - 1), day


def events_between(
    events: Iterable[Event],
    start: date,
    end: date,
    *,
    event_types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
) -> list[Event]:
    """Return the events that overlap the inclusive span ``[start, end]``, newest first.

    Args:
        events: The events to filter.
        start: First day of the span.
        end: Last day of the span.
        event_types: Keep only these ACLED event types (all when None).
        countries: Keep only these countries (all when None).

    Returns:
        Matching events sorted by date, newest first.
    """
    types = set(event_types) if event_types is not None else None
    where = set(countries) if countries is not None else None
    found = [
        e
        for e in events
        if e.event_date <= end
        and e.last_day >= start
        and (types is None or e.event_type in types)
        and (where is None or e.country in where)
    ]
    return sorted(found, key=lambda e: (e.event_date, e.event_id), reverse=True)


def coverage_problems(
    periods: Sequence[ControlPeriod], span: tuple[date, date] | None = None
) -> list[tuple[ControlPeriod, str]]:
    """Find gaps, overlaps and uncovered days in one place's periods.

    Args:
        periods: The periods of a single place.
        span: ``(first, end)`` days that must be covered (end exclusive), if any.

    Returns:
        ``(period, reason)`` pairs, empty when the periods tile time cleanly.
    """
    ordered = sorted(periods, key=lambda p: p.start)
    problems: list[tuple[ControlPeriod, str]] = []
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end is None or before.end > after.start:
            problems.append((after, f"overlaps the period that starts {before.start}"))
        elif before.end < after.start:
            problems.append((after, f"leaves a gap from {before.end} to {after.start}"))
    if span and ordered:
        first, end = span
        if ordered[0].start > first:
            problems.append((ordered[0], f"nothing covers {first} to {ordered[0].start}"))
        last = ordered[-1]
        if last.end is not None and last.end < end:
            problems.append((last, f"nothing covers {last.end} to {end}"))
    return problems


def epoch_day(day: date) -> int:
    """Return the number of days since 1970-01-01 (the browser's day index)."""
    return (day - date(1970, 1, 1)).days


def from_epoch_day(n: int) -> date:
    """Return the date ``n`` days after 1970-01-01."""
    return date(1970, 1, 1) + timedelta(days=n)

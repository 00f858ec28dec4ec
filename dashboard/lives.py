"""The group-life rule: no control period or event may name a group outside its life.

A group's life runs from ``founded`` to ``ended`` in ``groups.csv`` (partial dates allowed).
A control period or an event that names a group before it was founded or after it merged
or dissolved is an anachronism: the record should name the group that existed on the day.
These checks return ``(line, reason)`` pairs; ``data.py`` turns them into problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from dashboard.domain import ControlPeriod, Event, Group, outside_life, partial_date_span

#: Days a record may overlap a group's founding or end: reports lag, dates are approximate.
TOLERANCE_DAYS = 7


def life_problem(founded: str, ended: str) -> str | None:
    """Check a group's ``founded`` and ``ended`` fields; return a reason when they are bad."""
    spans = {}
    for what, value in (("founded", founded), ("ended", ended)):
        if not value:
            continue
        try:
            spans[what] = partial_date_span(value)
        except ValueError:
            return f"bad {what} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD"
    if len(spans) == 2 and spans["ended"][1] < spans["founded"][0]:
        return f"ended {ended} is before founded {founded}"
    return None


def period_problems(
    periods: Iterable[tuple[int, ControlPeriod]],
    groups: Mapping[str, Group],
    *,
    today: date | None = None,
) -> list[tuple[int, str]]:
    """Find control periods that name a group outside its life.

    Args:
        periods: ``(line, period)`` pairs from ``control.csv``.
        groups: The groups, by id.
        today: The last day of an ongoing period (default: the real today).

    Returns:
        ``(line, reason)`` pairs, one per group out of its time.
    """
    last_day = today or date.today()
    found = []
    for line, period in periods:
        last = period.end - timedelta(days=1) if period.end else max(last_day, period.start)
        for group_id in period.groups:
            group = groups.get(group_id)
            reason = group and outside_life(group, period.start, last, TOLERANCE_DAYS)
            if reason:
                found.append((line, reason))
    return found


def event_problems(
    events: Iterable[tuple[int, Event]],
    groups: Mapping[str, Group],
    group_ids_for: Callable[[str], tuple[str, ...]],
) -> list[tuple[int, str]]:
    """Find events whose actors name a group (by id or alias) outside its life.

    An actor name that several groups share is an anachronism only when none of those
    groups existed on the day.

    Args:
        events: ``(line, event)`` pairs from an events file.
        groups: The groups, by id.
        group_ids_for: The group ids an actor name stands for.

    Returns:
        ``(line, reason)`` pairs, one per actor out of its time.
    """
    found = []
    for line, event in events:
        for actor in (event.actor1, event.actor2):
            reasons = [
                outside_life(groups[g], event.event_date, event.last_day, TOLERANCE_DAYS)
                for g in group_ids_for(actor)
                if g in groups
            ]
            if reasons and all(reasons):
                found.append((line, f"{event.event_id}: {reasons[0]}"))
    return found

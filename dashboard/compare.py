"""Compare two days: which towns changed hands between them, and the events in between.

``comparison`` is pure (numbers and records, for tests and exports); ``make_comparison``
turns it into the situation panel's section. The map marks the changed towns itself
(assets/atlas/layer.js), from the control periods it already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dash import html

from dashboard.data import Dataset
from dashboard.domain import ControlPeriod, control_on, periods_of
from dashboard.figures import fmt_day, group_label

#: The totals listed per breakdown; the rest are summed as "others".
LISTED = 8


@dataclass(frozen=True)
class TownChange:
    """A town held differently on the two days, and each change of hands in between."""

    place: str
    before: ControlPeriod | None
    after: ControlPeriod | None
    steps: tuple[ControlPeriod, ...]


@dataclass(frozen=True)
class Comparison:
    """What changed from ``first`` to ``last`` (the earlier day first, whatever was asked)."""

    first: date
    last: date
    towns: tuple[TownChange, ...]
    events: int
    fatalities: int
    by_type: dict[str, int]
    by_group: dict[str, int]
    by_country: dict[str, int]


def _holders(period: ControlPeriod | None) -> tuple:
    return (period.groups, period.status) if period else ()


def comparison(dataset: Dataset, one: date, other: date) -> Comparison:
    """Compare the two days (in either order)."""
    first, last = sorted((one, other))
    towns = []
    for place in dataset.control_places:
        before, after = (
            control_on(dataset.periods, place, first),
            control_on(dataset.periods, place, last),
        )
        if _holders(before) == _holders(after):
            continue
        steps = tuple(p for p in periods_of(dataset.periods, place) if first < p.start <= last)
        towns.append(TownChange(place, before, after, steps))
    store = dataset.events
    idx = store.window(first, last)
    groups: dict[str, int] = {}
    for name in ("group1", "group2"):
        for group, n in store.count_by(name, idx).items():
            if group:
                groups[group] = groups.get(group, 0) + n
    known = store.known[idx]
    return Comparison(
        first=first,
        last=last,
        towns=tuple(towns),
        events=len(idx),
        fatalities=int(store.fatalities[idx][known].sum()),
        by_type=store.count_by("event_type", idx),
        by_group=groups,
        by_country=store.count_by("country", idx),
    )


def _totals(title: str, counts: dict[str, int], name=lambda k: k) -> html.Div:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f"{name(k)} {v:,}" for k, v in ranked[:LISTED]]
    rest = sum(v for _, v in ranked[LISTED:])
    if rest:
        shown.append(f"others {rest:,}")
    return html.Div([html.B(f"{title}: "), " · ".join(shown) or "none"], className="totals")


def make_comparison(dataset: Dataset, one: date, other: date) -> list:
    """The situation panel's section comparing two days."""
    c = comparison(dataset, one, other)

    def holders(period: ControlPeriod | None) -> str:
        if period is None:
            return "unknown"
        return group_label(dataset, period.groups) + (
            f" ({period.status})" if period.status != "held" else ""
        )

    rows = []
    for change in c.towns:
        place = dataset.places[change.place]
        steps = "; ".join(
            f"{fmt_day(p.start)}: {holders(p)}"
            + (f" — {dataset.sources[p.sources[0]].publisher}" if p.sources else "")
            for p in change.steps
        )
        rows.append(
            html.Li(
                [
                    html.B(place.name),
                    f" {holders(change.before)} → {holders(change.after)}",
                    html.Div(steps, className="town-source") if steps else None,
                ],
                className="changed-town",
                **{"data-place": change.place},
            )
        )
    group_name = lambda g: dataset.groups[g].short_name if g in dataset.groups else g  # noqa: E731
    return [
        html.H3(f"Compared with {fmt_day(one)}: {fmt_day(c.first)} – {fmt_day(c.last)}"),
        html.Ul(rows, className="changed-towns")
        if rows
        else html.P("No town changed hands between the two days.", className="muted"),
        html.P(
            f"{c.events:,} events between them, {c.fatalities:,} reported killed.",
            className="compare-events",
        ),
        _totals("By type", c.by_type),
        _totals("By group", c.by_group, group_name),
        _totals("By country", c.by_country),
    ]

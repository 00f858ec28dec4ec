"""The load run's table and its verdicts against issue 10's targets (pure: no locust here).

``benchmarks/load.py`` measures; this module only turns what was measured into the table
it prints and the exit code, so that it can be tested without starting gevent.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

#: Issue 10's target for every callback's 95th percentile on the 2-core machine.
CALLBACK_P95_MS = 300
#: How a callback request is named in the table: by its output.
CALLBACK_PREFIX = "callback "


@dataclass(frozen=True)
class Row:
    """One endpoint's figures: requests, failures, and response times in milliseconds."""

    name: str
    requests: int
    failures: int
    p50: float
    p95: float


@dataclass
class SlowClients:
    """What the sockets that dribble their headers saw.

    Attributes:
        asked: How many were to stay open throughout.
        opened: Connections made (a socket the server closed is opened again).
        closed_by_server: How many times the server closed one.
        lines_sent: Header lines dribbled in all.
        open_at_end: How many were still open when the run ended.
    """

    asked: int
    opened: int = 0
    closed_by_server: int = 0
    lines_sent: int = 0
    open_at_end: int = 0


@dataclass
class Outcome:
    """Everything a run measured, for the table and the verdicts."""

    rows: list[Row]
    total: Row
    slow: SlowClients
    server_up: bool
    health_checks: int
    health_failures: int
    users: int
    seconds: float
    cores: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    reference: Row | None = None
    notes: list[str] = field(default_factory=list)


def machine() -> tuple[int, tuple[float, float, float]]:
    """The number of cores and the load average (1, 5, 15 minutes)."""
    return os.cpu_count() or 1, os.getloadavg()


def verdicts(outcome: Outcome) -> list[tuple[str, str, bool, bool]]:
    """Each target as ``(target, measured, met, gates the exit code)``.

    Failures and the server going down fail the run; the p95 of the callbacks is
    reported against its target but does not (speed is a benchmark's figure, not a test's).
    """
    callbacks = [r for r in outcome.rows if r.name.startswith(CALLBACK_PREFIX)]
    worst = max(callbacks, key=lambda r: r.p95, default=None)
    slow = outcome.slow
    held = outcome.server_up and outcome.health_failures == 0
    answered = outcome.health_checks - outcome.health_failures
    out = [
        (
            "0 failures",
            f"{outcome.total.failures} of {outcome.total.requests:,} requests",
            outcome.total.failures == 0,
            True,
        ),
        (
            f"p95 of every callback < {CALLBACK_P95_MS} ms",
            f"worst {worst.name[len(CALLBACK_PREFIX) :]} {worst.p95:.0f} ms"
            if worst
            else "no callback was called",
            worst is not None and all(r.p95 < CALLBACK_P95_MS for r in callbacks),
            False,
        ),
        (
            f"{slow.asked} slow clients don't take it down",
            f"{slow.open_at_end} of {slow.asked} open at the end, {slow.opened} opened, "
            f"{slow.lines_sent} lines dribbled; /healthz answered {answered} of "
            f"{outcome.health_checks}; server {'up' if outcome.server_up else 'DOWN'}",
            held,
            True,
        ),
    ]
    return out


def exit_code(outcome: Outcome) -> int:
    """1 when a gating target is missed (a failure, the server down), else 0."""
    return 0 if all(met for _, _, met, gates in verdicts(outcome) if gates) else 1


def _ms(value: float) -> str:
    return f"{value:.0f}"


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile of ``values``, nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(share * len(ordered)))) - 1]


def _ratio(value: float, reference: Row | None) -> str:
    if reference is None or reference.p50 <= 0:
        return "-"
    return f"{value / reference.p50:.1f}x"


def table(outcome: Outcome) -> str:
    """The run's figures: the machine, a row per endpoint, the total and the verdicts."""
    one, five, fifteen = outcome.load_before
    after = outcome.load_after
    lines = [
        f"machine: {outcome.cores} cores, load average {one:.2f} {five:.2f} {fifteen:.2f} "
        f"before the run, {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} after",
        f"run: {outcome.users} users for {outcome.seconds:.0f} s, "
        f"{outcome.slow.asked} slow-client sockets, "
        f"{outcome.total.requests / max(outcome.seconds, 1e-9):,.0f} requests/s",
        "",
    ]
    ref = outcome.reference
    shown = [*sorted(outcome.rows, key=lambda r: r.name), outcome.total]
    if ref is not None:
        shown.append(ref)
    width = max([len(r.name) for r in shown] + [len("endpoint")])
    header = f"| {'endpoint':<{width}} | requests | failures | p50 ms | p95 ms | p50/ref |"
    rule = "|---------:|---------:|-------:|-------:|--------:|"
    lines += [header, "|" + "-" * (width + 2) + rule]
    for r in shown:
        lines.append(
            f"| {r.name:<{width}} | {r.requests:>8,} | {r.failures:>8,} | "
            f"{_ms(r.p50):>6} | {_ms(r.p95):>6} | {_ratio(r.p50, ref):>7} |"
        )
    if ref is not None:
        lines.append(
            f"(ref: {ref.name}, the server's floor under the same load, asked by the probe; "
            "p50/ref is an endpoint's p50 over the reference's)"
        )
    lines.append("")
    for target, measured, met, gates in verdicts(outcome):
        mark = "PASS" if met else "FAIL"
        kind = "" if gates else " (reported, not a gate)"
        lines.append(f"{mark}  {target}: {measured}{kind}")
    lines.extend(outcome.notes)
    return "\n".join(lines)

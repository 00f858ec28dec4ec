"""The load run's verdicts: failures and a server down fail it; a slow p95 is only reported."""

from dataclasses import replace

import pytest

from benchmarks.load_report import (
    Outcome,
    Row,
    SlowClients,
    exit_code,
    percentile,
    table,
    verdicts,
)


def _outcome(**changes) -> Outcome:
    rows = [
        Row("GET /", 400, 0, 40, 120),
        Row("callback situation.children", 2000, 0, 60, 210),
        Row("callback legend-groups.children", 2000, 0, 30, 150),
    ]
    base = Outcome(
        rows=rows,
        total=Row("overall", 4400, 0, 45, 190),
        slow=SlowClients(20, opened=20, lines_sent=400, open_at_end=20),
        server_up=True,
        health_checks=30,
        health_failures=0,
        users=50,
        seconds=60,
        cores=2,
        load_before=(9.5, 8.0, 6.1),
        load_after=(11.0, 9.0, 6.5),
    )
    return replace(base, **changes)


def test_a_clean_run_passes_every_target():
    outcome = _outcome()
    assert [met for _, _, met, _ in verdicts(outcome)] == [True, True, True]
    assert exit_code(outcome) == 0
    text = table(outcome)
    assert "machine: 2 cores, load average 9.50 8.00 6.10 before the run" in text
    assert "| callback situation.children     |    2,000 |        0 |     60 |    210 |" in text
    assert "PASS  0 failures: 0 of 4,400 requests" in text
    assert "PASS  p95 of every callback < 300 ms: worst situation.children 210 ms" in text
    assert "73 requests/s" in text


def test_one_failed_request_fails_the_run():
    outcome = _outcome(total=Row("overall", 4400, 1, 45, 190))
    assert exit_code(outcome) == 1
    assert "FAIL  0 failures: 1 of 4,400 requests" in table(outcome)


@pytest.mark.parametrize(
    "changes",
    [{"server_up": False}, {"health_failures": 2}],
    ids=["server-exited", "healthz-unanswered"],
)
def test_a_server_that_went_down_fails_the_run(changes):
    outcome = _outcome(**changes)
    assert exit_code(outcome) == 1
    assert "FAIL  20 slow clients don't take it down" in table(outcome)


def test_a_slow_callback_is_reported_but_does_not_fail_the_run():
    slow = Row("callback event-detail.children", 300, 0, 120, 450)
    outcome = _outcome(rows=[*_outcome().rows, slow])
    assert exit_code(outcome) == 0
    line = "FAIL  p95 of every callback < 300 ms: worst event-detail.children 450 ms"
    assert line + " (reported, not a gate)" in table(outcome)


def test_no_callback_called_is_not_a_pass():
    outcome = _outcome(rows=[Row("GET /", 10, 0, 1, 2)])
    assert not verdicts(outcome)[1][2]


def test_every_row_is_compared_with_the_reference_measured_in_the_same_run():
    outcome = _outcome(reference=Row("GET /healthz (probe)", 120, 0, 20, 50))
    text = table(outcome)
    assert "|     60 |    210 |    3.0x |" in text  # situation.children: 60 ms over 20 ms
    assert (
        "| GET /healthz (probe)            |      120 |        0 |     20 |     50 |    1.0x |"
        in text
    )


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [([], 0.5, 0.0), ([5.0], 0.95, 5.0), (list(range(1, 101)), 0.95, 95), ([3, 1, 2], 0.5, 2)],
)
def test_percentile_is_the_nearest_rank(values, share, expected):
    assert percentile(values, share) == expected

"""The pip-audit wrapper's verdict on what pip-audit printed (fake outputs, real shapes)."""

import json

import pytest

from scripts.audit import decide


def _report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def _skipped(name, version):
    # what pip-audit 2.10 prints for every package when PyPI's JSON API cannot be reached
    reason = f"Dependency not found on PyPI and could not be audited: {name} ({version})"
    return {"name": name, "skip_reason": reason}


def _clean(name, version):
    return {"name": name, "version": version, "vulns": []}


def _vulnerable(name, version, vuln_id, fixed):
    vuln = {"id": vuln_id, "fix_versions": fixed, "aliases": [], "description": "..."}
    return {"name": name, "version": version, "vulns": [vuln]}


OSV_UNREACHABLE = """Traceback (most recent call last):
  File ".../pip_audit/_service/osv.py", line 70, in query
    response: requests.Response = self.session.post(
requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries exceeded with url: /v1/query (Caused by NameResolutionError("Failed to resolve 'api.osv.dev'"))
"""


def _text(verdict) -> str:
    return "\n".join(verdict.lines)


def test_every_package_skipped_says_nothing_was_checked_and_passes():
    # pip-audit itself exits 0 and prints "No known vulnerabilities found" here
    out = _report(_skipped("dash", "4.4.1"), _skipped("flask", "3.1.3"))
    verdict = decide(0, out, "No known vulnerabilities found\n")
    assert verdict.code == 0
    assert "NOTHING WAS CHECKED" in _text(verdict)
    assert "no known vulnerabilities" not in _text(verdict).lower()
    assert "not checked: dash: Dependency not found on PyPI" in _text(verdict)


def test_a_service_that_cannot_be_reached_says_nothing_was_checked_and_passes():
    verdict = decide(1, "", OSV_UNREACHABLE, service="osv")
    assert verdict.code == 0
    assert "NOTHING WAS CHECKED" in _text(verdict) and "(osv)" in _text(verdict)
    assert "no known vulnerabilities" not in _text(verdict).lower()


def test_a_known_vulnerability_fails_the_build_and_is_named():
    out = _report(_clean("dash", "4.4.1"), _vulnerable("flask", "2.0.0", "PYSEC-0000-1", ["2.2.5"]))
    verdict = decide(1, out, "Found 1 known vulnerability in 1 package\n")
    assert verdict.code == 1
    assert "VULNERABLE: flask 2.0.0: PYSEC-0000-1 (fixed in: 2.2.5)" in _text(verdict)
    assert "1 of 2 checked packages have known vulnerabilities" in _text(verdict)


def test_a_vulnerability_fails_even_when_other_packages_were_not_checked():
    out = _report(_skipped("dash", "4.4.1"), _vulnerable("numpy", "1.0", "GHSA-xxxx", []))
    verdict = decide(1, out, "")
    assert verdict.code == 1
    assert "(fixed in: none yet)" in _text(verdict)
    assert "1 of 2 packages NOT CHECKED" in _text(verdict)


def test_all_checked_and_clean_passes_and_says_how_many():
    out = _report(_clean("dash", "4.4.1"), _clean("flask", "3.1.3"), _clean("numpy", "2.4.6"))
    verdict = decide(0, out, "No known vulnerabilities found\n")
    assert verdict.code == 0
    assert _text(verdict) == (
        "pip-audit: 3 of 3 packages checked against pypi, no known vulnerabilities in those."
    )


def test_partly_checked_names_what_was_not():
    out = _report(_clean("dash", "4.4.1"), _skipped("private-pkg", "1.0"))
    verdict = decide(0, out, "")
    assert verdict.code == 0
    assert "1 of 2 packages NOT CHECKED" in _text(verdict)
    assert "not checked: private-pkg" in _text(verdict)
    assert "1 of 2 packages checked against pypi" in _text(verdict)
    assert "1 not checked" in _text(verdict)


@pytest.mark.parametrize(
    "stderr",
    [
        "ERROR:pip_audit._cli:Failed to install packages: ResolutionImpossible\n",
        "usage: pip-audit ...\npip-audit: error: unrecognized arguments: --bogus\n",
        "",
    ],
)
def test_pip_audit_failing_for_another_reason_fails_with_its_error(stderr):
    verdict = decide(1, "", stderr)
    assert verdict.code == 2
    assert "pip-audit failed (exit 1)" in _text(verdict)


def test_output_that_is_not_a_report_is_not_taken_for_one():
    verdict = decide(0, "No known vulnerabilities found", "")
    assert verdict.code == 2
    assert "no known" not in _text(verdict).lower()

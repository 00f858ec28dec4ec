"""Audit requirements.txt with pip-audit, and say plainly what was and was not checked.

pip-audit asks a vulnerability service (PyPI's JSON API, or OSV) about each package. Where
no service can be reached it skips every package and still prints "No known
vulnerabilities found" with exit code 0, which reads as a clean bill of health. This
wrapper runs it with JSON output and decides for itself:

- a known vulnerability in a checked package: listed, exit 1 (the build fails);
- every package checked, none vulnerable: says so, exit 0;
- some or all packages not checked (no service reached, a package unknown to it): says
  "NOT CHECKED" and which, never "no known vulnerabilities" for them, exit 0;
- pip-audit failing for any other reason (e.g. a requirement that cannot be resolved):
  its error, exit 2.

``python scripts/audit.py [-r requirements.txt] [-s pypi|osv]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What requests and urllib3 say when a service's host cannot be reached at all.
UNREACHABLE = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to resolve",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Connection refused",
    "timed out",
    "ConnectTimeout",
    "ReadTimeout",
)


@dataclass(frozen=True)
class Verdict:
    """What an audit found, as lines to print and the exit code for CI."""

    code: int
    lines: tuple[str, ...]


def _unreachable(stderr: str) -> bool:
    return any(sign in stderr for sign in UNREACHABLE)


def decide(returncode: int, stdout: str, stderr: str, service: str = "pypi") -> Verdict:
    """The verdict on one pip-audit run (``--format json``) from its exit code and output."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        last = (stderr.strip().splitlines() or ["(no output)"])[-1]
        if _unreachable(stderr):
            return Verdict(
                0,
                (
                    f"pip-audit: NOTHING WAS CHECKED: the vulnerability service ({service}) "
                    "could not be reached.",
                    f"  {last}",
                    "  Run it where the service is reachable before trusting these pins.",
                ),
            )
        return Verdict(2, (f"pip-audit failed (exit {returncode}): {last}",))
    vulnerable, clean, skipped = [], [], []
    for dep in report["dependencies"]:
        name = f"{dep.get('name', '?')} {dep.get('version', '')}".strip()
        if dep.get("skip_reason") is not None or "vulns" not in dep:
            skipped.append((name, str(dep.get("skip_reason") or "not audited")))
        elif dep["vulns"]:
            vulnerable.append((name, dep["vulns"]))
        else:
            clean.append(name)
    lines = []
    for name, vulns in vulnerable:
        for vuln in vulns:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
            lines.append(f"VULNERABLE: {name}: {vuln.get('id', '?')} (fixed in: {fixes})")
    checked = len(vulnerable) + len(clean)
    total = checked + len(skipped)
    if skipped:
        if checked == 0:
            lines.append(
                f"pip-audit: NOTHING WAS CHECKED: none of the {total} packages could be "
                f"audited against {service} (no vulnerability service reached?)."
            )
        else:
            lines.append(f"pip-audit: {len(skipped)} of {total} packages NOT CHECKED:")
        lines.extend(f"  not checked: {name}: {reason}" for name, reason in skipped)
    if vulnerable:
        lines.append(
            f"pip-audit: {len(vulnerable)} of {checked} checked packages have known "
            "vulnerabilities."
        )
        return Verdict(1, tuple(lines))
    if checked:
        unchecked = f"; {len(skipped)} not checked (above)" if skipped else ""
        lines.append(
            f"pip-audit: {checked} of {total} packages checked against {service}, "
            f"no known vulnerabilities in those{unchecked}."
        )
    elif not skipped:
        lines.append("pip-audit: NOTHING WAS CHECKED: the requirements list no package.")
    return Verdict(0, tuple(lines))


def main(argv: list[str] | None = None) -> int:
    """Run pip-audit on a requirements file and print the verdict; its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--requirement", default=str(ROOT / "requirements.txt"))
    parser.add_argument("-s", "--service", choices=("pypi", "osv"), default="pypi")
    parser.add_argument("--timeout", type=int, default=15, help="socket timeout, seconds")
    args = parser.parse_args(argv)
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        args.requirement,
        "--vulnerability-service",
        args.service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        str(args.timeout),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    verdict = decide(done.returncode, done.stdout, done.stderr, args.service)
    print("\n".join(verdict.lines))
    return verdict.code


if __name__ == "__main__":
    sys.exit(main())

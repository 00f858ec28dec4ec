"""Fixtures the unit tests share."""

import shutil
import sys
from pathlib import Path

import pytest

from dashboard.data import GEODATA
from tests.unit.test_data import CONTROL, EVENTS, GROUPS, PLACES, SOURCES


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A minimal valid data folder with the real borders."""
    shutil.copy(GEODATA / "countries.geojson", tmp_path)
    for name, text in [
        ("sources.csv", SOURCES),
        ("groups.csv", GROUPS),
        ("places.csv", PLACES),
        ("control.csv", CONTROL),
        ("events.csv", EVENTS),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def pytest_terminal_summary(terminalreporter):
    """Say how many malformed inputs the property tests tried, by kind of file."""
    malformed = sys.modules.get("tests.unit.malformed")
    tried = getattr(malformed, "TRIED", None)
    if tried:
        terminalreporter.section("malformed inputs tried")
        terminalreporter.write_line(f"{sum(tried.values())} inputs in all")
        for what, count in sorted(tried.items()):
            terminalreporter.write_line(f"  {what}: {count}")

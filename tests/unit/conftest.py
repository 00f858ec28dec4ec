"""Fixtures the unit tests share."""

import shutil
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

"""Reading the atlas's CSV files row by row, collecting problems instead of stopping.

Every loader (``data.py``, ``moments.py``) reads through ``Reader``: each bad row becomes
a ``Problem`` with its file, line and reason, and the good rows go on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

#: Ids are lowercase words joined by '-'.
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


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


class Reader:
    """Reads one CSV file, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, problems: list[Problem], columns: tuple[str, ...]):
        """Read ``path``, which must have ``columns``; problems go to ``problems``."""
        self.path = path
        self.name = path.name
        self.problems = problems
        self.columns = columns

    def problem(self, line: int, reason: str) -> None:
        """Report a problem on ``line`` of this file."""
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


def parse_day(value: str) -> date:
    """A ``YYYY-MM-DD`` day; ValueError for anything else."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return date.fromisoformat(value)


def optional_day(value: str) -> date | None:
    """A day, or None for an empty field."""
    return parse_day(value) if value else None


def split(value: str, sep: str = ";") -> tuple[str, ...]:
    """The non-empty, stripped parts of a list field."""
    return tuple(v.strip() for v in value.split(sep) if v.strip())


def check_sources(reader: Reader, line: int, ids: tuple[str, ...], sources: Mapping) -> bool:
    """Whether a row cites at least one source and only known ones (else a problem)."""
    if not ids:
        reader.problem(line, "cites no source")
        return False
    unknown = [s for s in ids if s not in sources]
    if unknown:
        reader.problem(line, f"unknown source id(s): {', '.join(unknown)}")
        return False
    return True


def unique(reader: Reader, line: int, key: str, seen: dict[str, int]) -> bool:
    """Whether ``key`` is new (else a problem naming the line it was first on)."""
    if key in seen:
        reader.problem(line, f"duplicate id {key!r} (first on line {seen[key]})")
        return False
    seen[key] = line
    return True


def coordinates(reader: Reader, line: int, row: dict, lat_key: str, lon_key: str):
    """``(lat, lon)`` of a row, or None with a problem when either is bad or out of range."""
    lat = reader.parse(line, lat_key, row[lat_key], float)
    lon = reader.parse(line, lon_key, row[lon_key], float)
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        reader.problem(line, f"coordinates out of range: {lat}, {lon}")
        return None
    return lat, lon

"""Reading the atlas's CSV files row by row, collecting problems instead of stopping.

Every loader (``data.py``, ``moments.py``) reads through ``Reader``: each bad row becomes
a ``Problem`` with its file, line and reason, and the good rows go on. Rows are found by
the importers' block reader (``csvblocks``), so a stray quote, bytes that are not UTF-8 or
a ragged row cost that row alone, never the good rows after it. A file that cannot be
read at all (missing, a folder, UTF-16, no header, a missing column) is one problem on
line 0 or 1, marked ``whole_file``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dashboard.csvblocks import CsvBlocks, HeaderError

#: Ids are lowercase words joined by '-'.
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where it is."""

    file: str
    line: int
    reason: str
    #: The whole file could not be read (missing, not a file, not UTF-8 CSV, no header).
    whole_file: bool = field(default=False, compare=False)

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

    def problem(self, line: int, reason: str, *, whole_file: bool = False) -> None:
        """Report a problem on ``line`` of this file."""
        self.problems.append(Problem(self.name, line, reason, whole_file))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, row)`` with stripped values; report unreadable rows and files."""
        if not self.path.exists():
            self.problem(0, "file is missing", whole_file=True)
            return
        if not self.path.is_file():
            self.problem(0, "is not a file (a folder?)", whole_file=True)
            return
        # no thread pool for a small file: started, it may abort the interpreter's exit
        # ("terminate called without an active exception") when a start fails at once
        blocks = CsvBlocks(self.path, threads=False)
        try:
            header = blocks.read_header()
            missing = [c for c in self.columns if c not in header]
            if missing:
                self.problem(1, f"missing column(s): {', '.join(missing)}", whole_file=True)
                return
            for block in blocks:
                names = block.table.column_names
                columns = [c.to_pylist() for c in block.table.columns]
                for i, line in enumerate(block.lines.tolist()):
                    yield line, {n: col[i].strip() for n, col in zip(names, columns, strict=True)}
        except HeaderError as error:
            self.problem(1, error.reason, whole_file=True)
        except OSError as error:
            self.problem(0, f"cannot be read: {error.strerror or error}", whole_file=True)
        for line, reason in sorted(blocks.rejected):
            self.problem(line, reason)

    def parse(self, line: int, what: str, value: str, convert: Callable[[str], Any]) -> Any:
        """Convert a field, reporting a problem (and returning None) when it fails."""
        try:
            return convert(value)
        except ImplausibleDay as error:
            self.problem(line, f"{what} {value}: {error}")
        except (ValueError, TypeError):
            self.problem(line, f"bad {what}: {value!r}")
        return None


#: The first day any record of the atlas may be dated: earlier is a typing slip.
FIRST_PLAUSIBLE_DAY = date(1900, 1, 1)


def last_plausible_day(today: date | None = None) -> date:
    """The last day a record may be dated: the end of next year (plans, typing slips aside)."""
    return date((today or date.today()).year + 1, 12, 31)


class ImplausibleDay(ValueError):
    """A real day, but too far back or ahead for a record of this conflict."""


def plausible_day(day: date) -> date:
    """``day``, or ImplausibleDay when it is before 1900 or after next year.

    A day such as 0001-01-01 or 9999-12-31 is a slip, and would stretch the slider over
    millennia.
    """
    if day < FIRST_PLAUSIBLE_DAY:
        raise ImplausibleDay(f"before {FIRST_PLAUSIBLE_DAY.year}")
    if day > last_plausible_day():
        raise ImplausibleDay(f"after {last_plausible_day().year}")
    return day


def parse_day(value: str) -> date:
    """A ``YYYY-MM-DD`` day from 1900 to next year; ValueError for anything else."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return plausible_day(date.fromisoformat(value))


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

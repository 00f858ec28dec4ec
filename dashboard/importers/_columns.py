"""Vectorised checks and conversions of raw string columns, shared by the importers.

Every function works on a whole column at once (pyarrow compute, numpy); Python runs
only for the rows that are rejected, to word their reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.csvblocks import Block
from dashboard.readers import FIRST_PLAUSIBLE_DAY, last_plausible_day
from dashboard.schema import EVENT_SCHEMA

_ISO_DATE = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"  # UCDP: "2012-03-31 00:00:00.000"
)
_LONG_DATE = r"^(?P<d>\d{1,2}) (?P<m>[A-Za-z]+)\.? (?P<y>\d{4})$"  # 31 March 2012
_DMY_DATE = r"^(?P<d>\d{1,2})[-/](?P<m>\d{1,2})[-/](?P<y>\d{4})$"  # 31-03-2012
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NAMES = pa.array(_MONTHS + [m[:3] for m in _MONTHS] + ["sept"])
_MONTH_NUMBERS = np.array(list(range(1, 13)) * 2 + [9], dtype=np.int64)
_FLOAT = r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$"
_COUNT = r"^\+?\d{1,9}$"  # a non-negative integer that fits int32
_NEGATIVE = r"^-\d+$"


# Scalars for compute functions: a Python value there costs tens of microseconds (pyarrow
# looks for pandas each time), which adds up over the many small blocks of a messy file.
EMPTY = pa.scalar("", pa.string())
_NO_TEXT = pa.scalar(None, pa.string())
_ZERO = pa.scalar(0, pa.int64())
_ZERO_F = pa.scalar(0.0, pa.float64())


def is_empty(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Where a text column is the empty string."""
    return pc.equal(column, EMPTY)


#: The memory pool of the columns an import keeps (the system allocator: large buffers
#: are mapped and unmapped whole).
KEPT = pa.system_memory_pool()


class Rows:
    """One block's columns being checked: which rows are still good, and why not.

    Attributes:
        n: Rows in the block.
        lines: The physical line of each row.
        ok: False for a row once any check has failed on it.
    """

    def __init__(self, block: Block):
        """Start with every row of ``block`` good."""
        self.table = block.table
        self.lines = block.lines
        self.n = block.table.num_rows
        self.ok = np.ones(self.n, dtype=bool)
        self._reasons: dict[int, list[str]] = {}
        self._text: dict[str, pa.Array] = {}

    def text(self, name: str) -> pa.Array:
        """A column, trimmed of surrounding spaces; all empty when the file lacks it."""
        if name not in self._text:
            if name in self.table.column_names:
                column = self.table.column(name)
                column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
                self._text[name] = pc.utf8_trim_whitespace(column)
            else:
                self._text[name] = constant("", self.n)
        return self._text[name]

    def fail(self, mask: np.ndarray, reason: str | Callable[[int], str]) -> None:
        """Reject the rows of ``mask`` for ``reason`` (a text, or a function of the row)."""
        for i in np.flatnonzero(mask).tolist():
            self._reasons.setdefault(i, []).append(reason(i) if callable(reason) else reason)
        self.ok &= ~mask

    def rejected(self) -> list[tuple[int, str]]:
        """``(line, reason)`` of each rejected row; several reasons are joined by ``; ``."""
        return [(int(self.lines[i]), "; ".join(why)) for i, why in sorted(self._reasons.items())]

    def require(self, column: pa.Array, name: str) -> None:
        """Reject the rows where ``column`` is empty."""
        self.fail(_np(is_empty(column)), f"{name} is required")


def quoted(value: object, limit: int = 40) -> str:
    """``repr`` of a value for a message, shortened past ``limit`` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _np(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False))


def days(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse dates written ``2012-03-31``, ``31 March 2012`` or ``31-03-2012``.

    A time after an ISO date (``2012-03-31 00:00:00.000``) is ignored. Dates that do not
    exist (30 February) are not valid.

    Returns:
        ``(days, valid)``: days since 1970-01-01 (int32) and whether each value is a date.
    """
    iso = pc.extract_regex(column, _ISO_DATE)
    long = pc.extract_regex(column, _LONG_DATE)
    dmy = pc.extract_regex(column, _DMY_DATE)
    year = _number(pc.coalesce(*(pc.struct_field(s, "y") for s in (iso, long, dmy))))
    day = _number(pc.coalesce(*(pc.struct_field(s, "d") for s in (iso, long, dmy))))
    month_name = pc.index_in(pc.utf8_lower(pc.struct_field(long, "m")), value_set=_MONTH_NAMES)
    named = _MONTH_NUMBERS[np.nan_to_num(_np(month_name).astype(float), nan=0).astype(np.int64)]
    named[_np(pc.is_null(month_name))] = 0
    month = np.where(
        _np(pc.is_valid(long)),
        named,
        _number(pc.coalesce(pc.struct_field(iso, "m"), pc.struct_field(dmy, "m"))),
    )
    valid = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    first = np.zeros(len(year), dtype="datetime64[M]")
    first[valid] = ((year[valid] - 1970) * 12 + month[valid] - 1).astype("datetime64[M]")
    start = first.astype("datetime64[D]").astype(np.int64)
    length = (first + 1).astype("datetime64[D]").astype(np.int64) - start
    valid &= day <= length
    return np.where(valid, start + day - 1, 0).astype(np.int32), valid


def _number(column: pa.Array) -> np.ndarray:
    """Digits as int64, 0 where null."""
    return _np(pc.fill_null(pc.cast(column, pa.int64()), _ZERO)).astype(np.int64)


def floats(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse decimal numbers; returns ``(values, valid)`` (empty is not valid)."""
    valid = _np(pc.match_substring_regex(column, _FLOAT))
    values = pc.cast(pc.if_else(pa.array(valid), column, _NO_TEXT), pa.float64())
    return np.nan_to_num(_np(pc.fill_null(values, _ZERO_F))), valid


def counts(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse non-negative whole numbers such as a death toll; empty means unknown.

    Returns:
        ``(values, known, bad, negative)``: values (int32, 0 where unknown or bad), and
        masks of the rows that hold a number, that hold something that is no whole
        number, and that hold a negative one.
    """
    known = _np(pc.match_substring_regex(column, _COUNT))
    empty = _np(is_empty(column))
    negative = _np(pc.match_substring_regex(column, _NEGATIVE))
    values = pc.cast(pc.if_else(pa.array(known), column, _NO_TEXT), pa.int32())
    return (
        _np(pc.fill_null(values, pa.scalar(0, pa.int32()))).astype(np.int32),
        known,
        ~known & ~empty,
        negative,
    )


def small_ints(column: pa.Array, allowed: range) -> tuple[np.ndarray, np.ndarray]:
    """Parse codes such as a precision (``1``-``3``); returns ``(values, valid)``."""
    values, known, _, _ = counts(column)
    valid = known & (values >= allowed.start) & (values < allowed.stop)
    return values.astype(np.int8), valid


def lookup(
    column: pa.Array | pa.ChunkedArray, table: Mapping[str, str], default: str | None = None
) -> pa.Array | pa.ChunkedArray:
    """Map each value through ``table``; values not in it stay (or become ``default``).

    Each distinct value is looked up once; the column is never copied whole.
    """
    labels = pc.unique(column)
    mapped = pa.array(
        [table.get(v, v if default is None else default) for v in labels.to_pylist()],
        pa.string(),
    )
    return pc.take(mapped, pc.index_in(column, value_set=labels))


def from_days(values: np.ndarray) -> pa.Array:
    """Days since 1970-01-01 as a ``date32`` array."""
    return pa.array(values.astype(np.int32), pa.int32()).cast(pa.date32())


def coordinates(rows: Rows, lat_name: str, lon_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Check and parse a latitude and a longitude column; reject bad or out-of-range ones."""
    lat_text, lon_text = rows.text(lat_name), rows.text(lon_name)
    lat, lat_ok = floats(lat_text)
    lon, lon_ok = floats(lon_text)
    for name, text, ok in ((lat_name, lat_text, lat_ok), (lon_name, lon_text, lon_ok)):
        rows.fail(~ok, lambda i, name=name, text=text: f"bad {name}: {quoted(text[i].as_py())}")
    rows.fail(lat_ok & ((lat < -90) | (lat > 90)), lambda i: f"{lat_name} out of range: {lat[i]}")
    rows.fail(lon_ok & ((lon < -180) | (lon > 180)), lambda i: f"{lon_name} out of range: {lon[i]}")
    return lat, lon


def _epoch_day(day) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def day_column(rows: Rows, name: str, *, required: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Check and parse a date column; returns ``(days, present)``.

    A day before 1900 or after next year (``readers.plausible_day``) is rejected with that
    reason: 0001-01-01 or 9999-12-31 is a slip that would stretch the slider over millennia.
    """
    text = rows.text(name)
    values, valid = days(text)
    empty = _np(is_empty(text))
    bad = ~valid if required else ~valid & ~empty
    rows.fail(
        bad,
        lambda i: f"missing {name}" if empty[i] else f"bad {name}: {quoted(text[i].as_py())}",
    )
    last = last_plausible_day()
    early = valid & (values < _epoch_day(FIRST_PLAUSIBLE_DAY))
    late = valid & (values > _epoch_day(last))
    rows.fail(
        early, lambda i: f"{name} {quoted(text[i].as_py())}: before {FIRST_PLAUSIBLE_DAY.year}"
    )
    rows.fail(late, lambda i: f"{name} {quoted(text[i].as_py())}: after {last.year}")
    return values, valid & ~early & ~late


def toll_column(rows: Rows, name: str) -> pa.Array:
    """Check a death toll column: a whole number, or empty for unknown (null)."""
    text = rows.text(name)
    values, known, bad, negative = counts(text)
    rows.fail(
        bad,
        lambda i: (
            f"{name} cannot be negative: {text[i].as_py()}"
            if negative[i]
            else f"non-numeric {name}: {quoted(text[i].as_py())}"
        ),
    )
    return pa.array(values, pa.int32(), mask=~known)


def precision_column(rows: Rows, name: str, allowed: range) -> np.ndarray:
    """Check a precision code column (e.g. ``1``-``3``); reject other values."""
    text = rows.text(name)
    values, valid = small_ints(text, allowed)
    rows.fail(
        ~valid,
        lambda i: (
            f"{name} must be {allowed.start}-{allowed.stop - 1}, not {quoted(text[i].as_py())}"
        ),
    )
    return values


def constant(value: str, n: int) -> pa.Array:
    """A string column holding ``value`` on each of ``n`` rows."""
    return pa.array([value], pa.string()).take(np.zeros(n, dtype=np.int64))


def event_table(rows: Rows, columns: Mapping[str, pa.Array | np.ndarray]) -> pa.Table:
    """The good rows as the event columns (groups aside, added once the actors are known).

    Columns not given are empty text or null numbers; ``_line`` keeps each row's line.
    """
    out = {}
    for f in EVENT_SCHEMA:
        if f.name in ("group1", "group2"):
            continue
        value = columns.get(f.name)
        if value is None:
            value = constant("", rows.n) if pa.types.is_string(f.type) else pa.nulls(rows.n, f.type)
        elif isinstance(value, np.ndarray):
            value = pa.array(value).cast(f.type)
        out[f.name] = value
    out["_line"] = pa.array(rows.lines, pa.int64())
    # What is kept goes to its own pool, apart from the block's short-lived columns, so
    # that freeing those returns memory instead of leaving holes between kept buffers.
    return pc.filter(pa.table(out), pa.array(rows.ok), memory_pool=KEPT)


def join_nonempty(parts: list[tuple[str, pa.Array]], sep: str = ". ") -> pa.Array:
    """Join labelled columns, leaving out the empty ones: ``[("Where: ", col), ...]``."""
    glue, out = pa.scalar(sep), None
    for label, column in parts:
        labelled = pc.binary_join_element_wise(pa.scalar(label), column, EMPTY)
        piece = pc.if_else(is_empty(column), EMPTY, labelled)
        if out is None:
            out = piece
            continue
        both = pc.and_(pc.invert(is_empty(out)), pc.invert(is_empty(piece)))
        out = pc.binary_join_element_wise(out, piece, pc.if_else(both, glue, EMPTY))
    return out

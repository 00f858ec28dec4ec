"""Import analysts' event files, ACLED, UCDP GED or the atlas's own, as event columns.

``import_events`` reads a CSV export in blocks (``dashboard.csvblocks``), checks and converts each
block's columns at once (``acled``, ``ucdp``, ``atlas``), rejects duplicate ids, then
matches the actors to groups (``actors``). The result is a table of exactly
``schema.EVENT_SCHEMA`` and an ``ImportReport`` (``report``) that accounts for every
row: imported, or rejected with its physical line and a reason. A million ACLED rows
take seconds, not minutes: no Python runs per row except for the rejected ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.csvblocks import CsvBlocks
from dashboard.domain import Group
from dashboard.importers import acled, atlas, ucdp
from dashboard.importers._columns import Rows, quoted
from dashboard.importers.actors import assign_groups
from dashboard.importers.report import ImportReport
from dashboard.schema import EVENT_SCHEMA
from dashboard.store import conform

#: Bump whenever the table an importer makes for the same file changes: caches of
#: imported files (Parquet) are keyed on it.
IMPORTER_VERSION = 1
#: The formats, by name, in the order they are tried on a header.
FORMATS = {"acled": acled, "ucdp": ucdp, "atlas": atlas}

__all__ = [
    "FORMATS",
    "IMPORTER_VERSION",
    "ImportReport",
    "ImportResult",
    "detect_format",
    "import_events",
]


@dataclass(frozen=True)
class ImportResult:
    """An imported file: its events, its report and the groups made for unknown actors."""

    table: pa.Table
    report: ImportReport
    new_groups: tuple[Group, ...]


def detect_format(path: Path | str) -> str:
    """Tell the format of an events file from its header: ``acled``, ``ucdp`` or ``atlas``.

    Raises:
        ValueError: When the header is none of them (the message lists its columns), or
            the file has no header.
    """
    path = Path(path)
    return _format_of(CsvBlocks(path).read_header(), path.name)


def _format_of(header: list[str], name: str) -> str:
    columns = set(header)
    for fmt, module in FORMATS.items():
        if module.matches(columns):
            return fmt
    raise ValueError(
        f"{name}: not an ACLED, UCDP GED or atlas events file (ACLED has event_id_cnty and "
        f"event_date, UCDP type_of_violence, date_start and side_a, the atlas event_id, "
        f"event_date and sources); its columns are: {', '.join(header) or '(none)'}"
    )


def import_events(
    path: Path | str,
    fmt: str = "auto",
    groups: Mapping[str, Group] | None = None,
    *,
    sources: Mapping[str, Any] | None = None,
    countries: Mapping[str, Any] | None = None,
) -> ImportResult:
    """Read an events file into event columns, with a report on every row.

    Args:
        path: The CSV file.
        fmt: ``acled``, ``ucdp``, ``atlas``, or ``auto`` to tell from the header.
        groups: The atlas's groups, to match actors against through their aliases.
        sources: For the atlas format: the sources cited rows must exist in.
        countries: For the atlas format: country borders (GeoJSON) points must lie in.

    Returns:
        The events (exactly ``EVENT_SCHEMA``), the report, and the generated groups of
        actors that matched none of ``groups``. A file that lacks a required column
        imports nothing and says so in ``report.error``.

    Raises:
        ValueError: When the format is unknown or cannot be told from the header.
    """
    started = perf_counter()
    path = Path(path)
    reader = CsvBlocks(path)
    header = reader.read_header()
    if fmt == "auto":
        fmt = _format_of(header, path.name)
    elif fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of auto, {', '.join(FORMATS)}")
    module = FORMATS[fmt]
    report = ImportReport(file=path.name, format=fmt)
    missing = [c for c in module.REQUIRED if c not in header]
    if missing:
        report.error = (
            f"missing column(s): {', '.join(missing)} (the {fmt} format needs "
            f"{', '.join(module.REQUIRED)})"
        )
        report.seconds = perf_counter() - started
        return ImportResult(EVENT_SCHEMA.empty_table(), report, ())

    options: dict[str, Any] = {}
    if module is atlas:
        options = {
            "sources": sources,
            "outlines": atlas.borders(countries) if countries is not None else None,
        }
    reader.columns = (*module.REQUIRED, *module.OPTIONAL)
    parts, rejected = [], []
    for block in reader:
        rows = Rows(block)
        parts.append(module.convert(rows, **options))
        rejected += rows.rejected()
        del rows, block
        pa.default_memory_pool().release_unused()  # the block's columns, before the next
    table = pa.concat_tables(parts) if parts else _empty()
    table, duplicates = _without_duplicates(table)
    actors = assign_groups(table.column("actor1"), table.column("actor2"), groups)
    table = table.append_column("group1", actors.group1)
    table = table.append_column("group2", actors.group2)
    table = conform(table.select([f.name for f in EVENT_SCHEMA]))

    report.rows_read = reader.rows_read
    report.imported = table.num_rows
    report.rejected = sorted(rejected + reader.rejected + duplicates)
    report.skipped = list(reader.skipped)
    report.actors_matched = actors.matched
    report.actors_unmatched = actors.unmatched
    report.seconds = perf_counter() - started
    return ImportResult(table, report, actors.new_groups)


def _empty() -> pa.Table:
    schema = pa.schema(
        [f for f in EVENT_SCHEMA if f.name not in ("group1", "group2")]
        + [pa.field("_line", pa.int64())]
    )
    return schema.empty_table()


def _without_duplicates(table: pa.Table) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Keep the first row of each event id; reject the others, naming both lines."""
    if not table.num_rows:
        return table, []
    ids = table.column("event_id")
    counted = pc.value_counts(ids)
    repeated_ids = pc.filter(counted.field("values"), pc.greater(counted.field("counts"), 1))
    if not len(repeated_ids):
        return table, []
    rows = np.flatnonzero(pc.is_in(ids, value_set=repeated_ids).to_numpy(zero_copy_only=False))
    lines = table.column("_line").to_numpy()
    first: dict[str, int] = {}
    drop, rejected = [], []
    for i, event_id in zip(rows.tolist(), ids.take(rows).to_pylist(), strict=True):
        if event_id in first:
            drop.append(i)
            reason = f"duplicate event id {quoted(event_id)} (first on line {first[event_id]})"
            rejected.append((int(lines[i]), reason))
        else:
            first[event_id] = int(lines[i])
    keep = np.ones(table.num_rows, dtype=bool)
    keep[drop] = False
    return table.filter(pa.array(keep)), rejected

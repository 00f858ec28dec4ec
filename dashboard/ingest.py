"""Analysts' own event files: imported once into a Parquet cache, then merged into a data set.

An import parses a CSV export (``dashboard/importers``), which at a million rows takes tens
of seconds; the result is kept in ``<cache>/<key>.parquet`` with its report beside it in
``<key>.json``. The key is the file's content hash, the importer's version, the format asked
for and the groups the actors were matched against, so a changed file, a newer importer or
edited aliases all import again, and a second start on the same file reads only the Parquet
file (no CSV parsing).

The cache is written in the store's order, and the long text columns (the notes, the
source text) apart, in ``<key>.texts.arrow``: the store never reads them whole, but a
batch of ``texts.ROW_GROUP`` rows at a time, on demand (``texts.ArrowTexts``). So that a
first import does not hold a sorted copy beside the unsorted one, the other columns are
sorted one at a time (each unsorted column let go as soon as its sorted copy exists) and
the long texts are written a batch at a time in sorted order, then let go: a million ACLED
rows peak at the importer's own size, not at twice it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.data import Dataset
from dashboard.domain import Group
from dashboard.importers import IMPORTER_VERSION, import_events
from dashboard.store import (
    RESIDENT_SCHEMA,
    EventColumns,
    EventStore,
    conform,
    release_memory,
    sort_order,
    take_rows,
)
from dashboard.texts import LONG_TEXT, ROW_GROUP, ArrowTexts, TextColumns, write_texts

#: The layout of the cache's files: bumped when what is written changes (2: rows sorted in
#: the store's order, so that a start from the cache sorts and copies nothing; 4: the long
#: texts apart, in an Arrow file read a batch at a time).
CACHE_LAYOUT = 4
#: Where imports are cached unless ``SAHEL_ATLAS_CACHE`` or the caller says otherwise.
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sahel-atlas"
FORMATS = ("auto", "acled", "ucdp", "atlas")


def cache_dir(asked: Path | str | None = None) -> Path:
    """The cache folder: ``asked``, else ``$SAHEL_ATLAS_CACHE``, else ``~/.cache/sahel-atlas``."""
    return Path(asked or os.environ.get("SAHEL_ATLAS_CACHE") or DEFAULT_CACHE)


@dataclass(frozen=True)
class Imported:
    """One imported file: its events as columns, its report and the groups it added.

    ``events.table`` holds every column but the long texts, in the store's order;
    ``events.texts`` reads those from the cache (or holds them, when it could not be
    written).
    """

    path: Path
    events: EventColumns
    report: Mapping[str, Any]
    new_groups: tuple[Group, ...] = ()
    cached: bool = False
    key: str = ""
    duplicates: int = field(default=0)

    @property
    def table(self) -> pa.Table:
        """The events' columns but the long texts (``store.RESIDENT_SCHEMA``)."""
        return self.events.table


def file_digest(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (a 580 MB export in about a second)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _groups_digest(groups: Mapping[str, Group]) -> str:
    rows = sorted((g.id, tuple(sorted(g.aliases)), g.color) for g in groups.values())
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def cache_key(path: Path, fmt: str, groups: Mapping[str, Group]) -> str:
    """The cache key of importing ``path`` as ``fmt`` against ``groups``."""
    digest = file_digest(path)[:40]
    return f"{digest}-v{IMPORTER_VERSION}c{CACHE_LAYOUT}-{fmt}-{_groups_digest(groups)}"


def _group_record(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "short_name": group.short_name,
        "kind": group.kind,
        "color": group.color,
        "aliases": list(group.aliases),
    }


def _group_of(record: Mapping[str, Any]) -> Group:
    return Group(
        id=record["id"],
        name=record["name"],
        short_name=record["short_name"],
        kind=record["kind"],
        color=record["color"],
        aliases=tuple(record.get("aliases", ())),
    )


def _write_atomically(target: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def import_cached(
    path: Path | str,
    fmt: str = "auto",
    groups: Mapping[str, Group] | None = None,
    cache: Path | str | None = None,
    *,
    sources: Mapping[str, Any] | None = None,
    countries: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> Imported:
    """Import one file, or read its earlier import from the cache.

    ``sources`` and ``countries`` check files of the atlas's own format (cited sources
    must exist, points must lie in their country). ``name`` is the file's name for the
    report when ``path`` is not it (an upload, stored under an id).

    Raises:
        ValueError: The format is unknown, the file is not an export of that format, or
            it lacks a column the format needs (the message says which).
        OSError: The file cannot be read.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    path = Path(path)
    groups = groups or {}
    folder = cache_dir(cache)
    key = cache_key(path, fmt, groups)
    table_file, meta_file = folder / f"{key}.parquet", folder / f"{key}.json"
    texts_file = _texts_file(table_file)
    if table_file.exists() and texts_file.exists() and meta_file.exists():
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            events = _read_cached(table_file)
            new = tuple(_group_of(g) for g in meta["new_groups"])
            return Imported(path, events, meta["report"], new, cached=True, key=key)
        except (OSError, ValueError, KeyError, pa.ArrowException):
            pass  # a damaged cache entry: import again and overwrite it
    result = import_events(path, fmt, groups, sources=sources, countries=countries)
    report = result.report.to_dict()
    if report.get("error"):
        raise ValueError(report["error"])
    if name:
        report["file"] = name
    new_groups = tuple(result.new_groups)
    table = result.table
    del result
    order = sort_order(table)
    # two holders and no other reference: sorting and writing can let each column go
    resident = [table.drop_columns(list(LONG_TEXT))]
    long = [table.select(list(LONG_TEXT))]
    del table
    release_memory()  # the importer's block buffers
    if order is not None:
        resident.append(take_rows(resident, order))
    meta = {"report": report, "new_groups": [_group_record(g) for g in new_groups]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(
            table_file,
            lambda tmp: pq.write_table(resident[0], tmp, row_group_size=ROW_GROUP),
        )
        _write_atomically(texts_file, lambda tmp: _write_texts(long[0], order, tmp))
        _write_atomically(
            meta_file, lambda tmp: Path(tmp).write_text(json.dumps(meta), encoding="utf-8")
        )
    except (OSError, pa.ArrowException):
        # a read-only or full disk: the import still stands, uncached, in memory
        texts = long.pop() if order is None else take_rows(long, order)
        events = EventColumns(resident.pop(), TextColumns.of(texts))
        return Imported(path, events, report, new_groups, key=key)
    long.clear()  # the long texts lie in their file now
    release_memory()
    events = EventColumns(resident.pop(), TextColumns([ArrowTexts(texts_file)]))
    return Imported(path, events, report, new_groups, key=key)


def _texts_file(table_file: Path) -> Path:
    """Where the long texts of a cached import lie: ``<key>.texts.arrow``."""
    return table_file.with_name(table_file.stem + ".texts.arrow")


def _write_texts(long: pa.Table, order: np.ndarray | None, target: str) -> None:
    """Write the long texts in the store's order (``order``), a batch at a time.

    Only one batch's rows are ever copied: no sorted copy of the whole column is made.
    """
    batches = long.to_batches()  # aligned slices of the importer's blocks, no copy
    bounds = np.cumsum([0, *(b.num_rows for b in batches)])
    with write_texts(target, long.schema, long.num_rows, ROW_GROUP) as writer:
        for first in range(0, long.num_rows, ROW_GROUP):
            if order is None:
                part = long.slice(first, ROW_GROUP)
            else:
                part = _gather(batches, bounds, order[first : first + ROW_GROUP])
            # one batch of ROW_GROUP rows, as the file says (slices may span blocks)
            writer.write_table(part.combine_chunks())
            del part


def _gather(batches: list[pa.RecordBatch], bounds: np.ndarray, rows: np.ndarray) -> pa.Table:
    """Rows ``rows`` of the table made of ``batches`` (``bounds``: their first rows), in order.

    Taken batch by batch: Arrow's ``take`` on a table of many chunks first joins each
    column's chunks, a copy of the whole table for every row group written.
    """
    of = np.searchsorted(bounds, rows, side="right") - 1
    by_batch = np.argsort(of, kind="stable")
    parts = []
    for k in np.unique(of).tolist():
        local = rows[by_batch[of[by_batch] == k]] - bounds[k]
        parts.append(batches[k].take(pa.array(local, pa.int64())))
    gathered = pa.Table.from_batches(parts).combine_chunks()
    back = np.empty(len(rows), dtype=np.int64)
    back[by_batch] = np.arange(len(rows))
    return gathered.take(pa.array(back))


def _read_cached(table_file: Path) -> EventColumns:
    """A cached import: its columns but the long texts, read one at a time, and its texts.

    Decoding the whole file at once holds every column's decoding buffers together; one
    column at a time, with the allocator's unused memory handed back between columns,
    the peak is the table and one column's buffers. The long texts stay in their file
    (``texts.ArrowTexts``).

    Raises:
        ValueError: The file lacks a column of the events.
    """
    texts = ArrowTexts(_texts_file(table_file))
    names = pq.ParquetFile(table_file).schema_arrow.names
    missing = [f.name for f in RESIDENT_SCHEMA if f.name not in names]
    if missing:
        raise ValueError(f"{table_file.name} lacks column(s) {', '.join(missing)}")
    pool = pa.default_memory_pool()
    parquet = pq.ParquetFile(table_file)
    columns = []
    for f in RESIDENT_SCHEMA:
        column = parquet.read(columns=[f.name], use_threads=False).column(0)
        columns.append(column.combine_chunks())  # one buffer, not one per row group
        del column
        pool.release_unused()
    table = conform(pa.table(columns, names=RESIDENT_SCHEMA.names), RESIDENT_SCHEMA)
    return EventColumns(table, TextColumns([texts]))


def load_cached(key: str, cache: Path | str | None = None) -> Imported | None:
    """An earlier import by its cache key, or None when the cache does not hold it.

    This is how a data set imported through the page is served again, by this worker or
    by any other that shares the cache folder.
    """
    folder = cache_dir(cache)
    table_file, meta_file = folder / f"{key}.parquet", folder / f"{key}.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        events = _read_cached(table_file)
    except (OSError, ValueError, pa.ArrowException):
        return None
    new = tuple(_group_of(g) for g in meta.get("new_groups", ()))
    name = Path(meta.get("report", {}).get("file") or key)
    return Imported(name, events, meta.get("report", {}), new, cached=True, key=key)


def _without_repeats(parts: Sequence[EventColumns]) -> tuple[EventColumns, int]:
    """Concatenate events, keeping the last copy of each (origin, event_id).

    A newer export listed later wins; the count of repeats dropped comes with the events.
    """
    merged = pa.concat_tables([conform(p.table, RESIDENT_SCHEMA) for p in parts])
    texts = TextColumns.concat([p.texts for p in parts])
    if merged.num_rows == 0:
        return EventColumns(merged, texts), 0
    rows = pa.array(np.arange(merged.num_rows, dtype=np.int64))
    keyed = pa.table(
        {"origin": merged.column("origin"), "event_id": merged.column("event_id"), "row": rows}
    )
    last = keyed.group_by(["origin", "event_id"]).aggregate([("row", "max")])
    keep = np.sort(last.column("row_max").to_numpy())
    dropped = merged.num_rows - len(keep)
    if not dropped:
        return EventColumns(merged, texts), 0
    return EventColumns(merged.take(pa.array(keep)), texts.take(keep)), dropped


def with_imports(dataset: Dataset, imports: Sequence[Imported], *, keep_shipped: bool) -> Dataset:
    """The data set with the imported events added to (or replacing) its own.

    The groups generated for unmatched actors join the data set's groups, so that their
    colours and names show like any other group's.
    """
    groups = dict(dataset.groups)
    for imported in imports:
        for group in imported.new_groups:
            groups.setdefault(group.id, group)
    shipped = EventColumns(dataset.events.table, dataset.events.texts)
    parts = ([shipped] if keep_shipped else []) + [i.events for i in imports]
    if len(parts) == 1 and not keep_shipped:
        # one import alone: already in the store's order and free of repeats (the
        # importer rejects a repeated id): taken as it is, with no copy
        events = EventStore(parts, presorted=True)
    else:
        merged, _ = _without_repeats(parts) if parts else (None, 0)
        events = EventStore([merged] if merged is not None else [])
    return replace(dataset, groups=MappingProxyType(groups), events=events)


def report_lines(imported: Imported) -> list[str]:
    """The import report for the command line, one line per fact, rejections last."""
    r = imported.report
    head = (
        f"{imported.path.name}: {r.get('format', '?')}, {r.get('rows_read', 0):,} rows read, "
        f"{r.get('imported', 0):,} imported, {r.get('rejected_count', 0):,} rejected"
        + (" (from the cache)" if imported.cached else "")
    )
    lines = [head]
    matched, unmatched = r.get("actors_matched") or {}, r.get("actors_unmatched") or {}
    if matched or unmatched:
        lines.append(f"  actors: {len(matched):,} matched to our groups, {len(unmatched):,} new")
    for rejection in (r.get("rejected") or [])[:20]:
        lines.append(f"  line {rejection['line']}: {rejection['reason']}")
    more = r.get("rejected_count", 0) - min(20, len(r.get("rejected") or []))
    if more > 0:
        lines.append(f"  ... and {more:,} more rejected rows")
    return lines

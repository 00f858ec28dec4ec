"""The events' long text columns (notes, source text): in memory, or read from disk on demand.

At a million ACLED rows the notes are 236 MB, nearly half of all the columns together, yet
a page reads them for one event at a time (a hover, a detail), for an export, or to search
them. So an imported file's long texts stay on disk, beside its Parquet cache
(``dashboard/ingest.py``), in an Arrow IPC file of record batches of ``ROW_GROUP`` rows in
the store's order: a hover reads the one batch that holds its event (about 4 MB of
notes), and a search or an export reads the batches in turn, a few at once
(``THREADS``), never the whole column.

Why an Arrow file read by position, rather than the Parquet cache itself or a memory map:
Parquet must decode its pages into Arrow arrays (a search at 1M read the notes in 0.9-1.4
s from Parquet, plain and uncompressed, against 0.2-0.5 s from the Arrow file, where a
batch is its bytes as they lie); and a memory-mapped column, though it costs no copy,
counts every page a search touches in the process's RSS for as long as the mapping lives
(all 236 MB after one search), and RSS is what the server's memory budget is about. Read
with ``pread`` (``pa.OSFile``, whose ``ReadAt`` is safe from several threads), a batch is
copied into memory and let go, so the resident set stays flat; the file is opened once and
shared by concurrent requests, each with a reader of its own, and a cache entry deleted
while the server runs stays readable. The shipped data's few hundred events keep their
long texts in memory (``InMemoryTexts``).

A store's rows need not be a source's rows: merging tables (the shipped events and an
import, or two imports), dropping repeated ids and sorting reorder the rows, so
``TextColumns`` keeps, when they differ, the position of each of its rows in the
concatenation of its sources.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

#: The columns read per event, per export or per search, never per step.
LONG_TEXT = ("notes", "source_text")
#: Rows per batch of a long texts file: a hover reads this many notes (about 4 MB).
ROW_GROUP = 16_384
#: Batches read and searched at once: the cores, up to 4 (each holds one batch).
THREADS = max(1, min(4, os.cpu_count() or 1))


class InMemoryTexts:
    """Long text columns held in memory (the shipped events, or an import left uncached)."""

    def __init__(self, table: pa.Table):
        """Keep ``table``'s ``LONG_TEXT`` columns, one chunk each."""
        self.table = table.select(list(LONG_TEXT)).combine_chunks()

    def __len__(self) -> int:
        """The number of rows."""
        return self.table.num_rows

    def batches(self, rows: np.ndarray) -> np.ndarray:
        """The batch each of ``rows`` is read from: -1, held in memory, read at no cost."""
        return np.full(len(rows), -1, dtype=np.int64)

    def map(self, name: str, rows: np.ndarray | None, fn: Callable[[pa.Array], object]) -> list:
        """``fn`` of the values of ``rows`` (ascending, unique; all when None), in one chunk."""
        column = self.table.column(name)
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        return [fn(column if rows is None else column.take(pa.array(rows, pa.int64())))]


def write_texts(
    target: Path | str, schema: pa.Schema, rows: int, batch_rows: int
) -> ipc.RecordBatchFileWriter:
    """A writer of a long texts file of ``rows`` rows, in batches of ``batch_rows`` rows.

    Every batch but the last must have ``batch_rows`` rows: the file says so in its
    schema's metadata, so that a reader finds a row's batch without reading them all.
    """
    fields = [schema.field(name) for name in LONG_TEXT]
    metadata = {"rows": str(rows), "batch_rows": str(batch_rows)}
    return ipc.new_file(str(target), pa.schema(fields, metadata=metadata))


class ArrowTexts:
    """Long text columns read from an Arrow IPC file, one record batch at a time."""

    def __init__(self, path: Path | str):
        """Open ``path`` for good (read by position, so threads may share it).

        Raises:
            OSError: The file cannot be opened.
            pa.ArrowException: It is not an Arrow IPC file.
            ValueError: It lacks one of ``LONG_TEXT``.
        """
        self.path = Path(path)
        self._file = pa.OSFile(str(path))
        reader = ipc.open_file(self._file)
        names = reader.schema.names
        missing = [name for name in LONG_TEXT if name not in names]
        if missing:
            raise ValueError(f"{self.path.name} lacks column(s) {', '.join(missing)}")
        self._fields = {name: names.index(name) for name in LONG_TEXT}
        meta = reader.schema.metadata or {}
        try:
            rows, step = int(meta[b"rows"]), int(meta[b"batch_rows"])
        except (KeyError, ValueError):
            raise ValueError(f"{self.path.name} does not say how its rows are batched") from None
        if step < 1 or reader.num_record_batches != -(-rows // step):
            raise ValueError(f"{self.path.name} holds other batches than it says")
        #: the first row of each batch, and one past the last row
        self.bounds = np.minimum(np.arange(reader.num_record_batches + 1) * step, rows)

    def __len__(self) -> int:
        """The number of rows."""
        return int(self.bounds[-1])

    def batches(self, rows: np.ndarray) -> np.ndarray:
        """The batch each of ``rows`` is read from (a read costs the whole batch)."""
        return np.searchsorted(self.bounds, rows, side="right").astype(np.int64) - 1

    def _group(self, k: int, name: str) -> pa.Array:
        # a reader per call: the file is shared, a reader's state is not
        options = ipc.IpcReadOptions(included_fields=[self._fields[name]], use_threads=False)
        return ipc.open_file(self._file, options=options).get_batch(k).column(0)

    def map(self, name: str, rows: np.ndarray | None, fn: Callable[[pa.Array], object]) -> list:
        """``fn`` of the values of ``rows`` (ascending, unique; all when None), per batch.

        Batches are read and given to ``fn`` by ``THREADS`` threads (reading and pyarrow's
        compute functions let go of the GIL); the results come in row order.
        """
        if rows is None:
            jobs = [(k, None) for k in range(len(self.bounds) - 1)]
        else:
            groups = np.searchsorted(self.bounds, rows, side="right") - 1
            cuts = np.flatnonzero(np.diff(groups)) + 1
            jobs = [
                (int(groups[part[0]]), rows[part] - self.bounds[int(groups[part[0]])])
                for part in np.split(np.arange(len(rows)), cuts)
                if len(part)
            ]

        def run(job: tuple[int, np.ndarray | None]) -> object:
            k, local = job
            values = self._group(k, name)
            if local is not None and len(local) != len(values):
                values = values.take(pa.array(local, pa.int64()))
            return fn(values)

        if len(jobs) < 2 or THREADS == 1:
            return [run(job) for job in jobs]
        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(run, jobs))


Source = InMemoryTexts | ArrowTexts


class TextColumns:
    """The long text columns of a store's rows, from one or more sources.

    ``rows`` is, for each row, its position in the concatenation of ``sources``; None when
    the rows are that concatenation, in order.
    """

    def __init__(self, sources: Sequence[Source], rows: np.ndarray | None = None):
        """Rows ``rows`` of ``sources`` (all of them, in order, when None)."""
        self.sources = tuple(sources)
        self.rows = rows
        self._offsets = np.cumsum([0, *(len(s) for s in self.sources)], dtype=np.int64)

    @classmethod
    def of(cls, table: pa.Table) -> TextColumns:
        """The long texts of an in-memory table of the events' columns."""
        return cls([InMemoryTexts(table)])

    def __len__(self) -> int:
        """The number of rows."""
        return int(self._offsets[-1]) if self.rows is None else len(self.rows)

    @classmethod
    def concat(cls, parts: Sequence[TextColumns]) -> TextColumns:
        """The rows of ``parts``, one after the other."""
        if len(parts) == 1:
            return parts[0]
        sources = [s for p in parts for s in p.sources]
        if all(p.rows is None for p in parts):
            return cls(sources)
        rows, offset = [], 0
        for p in parts:
            own = p.rows if p.rows is not None else np.arange(len(p), dtype=np.int64)
            rows.append(own.astype(np.int64) + offset)
            offset += int(p._offsets[-1])
        return cls(sources, np.concatenate(rows))

    def take(self, idx: np.ndarray) -> TextColumns:
        """The rows ``idx`` of these, in that order."""
        idx = np.asarray(idx, dtype=np.int64)
        if self.rows is None and np.array_equal(idx, np.arange(len(self))):
            return self
        rows = idx if self.rows is None else self.rows[idx]
        return TextColumns(self.sources, _narrow(rows))

    def _positions(self, idx: np.ndarray | None) -> np.ndarray | None:
        """Positions in the sources of rows ``idx`` (every row when None; None: all, in order)."""
        if idx is None:
            return self.rows
        idx = np.asarray(idx, dtype=np.int64)
        return idx if self.rows is None else self.rows[idx].astype(np.int64)

    def _map(self, name: str, wanted: np.ndarray | None, fn: Callable[[pa.Array], object]) -> list:
        """``fn`` of the values at ``wanted`` (ascending, unique; all when None), in row order."""
        out = []
        for k, source in enumerate(self.sources):
            lo, hi = int(self._offsets[k]), int(self._offsets[k + 1])
            if wanted is None:
                out += source.map(name, None, fn)
                continue
            a, b = np.searchsorted(wanted, [lo, hi])
            if b > a:
                out += source.map(name, wanted[a:b] - lo, fn)
        return out

    def parts(self, idx: np.ndarray, most: int | None = None) -> list[np.ndarray]:
        """``idx`` cut, in its order, into runs that each read one batch of a file.

        A run has at most ``most`` rows (``ROW_GROUP`` when None); rows held in memory go
        with the run they fall in. A caller that reads a long window part by part then reads
        each batch once, not twice.
        """
        most = most or ROW_GROUP
        idx = np.asarray(idx, dtype=np.int64)
        if not len(idx):
            return []
        positions = self._positions(idx)
        positions = idx if positions is None else positions
        source = np.searchsorted(self._offsets, positions, side="right") - 1
        keys = np.full(len(idx), -1, dtype=np.int64)
        for k, src in enumerate(self.sources):
            own = source == k
            if own.any():
                batch = src.batches(positions[own] - self._offsets[k])
                keys[own] = np.where(batch < 0, -1, batch * len(self.sources) + k)
        # a row held in memory takes the batch of the row before it (or after, at the start)
        held = keys < 0
        if held.all():
            keys[:] = 0
        elif held.any():
            last = np.maximum.accumulate(np.where(held, -1, np.arange(len(keys))))
            first = np.flatnonzero(~held)[0]
            keys = keys[np.where(last < 0, first, last)]
        cuts = [0, *(np.flatnonzero(np.diff(keys)) + 1), len(idx)]
        out = []
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            out += [idx[at : min(at + most, b)] for at in range(a, b, most)]
        return out

    def values(self, name: str, idx: np.ndarray) -> pa.Array:
        """The values of rows ``idx`` of column ``name``, in the order of ``idx``."""
        positions = self._positions(idx)
        wanted, back = np.unique(positions, return_inverse=True)
        parts = self._map(name, wanted, lambda values: values)
        found = pa.concat_arrays(parts) if parts else pa.array([], pa.string())
        return found.take(pa.array(back.reshape(-1), pa.int64()))

    def match(self, name: str, words: Sequence[str], idx: np.ndarray | None = None) -> np.ndarray:
        """Which rows (``idx``, in its order, or all) hold every word in ``name``, case ignored."""
        positions = self._positions(idx)
        if positions is None:
            wanted, back = None, None
        else:
            wanted, back = np.unique(positions, return_inverse=True)
        parts = self._map(name, wanted, lambda values: _holds(values, words))
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
        if back is not None:
            return found[back.reshape(-1)]
        return found if self.rows is None else found[self.rows]


def _holds(values: pa.Array, words: Sequence[str]) -> np.ndarray:
    """Whether each value holds every word (case ignored)."""
    found = np.ones(len(values), dtype=bool)
    for word in words:
        hits = pc.match_substring(values, word, ignore_case=True)
        found &= hits.to_numpy(zero_copy_only=False).astype(bool)
    return found


def _narrow(rows: np.ndarray) -> np.ndarray:
    """``rows`` as int32 when they fit (half the memory of a million int64)."""
    fits = not len(rows) or int(rows.max()) < np.iinfo(np.int32).max
    return rows.astype(np.int32) if fits else rows.astype(np.int64)

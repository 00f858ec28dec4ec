"""The events as columns: one ``pyarrow.Table`` sorted by date, and numpy views of it.

Nothing here holds a Python object per event: the window of a day is two binary searches
on the sorted ``start`` column, counts are ``numpy.bincount`` over dictionary codes, and
an ``Event`` is built only for what a page shows (a detail, a hover, a list of 25).

The long text columns (``texts.LONG_TEXT``: the notes and the source text) are not in the
table: they are ``TextColumns``, in memory for the shipped events and read from the import
cache on demand for an imported file (see ``dashboard/texts.py``).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.domain import Event, epoch_day, from_epoch_day
from dashboard.schema import EVENT_SCHEMA, NULLABLE
from dashboard.texts import LONG_TEXT, TextColumns

#: The browser marks events whose toll is unknown with this value in its fatalities column.
UNKNOWN_TOLL = -1


@dataclass(frozen=True)
class Window:
    """Which events a day shows: the ``days`` days up to it, or every event since ``since``.

    ``days=None`` is the cumulative window; ``since=None`` then means from the first event.
    """

    days: int | None = 30
    since: date | None = None

    def span(self, day: date, first: date) -> tuple[date, date]:
        """Return the inclusive ``(first, last)`` days of the window that ends on ``day``."""
        if self.days is None:
            return (self.since or first), day
        return day - timedelta(days=self.days - 1), day

    @property
    def label(self) -> str:
        """How the page names the window, e.g. ``30 days`` or ``cumulative``."""
        if self.days is None:
            return "cumulative" + (f" since {self.since.isoformat()}" if self.since else "")
        return "the day" if self.days == 1 else f"{self.days} days"


def empty_table() -> pa.Table:
    """A table with the events' columns and no row."""
    return EVENT_SCHEMA.empty_table()


def table_from_events(events: Iterable[Event], origin: str = "atlas") -> pa.Table:
    """Columns for ``Event`` objects (the atlas's own loader gives these)."""
    events = list(events)
    columns = {
        "event_id": [e.event_id for e in events],
        "origin": [origin] * len(events),
        "start": [e.event_date for e in events],
        "end": [e.last_day for e in events],
        "event_type": [e.event_type for e in events],
        "sub_event_type": [e.sub_event_type for e in events],
        "actor1": [e.actor1 for e in events],
        "actor2": [e.actor2 for e in events],
        "group1": [e.group1 for e in events],
        "group2": [e.group2 for e in events],
        "interaction": [e.interaction for e in events],
        "country": [e.country for e in events],
        "iso3": [e.iso3 for e in events],
        "admin1": [e.admin1 for e in events],
        "location": [e.location for e in events],
        "latitude": [e.latitude for e in events],
        "longitude": [e.longitude for e in events],
        "geo_precision": [e.geo_precision for e in events],
        "time_precision": [e.time_precision for e in events],
        "where_prec": [None] * len(events),
        "date_prec": [None] * len(events),
        "fatalities": [e.fatalities for e in events],
        "fatalities_low": [e.fatalities_low for e in events],
        "fatalities_high": [e.fatalities_high for e in events],
        "notes": [e.notes for e in events],
        "source_ids": [";".join(e.sources) for e in events],
        "source_text": [e.source_text for e in events],
    }
    return pa.table(columns, schema=EVENT_SCHEMA)


#: The columns a store holds in its table: every column but the long texts.
RESIDENT_SCHEMA = pa.schema([f for f in EVENT_SCHEMA if f.name not in LONG_TEXT])


@dataclass(frozen=True)
class EventColumns:
    """Events whose long texts are apart: ``table`` has ``RESIDENT_SCHEMA``'s columns."""

    table: pa.Table
    texts: TextColumns

    @classmethod
    def of(cls, table: pa.Table) -> EventColumns:
        """Split a table of ``EVENT_SCHEMA`` (long texts in memory)."""
        table = conform(table)
        return cls(table.drop_columns(list(LONG_TEXT)), TextColumns.of(table))


def conform(table: pa.Table, schema: pa.Schema = EVENT_SCHEMA) -> pa.Table:
    """Return ``table`` with exactly the schema's columns and types; text nulls become ``""``.

    Raises:
        ValueError: When a column is missing or cannot be cast.
    """
    missing = [f.name for f in schema if f.name not in table.column_names]
    if missing:
        raise ValueError(f"event table lacks column(s): {', '.join(missing)}")
    columns = []
    for f in schema:
        col = table.column(f.name)
        if col.type != f.type:
            col = col.cast(f.type)
        if f.name not in NULLABLE and col.null_count:
            if pa.types.is_string(f.type):
                col = pc.fill_null(col, "")
            else:
                raise ValueError(f"column {f.name} has {col.null_count} empty value(s)")
        columns.append(col)
    return pa.table(columns, schema=schema)


#: The order of the store's rows: by first day, then origin, then the export's own id.
SORT_KEYS = [("start", "ascending"), ("origin", "ascending"), ("event_id", "ascending")]


def sort_order(table: pa.Table) -> np.ndarray | None:
    """The rows of ``table`` in the store's order, or None when they are in it already."""
    order = pc.sort_indices(table.select([k for k, _ in SORT_KEYS]), sort_keys=SORT_KEYS)
    order = order.to_numpy()
    return None if np.array_equal(order, np.arange(table.num_rows)) else order


def take_rows(held: list[pa.Table], order: np.ndarray) -> pa.Table:
    """The rows ``order`` of the table in ``held``, which is taken out of it.

    Taking the whole table at once would hold two full copies at the peak (a million
    ACLED rows are about 500 MB); column by column, the old column is let go as soon as
    its copy exists. That works only if nothing else refers to the table: the caller
    hands it over in a list (an argument would stay referenced by the caller's frame
    until the call returns).
    """
    table = held.pop()
    schema = table.schema
    columns = [table.column(i) for i in range(table.num_columns)]
    del table
    taken = pa.array(order, pa.int64())
    for i, column in enumerate(columns):
        columns[i] = None  # let the old column go once it is taken
        columns[i] = column.take(taken).combine_chunks()
        del column
        release_memory()  # hand the freed column back before the next one
    return pa.table(columns, schema=schema)


def release_memory() -> None:
    """Hand the memory of freed columns back to the system, from both of Arrow's pools.

    The importer keeps its columns in the system allocator's pool; glibc serves blocks of
    a few MB from its heap once bigger ones have been freed (its mmap threshold grows),
    and keeps the heap's freed pages until ``malloc_trim`` is called: at a million rows,
    about 500 MB that would stay resident after the columns are let go.
    """
    pa.default_memory_pool().release_unused()
    pa.system_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)


def _malloc_trim():
    """The C library's ``malloc_trim`` (glibc), or None when it has none."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def sort_events(table: pa.Table) -> pa.Table:
    """``table`` in the store's order, copied beside it (``take_rows`` lets a big one go)."""
    order = sort_order(table)
    return table if order is None else take_rows([table], order)


class EventStore:
    """Every event of a dataset as columns, sorted by first day, origin and id.

    A row's position is its index: the browser receives the columns in this order and
    names an event by its index when it asks for a hover or a detail.

    Attributes:
        table: Every column but the long texts (``RESIDENT_SCHEMA``).
        texts: The long texts (``texts.LONG_TEXT``) of the same rows.
    """

    def __init__(self, tables: Sequence[pa.Table | EventColumns] = (), *, presorted: bool = False):
        """Merge tables of ``EVENT_SCHEMA`` (or ``EventColumns``) and sort them once.

        ``presorted``: one table already in the store's order (an import from the cache,
        sorted when it was written): taken as it is, with no copy.
        """
        parts = [t if isinstance(t, EventColumns) else EventColumns.of(t) for t in tables]
        if presorted and len(parts) == 1:
            self.table = conform(parts[0].table, RESIDENT_SCHEMA)
            self.texts = parts[0].texts
            if any(c.num_chunks > 1 for c in self.table.columns):
                self.table = self.table.combine_chunks()
        else:
            merged = [conform(p.table, RESIDENT_SCHEMA) for p in parts]
            texts = TextColumns.concat([p.texts for p in parts]) if parts else TextColumns([])
            held = [pa.concat_tables(merged) if merged else RESIDENT_SCHEMA.empty_table()]
            del merged, parts
            order = sort_order(held[0])
            # only `held` refers to the merged table: sorting can let its columns go
            self.table = held.pop() if order is None else take_rows(held, order)
            self.texts = texts if order is None else texts.take(order)
        if len(self.texts) != self.table.num_rows:
            raise ValueError("the long texts and the other columns differ in their rows")
        n = self.table.num_rows
        self.start = self._days("start")
        self.end = self._days("end")
        self.longest = int((self.end - self.start).max()) if n else 0
        self.latitude = self.table.column("latitude").to_numpy()
        self.longitude = self.table.column("longitude").to_numpy()
        toll = self.table.column("fatalities")
        self.known = ~toll.is_null().to_numpy(zero_copy_only=False)
        self.fatalities = pc.fill_null(toll, UNKNOWN_TOLL).to_numpy()
        self.geo_precision = self.table.column("geo_precision").to_numpy()
        self.time_precision = self.table.column("time_precision").to_numpy()

    def _days(self, name: str) -> np.ndarray:
        column = self.table.column(name)
        if not len(column):
            return np.zeros(0, dtype=np.int32)
        return column.cast(pa.int32()).to_numpy()

    def __len__(self) -> int:
        """The number of events."""
        return self.table.num_rows

    # ---- dictionary codes of text columns ----

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Return ``(codes, labels)`` of a text column: ``labels[codes[i]]`` is row i's value.

        Labels are sorted, so codes are stable for the same data.
        """
        return self._codes[name] if name in self._codes else self._encode(name)

    @cached_property
    def _codes(self) -> dict[str, tuple[np.ndarray, list[str]]]:
        return {}

    def _encode(self, name: str) -> tuple[np.ndarray, list[str]]:
        column = self.table.column(name)
        labels = pc.unique(column).sort().to_pylist() if len(column) else []
        codes = pc.index_in(column, value_set=pa.array(labels, pa.string())).to_numpy(
            zero_copy_only=False
        )
        found = (codes.astype(np.int32, copy=False), labels)
        self._codes[name] = found
        return found

    # ---- the questions pages ask ----

    def span(self) -> tuple[date, date] | None:
        """Return the first and last day of any event, or None when there is none."""
        if not len(self):
            return None
        return from_epoch_day(int(self.start[0])), from_epoch_day(int(self.end.max()))

    def window(self, first: date | int, last: date | int) -> np.ndarray:
        """Return the indices (ascending) of the events that overlap ``[first, last]``.

        Two binary searches on ``start``; only events that began within the longest
        event's duration before ``first`` are checked against their own end.
        """
        lo_day = epoch_day(first) if isinstance(first, date) else int(first)
        hi_day = epoch_day(last) if isinstance(last, date) else int(last)
        lo = int(np.searchsorted(self.start, lo_day - self.longest, side="left"))
        hi = int(np.searchsorted(self.start, hi_day, side="right"))
        idx = np.arange(lo, hi)
        return idx[self.end[lo:hi] >= lo_day]

    def newest_first(self, idx: np.ndarray) -> np.ndarray:
        """Return ``idx`` ordered newest first (by first day, then id, descending)."""
        return idx[::-1]

    def count_by(self, name: str, idx: np.ndarray | None = None) -> dict[str, int]:
        """Count events by a text column's value, over ``idx`` (all events when None)."""
        codes, labels = self.codes(name)
        picked = codes if idx is None else codes[idx]
        counts = np.bincount(picked, minlength=len(labels))
        return {labels[k]: int(c) for k, c in enumerate(counts) if c}

    def weekly_counts(self, name: str = "event_type") -> dict[str, dict[date, int]]:
        """Count events per week (keyed by its Monday) and per value of a text column."""
        codes, labels = self.codes(name)
        # 1970-01-01 was a Thursday: day + 3 is 0 on a Monday modulo 7
        mondays = self.start - ((self.start + 3) % 7)
        out: dict[str, dict[date, int]] = {label: {} for label in labels}
        if not len(self):
            return out
        key = (mondays.astype(np.int64) - int(mondays.min())) * len(labels) + codes
        values, counts = np.unique(key, return_counts=True)
        base = int(mondays.min())
        for value, count in zip(values.tolist(), counts.tolist(), strict=True):
            week, code = divmod(value, len(labels))
            out[labels[code]][from_epoch_day(base + week)] = count
        return out

    def find(self, event_id: str, origin: str | None = None) -> int | None:
        """Return the index of the event with this id (and origin, if given), or None."""
        hits = pc.equal(self.table.column("event_id"), event_id)
        if origin is not None:
            hits = pc.and_(hits, pc.equal(self.table.column("origin"), origin))
        found = np.flatnonzero(hits.to_numpy(zero_copy_only=False))
        return int(found[0]) if len(found) else None

    def column(self, name: str, idx: np.ndarray | None = None) -> pa.Array | pa.ChunkedArray:
        """A column's values at rows ``idx`` (every row when None), any column of the schema.

        A long text is read from where it lies (the import cache, for an imported file):
        ask for the rows needed, not for every row of a big data set.
        """
        if name in LONG_TEXT:
            rows = np.arange(len(self)) if idx is None else idx
            return self.texts.values(name, rows)
        column = self.table.column(name)
        return column if idx is None else column.take(pa.array(idx, pa.int64()))

    def event(self, i: int) -> Event:
        """Build the ``Event`` of row ``i`` (only for what a page shows)."""
        row = {name: self.table.column(name)[i].as_py() for name in self.table.column_names}
        row |= {name: self.texts.values(name, np.array([i]))[0].as_py() for name in LONG_TEXT}
        start, end = row["start"], row["end"]
        return Event(
            event_id=row["event_id"],
            event_date=start,
            end_date=end if end != start else None,
            event_type=row["event_type"],
            sub_event_type=row["sub_event_type"],
            actor1=row["actor1"],
            actor2=row["actor2"],
            country=row["country"],
            admin1=row["admin1"],
            location=row["location"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            geo_precision=row["geo_precision"],
            fatalities=row["fatalities"],
            notes=row["notes"],
            sources=tuple(s for s in row["source_ids"].split(";") if s),
            origin=row["origin"],
            time_precision=row["time_precision"],
            fatalities_low=row["fatalities_low"],
            fatalities_high=row["fatalities_high"],
            group1=row["group1"],
            group2=row["group2"],
            interaction=row["interaction"],
            iso3=row["iso3"],
            source_text=row["source_text"],
            where_prec=row["where_prec"],
            date_prec=row["date_prec"],
        )

    def events(self, idx: Iterable[int]) -> list[Event]:
        """Build the ``Event`` of each index, in the order given."""
        return [self.event(int(i)) for i in idx]

"""Event filters on the store's columns: the server's half of ``assets/atlas/filters.js``.

The browser filters what it draws; the situation panel, rendered here, follows the same
filters, which come with its request as plain JSON (``filters.forServer`` in the browser).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.store import EventStore

#: URL parameter / request key of each list filter, and the store column(s) it tests.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "groups": ("group1", "group2"),
    "types": ("event_type",),
    "subtypes": ("sub_event_type",),
    "countries": ("country",),
    "admin1": ("admin1",),
}
#: Where the browser asks which rows' notes hold the words of its ``q`` filter.
SEARCH_PATH = "data/search"
MAX_FATALITIES = 1_000_000
MAX_Q = 100
MAX_VALUES = 200


@dataclass(frozen=True)
class EventFilter:
    """Which events an analyst keeps; an empty field keeps every event.

    Attributes:
        groups: Groups, either actor (``group1`` or ``group2``).
        types: Event types. ``subtypes``, ``countries``, ``admin1`` likewise.
        min_fatalities: Keep events with at least this toll (an unknown toll never is).
        exact: Keep only events placed to the place and dated to the day.
        q: Words that must all be in the notes (case ignored).
    """

    groups: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    subtypes: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    min_fatalities: int = 0
    exact: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        """True when the filter keeps fewer than all events."""
        return any(getattr(self, k) for k in LIST_COLUMNS) or bool(
            self.min_fatalities or self.exact or self.q
        )


def parse_filter(raw: object) -> EventFilter:
    """Read the filters of a request (``{"types": [...], "min_fatalities": 5, ...}``).

    Anything that is not what it should be is dropped, never raised: the request comes
    from a page, and a hand-made one must not break the panel.
    """
    if not isinstance(raw, dict):
        return EventFilter()
    lists = {}
    for key in LIST_COLUMNS:
        values = raw.get(key)
        if not isinstance(values, list):
            values = []
        lists[key] = frozenset(v for v in values[:MAX_VALUES] if isinstance(v, str) and v)
    least = raw.get("min_fatalities")
    valid = isinstance(least, int) and not isinstance(least, bool)
    least = least if valid and 0 <= least <= MAX_FATALITIES else 0
    q = raw.get("q")
    q = " ".join(q.split())[:MAX_Q] if isinstance(q, str) else ""
    return EventFilter(**lists, min_fatalities=least, exact=raw.get("precision") == "exact", q=q)


def notes_match(store: EventStore, q: str, idx: np.ndarray | None = None) -> np.ndarray:
    """Which events' notes hold every word of ``q`` (case ignored), as a boolean array.

    Over the rows ``idx`` (every row when None), in their order. The notes are read where
    they lie, a row group at a time (see ``dashboard/texts.py``).
    """
    return store.texts.match("notes", q.split(), idx)


def select(store: EventStore, idx: np.ndarray, event_filter: EventFilter) -> np.ndarray:
    """Return the rows of ``idx`` (in their order) that ``event_filter`` keeps."""
    idx = np.asarray(idx, dtype=np.int64)
    if not event_filter.active or not len(idx):
        return idx
    keep = np.ones(len(idx), dtype=bool)
    for key, names in LIST_COLUMNS.items():
        wanted = getattr(event_filter, key)
        if not wanted:
            continue
        hit = np.zeros(len(idx), dtype=bool)
        for name in names:
            codes, labels = store.codes(name)
            allowed = np.array([label in wanted for label in labels] or [False])
            hit |= allowed[codes[idx]]
        keep &= hit
    if event_filter.min_fatalities:
        keep &= store.fatalities[idx] >= event_filter.min_fatalities
    if event_filter.exact:
        keep &= (store.geo_precision[idx] == 1) & (store.time_precision[idx] == 1)
    idx = idx[keep]
    if event_filter.q and len(idx):
        idx = idx[notes_match(store, event_filter.q, idx)]
    return idx

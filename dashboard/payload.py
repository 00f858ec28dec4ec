"""What the browser steps through, sent once: a small JSON document and the event columns.

The JSON (``CLIENT_DATA_PATH``) holds the towns, their control periods already turned into
colours and text, the changes of control and the drawing settings. The events travel as
binary columns (``EVENTS_PATH``), in the store's order, so that a row's index names the
event in every later request (hover, detail).

Binary layout (all numbers little-endian):

=========  ==========================================================================
bytes      content
=========  ==========================================================================
0-3        ``SAEV``
4-7        uint32, layout version (``LAYOUT_VERSION``)
8-11       uint32, ``H``: length of the header
12-(12+H)  the header: UTF-8 JSON ``{"count": n, "columns": [{"name", "type",
           "offset"}], "dictionaries": {name: [labels]}}``; ``offset`` counts from byte 0
then       each column's ``n`` values, starting at its offset (a multiple of 8)
=========  ==========================================================================

Columns: ``start``, ``last`` (int32, days since 1970-01-01), ``lat``, ``lon`` (float32),
``fatalities`` (int32, ``-1`` = unknown), ``geo``, ``time`` (uint8, ACLED's precision
scale 1-3), and the codes of ``type``, ``subtype`` (uint8), ``group1``, ``group2``,
``country``, ``admin1`` (uint16) into the header's dictionaries (``group`` is shared by
both group columns).
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Any

import numpy as np

from dashboard.data import Dataset
from dashboard.domain import KEY_PLACES, change_days, epoch_day, periods_of
from dashboard.figures import (
    CLUSTER,
    MAX_POINTS,
    SAHEL_VIEW,
    TRACE_INDEX,
    UNKNOWN_CORE,
    WINDOW_DAYS,
    data_range,
    fmt_day,
    gap_size,
    town_marker,
    type_colors,
)
from dashboard.mapstyle import KEY_TOWN_SIZE, MAP_FONT, TOWN_SIZE
from dashboard.moments import Moment
from dashboard.store import EventStore

#: Where the app serves ``make_client_data``; the browser fetches it on first use.
CLIENT_DATA_PATH = "data/atlas.json"
#: Where the app serves ``encode_events`` (with ``?v=`` its version, so it can be cached).
EVENTS_PATH = "data/events.bin"
#: Where the browser asks for one event's hover text (``?i=`` its index) the first time
#: it is hovered: hover texts are most of an event's weight, so they are not in the payload.
EVENT_HOVER_PATH = "data/event-hover"
LAYOUT_VERSION = 1
MAGIC = b"SAEV"


def _coded(store: EventStore, names: tuple[str, ...], dtype: type) -> tuple[list, list[str]]:
    """Codes of one or more text columns into one shared, sorted dictionary."""
    labels = sorted({label for name in names for label in store.codes(name)[1]})
    where = {label: k for k, label in enumerate(labels)}
    if len(labels) > np.iinfo(dtype).max:
        raise ValueError(f"{names[0]} has {len(labels)} values, more than {dtype.__name__} holds")
    out = []
    for name in names:
        codes, own = store.codes(name)
        remap = np.array([where[label] for label in own] or [0], dtype=dtype)
        out.append(remap[codes] if len(codes) else np.zeros(0, dtype=dtype))
    return out, labels


def event_columns(store: EventStore) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """The columns the browser draws, filters and sums up events with, and their labels."""
    (types,), type_labels = _coded(store, ("event_type",), np.uint8)
    (subtypes,), subtype_labels = _coded(store, ("sub_event_type",), np.uint8)
    (group1, group2), group_labels = _coded(store, ("group1", "group2"), np.uint16)
    (country,), country_labels = _coded(store, ("country",), np.uint16)
    (admin1,), admin1_labels = _coded(store, ("admin1",), np.uint16)
    columns = {
        "start": store.start.astype("<i4"),
        "last": store.end.astype("<i4"),
        "lat": store.latitude.astype("<f4"),
        "lon": store.longitude.astype("<f4"),
        "fatalities": store.fatalities.astype("<i4"),
        "geo": store.geo_precision.astype(np.uint8),
        "time": store.time_precision.astype(np.uint8),
        "type": types,
        "subtype": subtypes,
        "group1": group1.astype("<u2"),
        "group2": group2.astype("<u2"),
        "country": country.astype("<u2"),
        "admin1": admin1.astype("<u2"),
    }
    dictionaries = {
        "type": type_labels,
        "subtype": subtype_labels,
        "group": group_labels,
        "country": country_labels,
        "admin1": admin1_labels,
    }
    return columns, dictionaries


_TYPES = {"<i4": "int32", "<f4": "float32", "|u1": "uint8", "<u2": "uint16"}


def encode_events(store: EventStore) -> bytes:
    """The event columns in the binary layout described at the top of this module."""
    columns, dictionaries = event_columns(store)
    specs = [(name, _TYPES[array.dtype.str]) for name, array in columns.items()]

    def header_bytes(offsets: list[int]) -> bytes:
        header = {
            "count": len(store),
            "columns": [
                {"name": n, "type": t, "offset": o}
                for (n, t), o in zip(specs, offsets, strict=True)
            ],
            "dictionaries": dictionaries,
        }
        return json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    # The offsets depend on the header's length, which depends on the offsets' digits:
    # lay out with a generous guess, then pad the header to fill the room it was given.
    room = len(header_bytes([10**12] * len(specs))) + 12
    room += -room % 8
    offsets, at = [], room
    for array in columns.values():
        offsets.append(at)
        at += array.nbytes + (-array.nbytes % 8)
    header = header_bytes(offsets)
    header += b" " * (room - 12 - len(header))
    parts = [MAGIC, struct.pack("<II", LAYOUT_VERSION, len(header)), header]
    for array in columns.values():
        raw = array.tobytes()
        parts += [raw, b"\0" * (-len(raw) % 8)]
    return b"".join(parts)


def decode_events(body: bytes) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """Read ``encode_events``'s bytes back (what the browser does; for tests and tools)."""
    if body[:4] != MAGIC:
        raise ValueError("not a Sahel Atlas events payload")
    version, length = struct.unpack("<II", body[4:12])
    if version != LAYOUT_VERSION:
        raise ValueError(f"layout version {version}, expected {LAYOUT_VERSION}")
    header = json.loads(body[12 : 12 + length])
    dtypes = {v: k for k, v in _TYPES.items()}
    columns = {
        c["name"]: np.frombuffer(body, dtypes[c["type"]], header["count"], c["offset"])
        for c in header["columns"]
    }
    return columns, header["dictionaries"]


def payload_version(body: bytes) -> str:
    """A short content hash, for URLs that can be cached for good."""
    return hashlib.sha256(body).hexdigest()[:16]


def make_client_data(
    dataset: Dataset,
    *,
    events_url: str = EVENTS_PATH,
    window_days: int = WINDOW_DAYS,
) -> dict[str, Any]:
    """Everything but the events that the browser needs to move the map through time.

    Towns carry their control periods already turned into colours and text by
    ``town_marker``. ``events_url`` is where the event columns are (with their version).
    """
    first, last = data_range(dataset)
    towns = []
    for place_id in dataset.control_places:
        place = dataset.places[place_id]
        periods = []
        for p in periods_of(dataset.periods, place_id):
            m = town_marker(dataset, p, place.name)
            end = epoch_day(p.end) if p.end else None
            periods.append(
                {"start": epoch_day(p.start), "end": end, "groups": list(p.groups), **m.__dict__}
            )
        unknown = town_marker(dataset, None, place.name)
        size = KEY_TOWN_SIZE if place_id in KEY_PLACES else TOWN_SIZE
        ring, core = size
        towns.append(
            {
                "id": place_id,
                "name": place.name,
                "lon": place.lon,
                "lat": place.lat,
                "radius": ring / 2,  # the events under the marker are not drawn
                # diameters of the ring, the gap and the core, drawn by the browser
                "sizes": [ring, gap_size(size), core],
                "periods": periods,
                "unknown": unknown.__dict__,
            }
        )
    type_labels = dataset.events.codes("event_type")[1]
    return {
        "range": [epoch_day(first), epoch_day(last)],
        "windowDays": window_days,
        "zoom": SAHEL_VIEW["zoom"],
        "maxPoints": MAX_POINTS,
        "traces": TRACE_INDEX,
        "changes": [epoch_day(d) for d in change_days(dataset.periods)],
        "typeColors": type_colors(type_labels),
        "groupColors": {g.id: g.color for g in dataset.groups.values()},
        "groupNames": {g.id: g.short_name for g in dataset.groups.values()},
        "style": {"font": MAP_FONT, "unknownFill": UNKNOWN_CORE, "cluster": CLUSTER},
        "eventsUrl": events_url,
        "eventCount": len(dataset.events),
        "maxDuration": dataset.events.longest,
        "towns": towns,
        "moments": [_moment(dataset, m) for m in dataset.moments],
    }


def _moment(dataset: Dataset, moment: Moment) -> dict[str, Any]:
    """A key moment as the presenter shows it (plain text: the page sets it as text)."""
    cited = [dataset.sources[s] for s in moment.sources if s in dataset.sources]
    return {
        "id": moment.id,
        "day": epoch_day(moment.date),
        "label": fmt_day(moment.date),
        "title": moment.title,
        "caption": moment.caption,
        "lat": moment.lat,
        "lon": moment.lon,
        "zoom": moment.zoom,
        "window": moment.window,
        "sources": [
            {
                "publisher": s.publisher,
                "published": fmt_day(s.published) if s.published else "",
                "url": s.url,
            }
            for s in cited
        ],
    }

"""The column layout every importer produces and the event store holds.

One row per event. Importers (``dashboard/importers/``) turn a file into a ``pyarrow.Table``
with exactly these columns, in this order; the store (``dashboard/store.py``) merges such
tables, sorts them by date and answers the pages' questions on the columns.

Conventions:
- ``start``/``end`` are days (``date32``); ``end == start`` for a one-day event.
- ``fatalities`` null means *unknown*, never zero; ``fatalities_low``/``fatalities_high``
  keep a source's range where it gives one (UCDP's ``low``/``high``).
- ``time_precision`` and ``geo_precision`` use ACLED's scale, 1 (exact day / the town
  itself) to 3 (only the month / only the region); ``date_prec`` and ``where_prec`` keep
  UCDP's own codes (null for other formats).
- ``group1``/``group2`` are group ids: a matched group of ``groups.csv`` or a generated
  group for an unmatched actor (see ``importers.actors``); empty when there is no actor.
- ``source_ids`` are ids of ``sources.csv`` joined by ``;`` (the atlas's own format);
  ``source_text`` is the source as the export gives it (ACLED ``source``, UCDP
  ``source_article``/``source_headline``).
- Text columns are never null: an absent value is the empty string.
"""

from __future__ import annotations

import pyarrow as pa

#: Which importer an event came from.
ORIGINS = ("atlas", "acled", "ucdp")

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),  # the export's own id (ACLED event_id_cnty, UCDP id, ...)
        ("origin", pa.string()),  # one of ORIGINS
        ("start", pa.date32()),
        ("end", pa.date32()),
        ("event_type", pa.string()),
        ("sub_event_type", pa.string()),
        ("actor1", pa.string()),
        ("actor2", pa.string()),
        ("group1", pa.string()),
        ("group2", pa.string()),
        ("interaction", pa.string()),  # e.g. "State forces-Rebel group" (text, never codes)
        ("country", pa.string()),
        ("iso3", pa.string()),
        ("admin1", pa.string()),
        ("location", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("geo_precision", pa.int8()),
        ("time_precision", pa.int8()),
        ("where_prec", pa.int8()),
        ("date_prec", pa.int8()),
        ("fatalities", pa.int32()),
        ("fatalities_low", pa.int32()),
        ("fatalities_high", pa.int32()),
        ("notes", pa.string()),
        ("source_ids", pa.string()),
        ("source_text", pa.string()),
    ]
)

#: Columns that may hold nulls; every other column is filled for every row.
NULLABLE = frozenset({"where_prec", "date_prec", "fatalities", "fatalities_low", "fatalities_high"})

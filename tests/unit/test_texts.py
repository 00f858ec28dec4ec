"""The long text columns: read from the import cache on demand, exactly as if in memory."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import ingest
from dashboard.filters import notes_match
from dashboard.importers import import_events
from dashboard.ingest import import_cached, with_imports
from dashboard.store import EventStore
from dashboard.texts import ArrowTexts, InMemoryTexts, TextColumns, write_texts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "upload" / "acled_sample.csv"

NOTES = [
    "Militants attacked a camp near Gao.",
    "Clashes in Kidal; CAMP burnt.",
    "A protest in Bamako.",
    "Äpfel und Camp-Leben in Ménaka",
    "",
    "Attack on the road to Timbuktu, camp looted",
    "Peaceful day.",
    "Strike on a CAMP at night, Gao region",
    "Convoy ambushed north of Gao",
    "ÉCOLE attaquée à Mopti",
]


def texts_table(notes: list[str], tag: str = "") -> pa.Table:
    """A table of long texts: the notes, and a source text naming each row."""
    return pa.table(
        {
            "notes": pa.array(notes, pa.string()),
            "source_text": pa.array([f"{tag}source {k}" for k in range(len(notes))], pa.string()),
        }
    )


def in_file(tmp_path: Path, table: pa.Table, name: str = "texts.arrow") -> ArrowTexts:
    """The table written in batches of 3 rows, opened for reading on demand."""
    path = tmp_path / name
    with write_texts(path, table.schema, table.num_rows, 3) as writer:
        for first in range(0, table.num_rows, 3):
            writer.write_table(table.slice(first, 3))
    return ArrowTexts(path)


def test_rows_are_read_one_row_group_at_a_time_in_any_order(tmp_path):
    texts = in_file(tmp_path, texts_table(NOTES))
    assert len(texts) == 10 and texts.bounds.tolist() == [0, 3, 6, 9, 10]
    columns = TextColumns([texts])
    rows = np.array([9, 0, 4, 4, 3, 8])
    assert columns.values("notes", rows).to_pylist() == [NOTES[i] for i in rows]
    assert columns.values("source_text", np.array([2])).to_pylist() == ["source 2"]
    assert columns.values("notes", np.array([], dtype=np.int64)).to_pylist() == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("camp", [0, 1, 3, 5, 7]),  # case ignored
        ("camp gao", [0, 7]),  # every word
        ("école", [9]),  # beyond ASCII, case ignored
        ("nothing-like-this", []),
    ],
)
def test_a_search_on_disk_finds_the_rows_a_search_in_memory_finds(tmp_path, q, expected):
    on_disk = TextColumns([in_file(tmp_path, texts_table(NOTES))])
    in_memory = TextColumns([InMemoryTexts(texts_table(NOTES))])
    for columns in (on_disk, in_memory):
        assert np.flatnonzero(columns.match("notes", q.split())).tolist() == expected
        some = np.array([7, 2, 0])
        assert columns.match("notes", q.split(), some).tolist() == [i in expected for i in some]


def test_merged_taken_rows_follow_their_sources(tmp_path):
    first = TextColumns([in_file(tmp_path, texts_table(NOTES, "a "))])
    second = TextColumns([InMemoryTexts(texts_table(NOTES[:4], "b "))])
    reference = pa.concat_tables([texts_table(NOTES, "a "), texts_table(NOTES[:4], "b ")])
    order = np.random.default_rng(3).permutation(14)
    kept = order[order != 5]  # a repeat dropped
    merged = TextColumns.concat([first, second]).take(kept)
    assert len(merged) == 13 and merged.rows is not None
    every = np.arange(13)
    for name in ("notes", "source_text"):
        expected = reference.column(name).take(pa.array(kept)).to_pylist()
        assert merged.values(name, every).to_pylist() == expected
    hits = merged.match("notes", ["camp"])
    notes = reference.column("notes").take(pa.array(kept)).to_pylist()
    assert hits.tolist() == ["camp" in n.lower() for n in notes]
    # taken again (the store's sort after a merge) composes
    again = merged.take(every[::-1])
    assert again.values("notes", np.array([0])).to_pylist() == [notes[-1]]


def _batches_read(texts: ArrowTexts, part: np.ndarray, merged: TextColumns) -> set[int]:
    positions = part if merged.rows is None else merged.rows[part]
    on_file = positions[positions < len(texts)]
    return set(texts.batches(on_file).tolist())


def test_a_window_read_part_by_part_reads_each_batch_once(tmp_path):
    texts = in_file(tmp_path, texts_table(NOTES))  # batches of 3 rows: 0-2, 3-5, 6-8, 9
    alone = TextColumns([texts])
    newest_first = np.arange(10)[::-1]
    parts = alone.parts(newest_first, most=3)
    assert [p.tolist() for p in parts] == [[9], [8, 7, 6], [5, 4, 3], [2, 1, 0]]
    # at most `most` rows a part, even within one batch
    assert [len(p) for p in alone.parts(np.arange(9), most=2)] == [2, 1, 2, 1, 2, 1]
    # rows held in memory (merged in by date) go with the part they fall in
    merged = TextColumns.concat([alone, TextColumns([InMemoryTexts(texts_table(NOTES[:2]))])])
    order = np.array([0, 10, 1, 2, 3, 4, 11, 5, 6, 7, 8, 9])
    merged = merged.take(order)
    window = np.arange(12)[::-1]
    parts = merged.parts(window)
    assert np.concatenate(parts).tolist() == window.tolist()
    assert all(len(_batches_read(texts, p, merged)) == 1 for p in parts)
    assert len(parts) == 4
    assert merged.parts(np.array([], dtype=np.int64)) == []
    memory_only = TextColumns([InMemoryTexts(texts_table(NOTES))])
    assert [p.tolist() for p in memory_only.parts(np.arange(10)[::-1], most=4)] == [
        [9, 8, 7, 6],
        [5, 4, 3, 2],
        [1, 0],
    ]


def test_a_cache_file_deleted_while_serving_stays_readable(tmp_path):
    texts = in_file(tmp_path, texts_table(NOTES))
    os.unlink(texts.path)
    assert TextColumns([texts]).values("notes", np.array([8])).to_pylist() == [NOTES[8]]


def test_concurrent_requests_share_one_file(tmp_path):
    columns = TextColumns([in_file(tmp_path, texts_table(NOTES * 50))])

    def read(k: int) -> bool:
        return columns.values("notes", np.array([k % 500])).to_pylist() == [NOTES[k % 10]]

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(read, range(400)))


def test_a_file_without_the_long_texts_or_its_batching_is_refused(tmp_path):
    path = tmp_path / "old.arrow"
    with pa.ipc.new_file(path, pa.schema([("notes", pa.string())])) as writer:
        writer.write_table(pa.table({"notes": ["x"]}))
    with pytest.raises(ValueError, match="source_text"):
        ArrowTexts(path)
    table = texts_table(NOTES)
    with pa.ipc.new_file(path, table.schema) as writer:  # no word of its batches
        writer.write_table(table)
    with pytest.raises(ValueError, match="batched"):
        ArrowTexts(path)


def test_an_import_reads_its_texts_from_the_cache_in_several_row_groups(
    tmp_path, monkeypatch, dataset
):
    monkeypatch.setattr(ingest, "ROW_GROUP", 2)  # the sample's 4 rows in 2 row groups
    imported = import_cached(SAMPLE, "auto", dataset.groups, tmp_path)
    assert "notes" not in imported.table.column_names
    assert pq.ParquetFile(next(tmp_path.glob("*.parquet"))).metadata.num_row_groups == 2
    in_memory = EventStore([import_events(SAMPLE, "auto", dataset.groups).table])
    store = EventStore([imported.events], presorted=True)
    assert isinstance(store.texts.sources[0], ArrowTexts)
    assert len(store.texts.sources[0].bounds) == 3  # two batches
    for name in ("notes", "source_text"):
        assert store.column(name).equals(in_memory.column(name)), name
    assert [store.event(i) for i in range(4)] == [in_memory.event(i) for i in range(4)]
    for word in ("the", "attack", "zzz"):
        assert notes_match(store, word).tolist() == notes_match(in_memory, word).tolist()

    # merged with the shipped events: the rows move, each keeps its own notes
    merged = with_imports(dataset, [imported], keep_shipped=True).events
    both = EventStore([_full(dataset.events), _full(in_memory)])
    assert merged.table.equals(both.table)
    for name in ("notes", "source_text"):
        assert merged.column(name).equals(both.column(name)), name
    assert notes_match(merged, "the").tolist() == notes_match(both, "the").tolist()


def test_an_import_that_cannot_be_cached_keeps_its_texts_in_memory(tmp_path, dataset):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    imported = import_cached(SAMPLE, "auto", dataset.groups, blocked)
    assert not imported.cached
    assert isinstance(imported.events.texts.sources[0], InMemoryTexts)
    in_memory = EventStore([import_events(SAMPLE, "auto", dataset.groups).table])
    store = EventStore([imported.events], presorted=True)
    assert store.column("notes").equals(in_memory.column("notes"))


def _full(store: EventStore) -> pa.Table:
    """Every column of a store, the long texts included, as one table."""
    table = store.table
    for name in ("notes", "source_text"):
        table = table.append_column(name, store.column(name))
    return table


def test_rows_gathered_from_many_chunks_are_the_rows_taken():
    table = pa.concat_tables(
        [texts_table(NOTES[k:], f"{k} ") for k in (0, 3, 7)]
        + [texts_table([], "empty ")]
        + [texts_table(NOTES[:2], "last ")]
    )
    batches = table.to_batches()
    bounds = np.cumsum([0, *(b.num_rows for b in batches)])
    rows = np.random.default_rng(5).permutation(table.num_rows)[:12]
    assert ingest._gather(batches, bounds, rows).equals(table.take(pa.array(rows)))

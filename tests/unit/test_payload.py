"""The event columns as the browser reads them: Python writes, assets/atlas/columns.js reads."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from dashboard.payload import decode_events, encode_events, event_columns

COLUMNS_JS = Path(__file__).resolve().parents[2] / "assets" / "atlas" / "columns.js"
NODE = shutil.which("node")

READ_IN_NODE = """
const {decodeEvents} = require(process.argv[1]);
const body = require("fs").readFileSync(process.argv[2]);
const out = decodeEvents(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
const columns = {};
for (const [name, values] of Object.entries(out.columns)) columns[name] = Array.from(values);
process.stdout.write(JSON.stringify({count: out.count, columns, dictionaries: out.dictionaries}));
"""


@pytest.mark.skipif(NODE is None, reason="node is installed by scripts/test")
def test_the_browser_decoder_reads_what_the_server_writes(dataset, tmp_path):
    body = tmp_path / "events.bin"
    body.write_bytes(encode_events(dataset.events))
    run = subprocess.run(
        [NODE, "-e", READ_IN_NODE, str(COLUMNS_JS), str(body)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    read = json.loads(run.stdout)
    columns, dictionaries = event_columns(dataset.events)
    assert read["count"] == len(dataset.events)
    assert read["dictionaries"] == dictionaries
    assert set(read["columns"]) == set(columns)
    for name, values in columns.items():
        np.testing.assert_array_equal(np.asarray(read["columns"][name], values.dtype), values)


def test_decode_reads_back_encode(dataset):
    columns, dictionaries = event_columns(dataset.events)
    read, read_dictionaries = decode_events(encode_events(dataset.events))
    assert read_dictionaries == dictionaries
    for name, values in columns.items():
        np.testing.assert_array_equal(read[name], values)


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"PK\x03\x04" + bytes(20), "not a Sahel Atlas"), (b"SAEV\x02\x00\x00\x00" + bytes(8), "2")],
)
def test_decode_refuses_other_bytes(body, message):
    with pytest.raises(ValueError, match=message):
        decode_events(body)

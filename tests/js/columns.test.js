// node --test tests/js: the pure parts of the browser code, without a browser.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {decodeEvents} = require("../../assets/atlas/columns.js");

/* A payload in the layout of dashboard/payload.py, written by hand. */
function payload(header, columns, {magic = "SAEV", version = 1} = {}) {
    const text = new TextEncoder().encode(JSON.stringify(header));
    let offset = Math.ceil((12 + text.length) / 8) * 8;
    const placed = [];
    for (const [name, values] of columns) {
        placed.push({name, type: values.constructor.name.replace("Array", "").toLowerCase(), offset});
        offset = Math.ceil((offset + values.byteLength) / 8) * 8;
    }
    const full = new TextEncoder().encode(JSON.stringify({...header, columns: placed}));
    const start = Math.ceil((12 + full.length) / 8) * 8;
    const shift = start - placed[0].offset;
    placed.forEach((c) => { c.offset += shift; });
    const body = new TextEncoder().encode(JSON.stringify({...header, columns: placed}));
    assert.ok(12 + body.length <= placed[0].offset, "header fits before the first column");
    const buffer = new ArrayBuffer(offset + shift);
    const bytes = new Uint8Array(buffer);
    bytes.set(new TextEncoder().encode(magic), 0);
    const view = new DataView(buffer);
    view.setUint32(4, version, true);
    view.setUint32(8, body.length, true);
    bytes.set(body, 12);
    columns.forEach(([, values], k) => {
        bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), placed[k].offset);
    });
    return buffer;
}

test("decodes every column as a typed array over the same buffer", () => {
    const buffer = payload({count: 3, dictionaries: {type: ["Battles", "Riots"]}}, [
        ["start", new Int32Array([15000, 15001, 15716])],
        ["lat", new Float32Array([16.27, 14.9, 12.65])],
        ["type", new Uint8Array([1, 0, 1])],
        ["group1", new Uint16Array([0, 300, 65535])],
    ]);
    const out = decodeEvents(buffer);
    assert.equal(out.count, 3);
    assert.deepEqual(Array.from(out.columns.start), [15000, 15001, 15716]);
    assert.ok(Math.abs(out.columns.lat[2] - 12.65) < 1e-5);
    assert.deepEqual(Array.from(out.columns.type), [1, 0, 1]);
    assert.deepEqual(Array.from(out.columns.group1), [0, 300, 65535]);
    assert.equal(out.columns.start.buffer, buffer, "a view, not a copy");
    assert.deepEqual(out.dictionaries.type, ["Battles", "Riots"]);
});

test("an empty data set decodes to empty columns", () => {
    const out = decodeEvents(payload({count: 0, dictionaries: {}}, [["start", new Int32Array(0)]]));
    assert.equal(out.count, 0);
    assert.equal(out.columns.start.length, 0);
});

test("says what is wrong with a buffer that is not a payload", () => {
    assert.throws(() => decodeEvents(new ArrayBuffer(4)), /too short/);
    assert.throws(() => decodeEvents("SAEV"), /too short/);
    const other = payload({count: 1, dictionaries: {}}, [["start", new Int32Array([1])]], {magic: "PK\u0003\u0004"});
    assert.throws(() => decodeEvents(other), /not an events payload/);
    const newer = payload({count: 1, dictionaries: {}}, [["start", new Int32Array([1])]], {version: 2});
    assert.throws(() => decodeEvents(newer), /layout 2, expected 1/);
});

test("refuses a column type it does not know", () => {
    const buffer = payload({count: 1, dictionaries: {}}, [["start", new Float64Array([1])]]);
    assert.throws(() => decodeEvents(buffer), /unknown column type float64/);
});

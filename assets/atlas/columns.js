/*
 * Sahel Atlas, event columns: reads the binary layout that dashboard/payload.py writes
 * (see its docstring) into typed arrays, without copying them.
 *
 * Owns: decodeEvents (pure; unit-tested by tests/js/columns.test.js with node --test).
 * Every platform a browser runs on is little-endian, as the layout is, so the typed
 * arrays view the fetched buffer directly.
 */
(function (root) {
    "use strict";

    const MAGIC = "SAEV";
    const LAYOUT_VERSION = 1;
    const ARRAYS = {int32: Int32Array, float32: Float32Array, uint8: Uint8Array, uint16: Uint16Array};

    /* {count, columns: {name: TypedArray}, dictionaries: {name: [label]}} of an ArrayBuffer.
       Throws an Error that says what is wrong with a buffer of another kind. */
    function decodeEvents(buffer) {
        if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 12) {
            throw new Error("Sahel Atlas: the events payload is too short");
        }
        const bytes = new Uint8Array(buffer);
        const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
        if (magic !== MAGIC) {
            throw new Error("Sahel Atlas: not an events payload");
        }
        const view = new DataView(buffer);
        const version = view.getUint32(4, true);
        if (version !== LAYOUT_VERSION) {
            throw new Error("Sahel Atlas: events layout " + version + ", expected " + LAYOUT_VERSION);
        }
        const length = view.getUint32(8, true);
        const header = JSON.parse(new TextDecoder("utf-8").decode(bytes.subarray(12, 12 + length)));
        const columns = {};
        for (const c of header.columns) {
            const Kind = ARRAYS[c.type];
            if (!Kind) {
                throw new Error("Sahel Atlas: unknown column type " + c.type);
            }
            columns[c.name] = new Kind(buffer, c.offset, header.count);
        }
        return {count: header.count, columns: columns, dictionaries: header.dictionaries};
    }

    const api = {decodeEvents: decodeEvents};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.columns = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

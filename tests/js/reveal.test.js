"use strict";
const test = require("node:test");
const assert = require("node:assert");
const {isDrawn} = require("../../assets/atlas/reveal.js");

/* A stand-in for the MapLibre map: whether it has loaded. */
function fakeMap(loaded) {
    return {loaded: function () { return loaded; }};
}

test("no map yet, or one still loading, is not shown", () => {
    assert.strictEqual(isDrawn(null, 15716), false);
    assert.strictEqual(isDrawn(fakeMap(false), 15716), false);
});

test("a loaded map whose towns and events are not painted yet is not shown", () => {
    // the borders have loaded; the event layer has not drawn the towns (no data yet)
    assert.strictEqual(isDrawn(fakeMap(true), null), false);
    assert.strictEqual(isDrawn(fakeMap(true), undefined), false);
});

test("a loaded map with its towns and events painted is shown", () => {
    assert.strictEqual(isDrawn(fakeMap(true), 15716), true);
    assert.strictEqual(isDrawn(fakeMap(true), 0), true); // day 0 is a day
});

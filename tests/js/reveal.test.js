"use strict";
const test = require("node:test");
const assert = require("node:assert");
const {isDrawn, TOWNS_SOURCE} = require("../../assets/atlas/reveal.js");

/* A stand-in for the MapLibre map: whether it has loaded, and the sources it holds. */
function fakeMap(loaded, sources) {
    return {
        loaded: function () { return loaded; },
        getSource: function (id) { return sources.indexOf(id) >= 0 ? {id: id} : undefined; },
    };
}

const TOWN_TRACES = [{uid: "town-ring"}, {uid: "town-gap"}, {uid: "town-core"}];

test("no map yet, or one still loading, is not shown", () => {
    assert.strictEqual(isDrawn(null, TOWN_TRACES), false);
    assert.strictEqual(isDrawn(fakeMap(false, ["countries", TOWNS_SOURCE]), TOWN_TRACES), false);
});

test("a loaded map without its town markers' source is not shown", () => {
    // the borders have loaded; Plotly has not yet added the towns (it waits for the style)
    assert.strictEqual(isDrawn(fakeMap(true, ["countries", "regions"]), TOWN_TRACES), false);
});

test("a loaded map with its town markers is shown", () => {
    assert.strictEqual(isDrawn(fakeMap(true, ["countries", TOWNS_SOURCE]), TOWN_TRACES), true);
});

test("a figure with no town markers is shown once loaded", () => {
    assert.strictEqual(isDrawn(fakeMap(true, ["countries"]), []), true);
    assert.strictEqual(isDrawn(fakeMap(true, ["countries"]), undefined), true);
});

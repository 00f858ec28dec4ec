"use strict";
// When the split view of a comparison shows: a day compared with, room for two maps,
// not turned off in the URL, not while presenting.
const test = require("node:test");
const assert = require("node:assert/strict");
const twin = require("../../assets/atlas/twin.js");

const wide = twin.SPLIT_MIN_PX;

test("a day compared with on a wide screen shows the two maps", () => {
    assert.equal(twin.splitWanted(15000, wide, "?date=2013-01-11&compare=2012-06-01", false), true);
    assert.equal(twin.splitWanted(0, 1920, "", false), true); // day 0 is a day
});

test("no day compared with, a narrow screen, split=0 or presenting: one map", () => {
    assert.equal(twin.splitWanted(null, 1920, "", false), false);
    assert.equal(twin.splitWanted(undefined, 1920, "", false), false);
    assert.equal(twin.splitWanted(15000, wide - 1, "", false), false);
    assert.equal(twin.splitWanted(15000, 390, "", false), false);
    assert.equal(twin.splitWanted(15000, 1920, "?compare=2012-06-01&split=0", false), false);
    assert.equal(twin.splitWanted(15000, 1920, "?split=1", false), true);
    assert.equal(twin.splitWanted(15000, 1920, "", true), false);
});

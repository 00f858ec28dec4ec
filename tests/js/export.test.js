"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {viewCaption} = require("../../assets/atlas/export.js");

test("the picture names the day, the window and the filters, not the map view", () => {
    const c = viewCaption("?date=2013-01-11&window=7&lat=16&lon=-3&zoom=6&types=Battles", "11 Jan 2013",
        "the 7 days up to the day");
    assert.equal(c.title, "Sahel Atlas · 11 Jan 2013");
    assert.equal(c.subtitle, "Events of the 7 days up to the day · types: Battles");
    const plain = viewCaption("?date=2013-01-11", "11 Jan 2013", "the 30 days up to the day");
    assert.equal(plain.subtitle, "Events of the 30 days up to the day");
    const long = viewCaption("?q=" + "x".repeat(500), "11 Jan 2013", "w");
    assert.ok(long.subtitle.length < 100);
});

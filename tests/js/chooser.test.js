"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {pickItems} = require("../../assets/atlas/chooser.js");
const dates = require("../../assets/atlas/dates.js");

const JAN10 = dates.parseIso("2013-01-10");
const JAN11 = dates.parseIso("2013-01-11");
// Konna on 11 Jan 2013: its town marker over three events (rows 0-2 of these columns)
const data = {
    towns: [{id: "gao", name: "Gao"}, {id: "konna", name: "Konna"}],
    groupNames: {"ansar-dine": "Ansar Dine", mali: "FAMa", france: "France"},
    events: {
        start: Int32Array.from([JAN10, JAN11, JAN11]),
        last: Int32Array.from([JAN10, JAN11 + 1, JAN11 + 7]),
        fatalities: Int32Array.from([25, 1, -1]),
        subtype: Uint8Array.from([2, 0, 1]),
        group1: Uint16Array.from([1, 2, 3]),
        group2: Uint16Array.from([3, 1, 0]),
        labels: {
            subtype: ["Air/drone strike", "Government regains territory", "Non-state actor overtakes territory"],
            group: ["", "ansar-dine", "france", "mali"],
        },
    },
};

test("the town first, then the events newest first, each said in words", () => {
    const items = pickItems({towns: [1], events: [0, 1, 2]}, data, dates.labelOf);
    assert.deepEqual(items.map((it) => it.kind + ":" + (it.id || it.i)), ["town:konna", "event:2", "event:1", "event:0"]);
    assert.deepEqual(items[0], {kind: "town", id: "konna", title: "Konna", detail: "town: its control history"});
    assert.deepEqual(items[3], {
        kind: "event", i: 0,
        title: "10 Jan 2013 · Non-state actor overtakes territory",
        detail: "Ansar Dine vs FAMa · 25 killed",
    });
    // a span of days, an unknown toll, one actor
    assert.equal(items[1].title, "11 Jan 2013 – 18 Jan 2013 · Government regains territory");
    assert.equal(items[1].detail, "FAMa · toll unknown");
    assert.equal(items[2].detail, "France vs Ansar Dine · 1 killed");
});

test("an actor that is no group of the data is named as written", () => {
    const other = {...data, groupNames: {}};
    assert.equal(pickItems({towns: [], events: [0]}, other, dates.labelOf)[0].detail, "ansar-dine vs mali · 25 killed");
});

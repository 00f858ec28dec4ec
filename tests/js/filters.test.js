"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const filters = require("../../assets/atlas/filters.js");
const marks = require("../../assets/atlas/marks.js");

const labels = {
    type: ["Battles", "Protests", "Violence against civilians"],
    subtype: ["Armed clash", "Attack", "Peaceful protest"],
    group: ["", "aqim", "fama", "mnla"],
    country: ["Mali", "Niger"],
    admin1: ["", "Gao", "Kidal", "Tillabéri, Nord"],
};

/* Six events as the page holds them: columns of codes, sorted by start. */
function columns() {
    const rows = [
        // start, type, subtype, g1, g2, country, admin1, toll, geo, time
        [100, 0, 0, 2, 3, 0, 1, 10, 1, 1],
        [101, 1, 2, 0, 0, 0, 2, -1, 1, 1],
        [102, 2, 1, 1, 0, 1, 3, 3, 2, 1],
        [103, 0, 0, 3, 1, 0, 2, 0, 1, 2],
        [104, 2, 1, 1, 0, 0, 1, 25, 1, 1],
        [110, 0, 0, 2, 0, 1, 3, 1, 1, 1],
    ];
    const col = (k, Kind) => Kind.from(rows.map((r) => r[k]));
    const events = {
        start: col(0, Int32Array), last: col(0, Int32Array),
        type: col(1, Uint8Array), subtype: col(2, Uint8Array),
        group1: col(3, Uint16Array), group2: col(4, Uint16Array),
        country: col(5, Uint16Array), admin1: col(6, Uint16Array),
        fatalities: col(7, Int32Array), geo: col(8, Uint8Array), time: col(9, Uint8Array),
        lat: Float32Array.from(rows.map(() => 16)), lon: Float32Array.from(rows.map(() => -1)),
    };
    events.count = rows.length;
    events.labels = labels;
    events.maxDuration = 0;
    return events;
}

const kept = (mask) => (mask === null ? null : [...mask.keys()].filter((i) => mask[i]));
const read = (search) => filters.readFilters(search, labels);

test("a link's filters: known values kept, in order, once", () => {
    const {filters: f, reasons} = read("?groups=mnla,aqim,mnla&types=Battles&countries=Mali&min_fatalities=5&precision=exact&q=%20Kidal%20");
    assert.deepEqual(reasons, []);
    assert.deepEqual(f.groups, ["mnla", "aqim"]);
    assert.deepEqual(f.types, ["Battles"]);
    assert.deepEqual(f.countries, ["Mali"]);
    assert.equal(f.minFatalities, 5);
    assert.equal(f.exact, true);
    assert.equal(f.q, "Kidal");
    assert.equal(filters.isActive(f), true);
    assert.equal(filters.isActive(read("?date=2013-01-11").filters), false);
});

test("a label holding a comma is read whole", () => {
    assert.deepEqual(read("?admin1=Gao,Tillab%C3%A9ri,%20Nord").filters.admin1, ["Gao", "Tillabéri, Nord"]);
});

test("unknown or malformed values are ignored, each with a reason in words", () => {
    const {filters: f, reasons} = read("?types=Battles,Picnics&groups=%3Cscript%3E&min_fatalities=-3&precision=fuzzy");
    assert.deepEqual(f.types, ["Battles"]);
    assert.deepEqual(f.groups, []);
    assert.equal(f.minFatalities, 0);
    assert.equal(f.exact, false);
    assert.equal(reasons.length, 4);
    assert.match(reasons[0], /^groups: “<script>” is not a group of the data; ignored$/);
    assert.match(reasons[1], /^types: “Picnics” is not an event type/);
    assert.match(reasons[2], /min_fatalities “-3” is not a number of deaths/);
    assert.match(reasons[3], /precision “fuzzy” is not “exact” or “all”/);
    for (const bad of ["abc", "1e3", "5.5", "99999999", " 5", "0x10"]) {
        assert.equal(read("?min_fatalities=" + encodeURIComponent(bad)).filters.minFatalities, 0, bad);
    }
    // the empty group label ("no second actor") is never a filter value
    assert.deepEqual(read("?groups=,,").filters.groups, []);
    assert.deepEqual(read("?groups=,,").reasons, []);
    const many = read("?types=" + Array.from({length: 9}, (_, k) => "x" + k).join(","));
    assert.match(many.reasons[0], /“x0”, “x1”, “x2” and 6 more are not an event type/);
    const long = read("?q=" + "a".repeat(150));
    assert.equal(long.filters.q.length, 100);
    assert.match(long.reasons[0], /cut to their first 100 characters/);
});

test("written to the URL and read back, the same filters; inactive ones leave no parameter", () => {
    const f = read("?groups=aqim&subtypes=Attack&admin1=Tillab%C3%A9ri,%20Nord&min_fatalities=2&q=camp").filters;
    const params = filters.writeFilters(new URLSearchParams("date=2013-01-11&types=Protests"), f);
    assert.equal(params.get("date"), "2013-01-11");
    assert.equal(params.get("types"), null);
    assert.deepEqual(read("?" + params.toString()).filters, f);
    assert.equal(filters.writeFilters(new URLSearchParams("q=x&precision=exact"), filters.emptyFilters()).toString(), "");
    // the key ignores the order in which values were picked
    const a = read("?groups=aqim,mnla").filters;
    const b = read("?groups=mnla,aqim").filters;
    assert.equal(filters.filterKey(a), filters.filterKey(b));
    assert.notEqual(filters.filterKey(a), filters.filterKey(filters.emptyFilters()));
});

test("the controls' values and the state go both ways", () => {
    const f = filters.fromControls({groups: ["aqim", "nobody", "aqim"], types: null, minFatalities: "7", exact: ["exact"], q: " x "}, labels);
    assert.deepEqual(f.groups, ["aqim"]);
    assert.deepEqual(f.types, []);
    assert.equal(f.minFatalities, 7);
    assert.equal(f.exact, true);
    assert.equal(f.q, "x");
    assert.deepEqual(filters.fromControls(filters.controlValues(f), labels), f);
    assert.equal(filters.fromControls({minFatalities: "-2"}, labels).minFatalities, 0);
    assert.equal(filters.fromControls({minFatalities: "2.5"}, labels).minFatalities, 0);
    assert.equal(filters.fromControls({minFatalities: "abc"}, labels).minFatalities, 0);
    assert.equal(filters.fromControls({minFatalities: 12}, labels).minFatalities, 12);
});

test("the mask keeps the rows every filter keeps; null when nothing is filtered", () => {
    const events = columns();
    const mask = (search, qRows) => kept(filters.buildMask(events, read(search).filters, qRows));
    assert.equal(mask("?"), null);
    assert.deepEqual(mask("?types=Battles"), [0, 3, 5]);
    assert.deepEqual(mask("?types=Battles,Protests"), [0, 1, 3, 5]);
    // a group is either actor
    assert.deepEqual(mask("?groups=mnla"), [0, 3]);
    assert.deepEqual(mask("?groups=aqim"), [2, 3, 4]);
    assert.deepEqual(mask("?groups=aqim&types=Battles"), [3]);
    assert.deepEqual(mask("?subtypes=Attack&countries=Mali"), [4]);
    assert.deepEqual(mask("?admin1=Kidal"), [1, 3]);
    // an unknown toll (-1) is not "at least 1"; 0 means no minimum
    assert.deepEqual(mask("?min_fatalities=3"), [0, 2, 4]);
    assert.deepEqual(mask("?min_fatalities=0"), null);
    // exact: placed to the place and dated to the day
    assert.deepEqual(mask("?precision=exact"), [0, 1, 4, 5]);
    // the words searched: rows the server found, out-of-range rows ignored
    assert.deepEqual(mask("?q=camp", Int32Array.from([4, 2, 99, -1])), [2, 4]);
    assert.deepEqual(mask("?q=camp&types=Battles", Int32Array.from([4, 2])), []);
});

test("eventMarks skips masked rows and counts N of M", () => {
    const events = columns();
    const data = {events, range: [100, 200], maxPoints: 100};
    const view = {zoom: 5, bounds: {getWest: () => -20, getEast: () => 20, getSouth: () => 0, getNorth: () => 30}};
    const mask = filters.buildMask(events, read("?types=Battles").filters, null);
    const shown = marks.eventMarks(110, data, view, 30, mask);
    assert.deepEqual(shown.marks.map((m) => m.i), [0, 3, 5]);
    assert.equal(shown.total, 3);
    assert.equal(shown.all, 6);
    const day = marks.eventMarks(104, data, view, 3, mask);
    assert.deepEqual([day.total, day.all], [1, 3]);
    const unfiltered = marks.eventMarks(110, data, view, 30, null);
    assert.deepEqual([unfiltered.total, unfiltered.all], [6, 6]);
    // past the budget of marks: the bubbles count the kept rows only
    const crowded = marks.eventMarks(110, {events, range: [100, 200], maxPoints: 1}, view, 30, mask);
    assert.equal(crowded.crowded, true);
    assert.equal(crowded.marks.reduce((s, m) => s + m.n, 0), 3);
    assert.equal(crowded.marks.reduce((s, m) => s + m.dead, 0), 11);
});

test("weekly bars re-counted under the mask, aligned with the server's bars", () => {
    const events = columns();
    // the weeks of days 100-104 (Monday 95 to 101) and 110 (Monday 109); bars stand on Thursdays
    assert.equal(filters.mondayOf(100), 95);
    assert.equal(filters.mondayOf(102), 102);
    assert.equal(filters.mondayOf(-1), -3); // 1969-12-31, a Wednesday
    const traces = [
        {code: 0, x: [98, 105, 112]}, // Battles: weeks of 95, 102, 109
        {code: 2, x: [105]}, // Violence against civilians: week of 102
    ];
    assert.deepEqual(filters.weeklyCounts(events, null, traces), [[1, 1, 1], [2]]);
    const mask = filters.buildMask(events, read("?countries=Mali").filters, null);
    assert.deepEqual(filters.weeklyCounts(events, mask, traces), [[1, 1, 0], [1]]);
    assert.deepEqual(filters.weeklyCounts(events, mask, []), []);
});

test("the situation panel's request carries only the active filters", () => {
    assert.equal(filters.forServer(filters.emptyFilters()), null);
    assert.deepEqual(filters.forServer(read("?types=Battles&precision=exact&min_fatalities=4&q=Gao").filters),
        {types: ["Battles"], min_fatalities: 4, precision: "exact", q: "Gao"});
});

test("windowCount counts N of M without drawing", () => {
    const events = columns();
    const data = {events, range: [100, 200]};
    const mask = filters.buildMask(events, read("?types=Battles").filters, null);
    assert.deepEqual(marks.windowCount(110, data, 30, mask), {total: 3, all: 6});
    assert.deepEqual(marks.windowCount(104, data, 3, mask), {total: 1, all: 3});
    assert.deepEqual(marks.windowCount(104, data, null, null), {total: 5, all: 5});
});

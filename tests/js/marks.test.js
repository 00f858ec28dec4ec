"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const marks = require("../../assets/atlas/marks.js");

/* Events as the page holds them: sorted columns (start ascending). */
function columns(rows) {
    const pick = (k, Kind) => Kind.from(rows.map((r) => r[k]));
    const events = {
        start: pick("start", Int32Array), last: pick("last", Int32Array),
        lat: pick("lat", Float32Array), lon: pick("lon", Float32Array),
        fatalities: pick("toll", Int32Array),
    };
    events.maxDuration = Math.max(0, ...rows.map((r) => r.last - r.start));
    return events;
}

/* 3,000 events over 400 days (a tenth of them lasting 5 days), start ascending, drawn
   from a seeded generator. */
function randomRows(seed) {
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const rows = [];
    for (let k = 0; k < 3000; k++) {
        const start = Math.floor(rand() * 400);
        rows.push({start, last: start + (rand() < 0.1 ? 5 : 0), lat: 10 + rand() * 10, lon: -10 + rand() * 14,
                   toll: Math.floor(rand() * 5) - 1});
    }
    return rows.sort((a, b) => a.start - b.start);
}

const view = (west, south, east, north, zoom = 5) => ({
    zoom,
    bounds: {getWest: () => west, getEast: () => east, getSouth: () => south, getNorth: () => north},
});

test("binary searches on sorted numbers", () => {
    const arr = Int32Array.from([1, 3, 3, 5]);
    assert.equal(marks.lowerBound(arr, 3), 1);
    assert.equal(marks.upperBound(arr, 3), 3);
    assert.equal(marks.lowerBound(arr, 0), 0);
    assert.equal(marks.upperBound(arr, 9), 4);
});

test("the window holds the events that overlap it, long ones included", () => {
    const events = columns([
        {start: 90, last: 120, lat: 16, lon: -3, toll: 1}, // a month-long event
        {start: 100, last: 100, lat: 16, lon: -3, toll: 2},
        {start: 110, last: 110, lat: 16, lon: -3, toll: -1},
        {start: 130, last: 130, lat: 16, lon: -3, toll: 0},
    ]);
    assert.deepEqual(marks.eventsInWindow(events, 111, 125), [0]);
    assert.deepEqual(marks.eventsInWindow(events, 100, 110), [0, 1, 2]);
    assert.deepEqual(marks.eventsInWindow(events, 131, 140), []);
});

test("eventMarks draws points, newest most opaque, in trailing and cumulative windows", () => {
    const events = columns([
        {start: 10, last: 10, lat: 16, lon: -3, toll: 1},
        {start: 100, last: 100, lat: 16, lon: -3, toll: 2},
        {start: 129, last: 129, lat: 16, lon: -3, toll: 3},
    ]);
    const data = {events, range: [10, 200], maxPoints: 100};
    const trailing = marks.eventMarks(129, data, view(-20, 0, 20, 30), 30);
    assert.deepEqual(trailing.marks.map((m) => m.i), [1, 2]);
    assert.equal(trailing.total, 2);
    assert.equal(trailing.marks[1].o, 1);
    assert.ok(trailing.marks[0].o < 0.4);
    const cumulative = marks.eventMarks(129, data, view(-20, 0, 20, 30), null);
    assert.deepEqual(cumulative.marks.map((m) => m.i), [0, 1, 2]);
    assert.equal(cumulative.crowded, false);
});

test("past the budget of marks, exact counts in bubbles", () => {
    const rows = [];
    for (let k = 0; k < 500; k++) {
        rows.push({start: 100 + (k % 10), last: 100 + (k % 10), lat: 14 + (k % 7) * 0.5, lon: -4 + (k % 11) * 0.5, toll: k % 3});
    }
    rows.sort((a, b) => a.start - b.start);
    const data = {events: columns(rows), range: [100, 200], maxPoints: 50};
    const shown = marks.eventMarks(110, data, view(-20, 0, 20, 30, 4), 30);
    assert.equal(shown.crowded, true);
    assert.ok(shown.marks.every((m) => m.n > 0));
    assert.equal(shown.marks.reduce((s, m) => s + m.n, 0), 500);
    assert.equal(shown.marks.reduce((s, m) => s + m.dead, 0), rows.reduce((s, r) => s + r.toll, 0));
    // zoomed in on one corner, few enough in view: points again
    const near = marks.eventMarks(110, data, view(-4.1, 13.9, -3.9, 14.1, 12), 30);
    assert.ok(near.marks.length > 0 && near.marks.every((m) => m.i !== undefined));
});

test("townsOn picks each town's period of the day, else its unknown look", () => {
    const unknown = {ring: "#eee", gap: "#eee", core: "#eee", hover: "?"};
    const towns = [{unknown, periods: [{start: 10, end: 20, ring: "a", gap: "#fff", core: "A", hover: "x"}, {start: 20, end: null, ring: "b", gap: "b", core: "B", hover: "y"}]}];
    assert.deepEqual(marks.townsOn(towns, 5), {ring: ["#eee"], gap: ["#eee"], core: ["#eee"], hover: ["?"]});
    assert.deepEqual(marks.townsOn(towns, 19).core, ["A"]);
    assert.deepEqual(marks.townsOn(towns, 19).gap, ["#fff"]);  // contested: a white gap
    assert.deepEqual(marks.townsOn(towns, 20).core, ["B"]);
    assert.deepEqual(marks.townsOn(towns, 9999).core, ["B"]);
});

test("sizeOf grows with the toll and marks an unknown one", () => {
    assert.equal(marks.sizeOf(-1), 12);
    assert.ok(marks.sizeOf(0) < marks.sizeOf(10));
    assert.equal(marks.sizeOf(100000), 34);
});

test("the cumulative window starts at its chosen day", () => {
    const data = {range: [10, 200]};
    assert.deepEqual(marks.windowOf(129, data, null), [10, 129, 120]);
    assert.deepEqual(marks.windowOf(129, data, null, 100), [100, 129, 30]);
    assert.deepEqual(marks.windowOf(129, data, 7, 100), [123, 129, 7]);
});

test("one pass over a long window: bubbles sum every kept event in view, counts match windowCount", () => {
    // 3,000 random events over 400 days, half of them masked out
    const rows = randomRows(7);
    const events = columns(rows);
    const data = {events, range: [0, 400], maxPoints: 100};
    const mask = Uint8Array.from(rows.map((_, i) => i % 2));
    const shown = view(-6, 12, 0, 18);
    for (const [windowDays, since] of [[null, null], [90, null], [null, 200]]) {
        const out = marks.eventMarks(300, data, shown, windowDays, mask, since);
        // what windowCount says, from the pass just made, and worked out afresh
        const cached = marks.windowCount(300, data, windowDays, mask, since);
        const fresh = marks.windowCount(300, {...data}, windowDays, mask, since);
        assert.deepEqual(cached, fresh);
        assert.equal(out.total, fresh.total);
        const first = windowDays === null ? (since === null ? 0 : since) : 300 - windowDays + 1;
        const b = shown.bounds;
        const dx = (b.getEast() - b.getWest()) * 0.2;
        const dy = (b.getNorth() - b.getSouth()) * 0.2;
        const inView = rows.filter((r, i) => mask[i] && r.start <= 300 && r.last >= first
            && r.lon >= b.getWest() - dx && r.lon <= b.getEast() + dx
            && r.lat >= b.getSouth() - dy && r.lat <= b.getNorth() + dy);
        assert.ok(out.crowded && inView.length > 100);
        assert.equal(out.marks.reduce((s, m) => s + m.n, 0), inView.length);
        assert.equal(out.marks.reduce((s, m) => s + m.dead, 0),
            inView.reduce((s, r) => s + Math.max(r.toll, 0), 0));
    }
});

test("a cumulative window carried from step to step draws what a fresh reading draws", () => {
    const rows = randomRows(11);
    const data = {events: columns(rows), range: [0, 400], maxPoints: 100};
    const mask = Uint8Array.from(rows.map((_, i) => i % 3 === 0 ? 0 : 1));
    const wide = view(-6, 12, 0, 18);
    const near = view(-4, 14, -3, 15, 9);
    // forward, back, a jump, another view, another mask, a start day, the budget crossed
    const path = [[20, wide, null], [21, wide, null], [60, wide, null], [59, wide, null],
                  [120, wide, mask], [121, near, mask], [122, near, mask], [300, wide, null],
                  [301, wide, null, 250], [399, wide, null, 250]];
    for (const [day, shown, keep, since] of path) {
        const carried = marks.eventMarks(day, data, shown, null, keep, since);
        const fresh = marks.eventMarks(day, {...data}, shown, null, keep, since); // a new data set: read afresh
        assert.deepEqual(carried, fresh, `day ${day}`);
    }
});

test("a step forward in a cumulative window reads only the days it adds", () => {
    const rows = [];
    for (let k = 0; k < 2000; k++) {
        rows.push({start: Math.floor(k / 10), last: Math.floor(k / 10), lat: 15, lon: -3 + (k % 7) * 0.1, toll: 1});
    }
    const events = columns(rows);
    let reads = 0;
    const last = events.last;
    events.last = new Proxy(last, {get: (target, key) => {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
    }});
    const data = {events, range: [0, 199], maxPoints: 50};
    const shown = view(-6, 12, 0, 18);
    marks.eventMarks(150, data, shown, null, null);
    reads = 0;
    const out = marks.eventMarks(151, data, shown, null, null);
    assert.ok(out.crowded && out.total === 1520);
    assert.equal(reads, 10); // the ten events of day 151
});

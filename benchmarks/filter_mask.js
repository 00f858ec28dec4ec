// Time what a filter change costs the browser's filter code at scale, in Node:
// filters.buildMask (once per change), marks.eventMarks through the mask (each step) and
// filters.weeklyCounts (the timeline's bars, once per change), on synthetic columns.
// Usage: node benchmarks/filter_mask.js [rows ...]   (default 100000 1000000)
"use strict";
const filters = require("../assets/atlas/filters.js");
const marks = require("../assets/atlas/marks.js");

function synthetic(n) {
    // Events spread over 2007-2025 (days 13514-20454), sorted by day, codes drawn at random.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const events = {
        start: new Int32Array(n), last: new Int32Array(n), lat: new Float32Array(n), lon: new Float32Array(n),
        fatalities: new Int32Array(n), geo: new Uint8Array(n), time: new Uint8Array(n),
        type: new Uint8Array(n), subtype: new Uint8Array(n), group1: new Uint16Array(n), group2: new Uint16Array(n),
        country: new Uint16Array(n), admin1: new Uint16Array(n),
    };
    for (let i = 0; i < n; i++) {
        events.start[i] = events.last[i] = 13514 + Math.floor((6940 * i) / n);
        events.lat[i] = 12 + 10 * rand();
        events.lon[i] = -8 + 14 * rand();
        events.fatalities[i] = rand() < 0.1 ? -1 : Math.floor(rand() * 20);
        events.geo[i] = 1 + Math.floor(rand() * 3);
        events.time[i] = rand() < 0.8 ? 1 : 2;
        events.type[i] = Math.floor(rand() * 6);
        events.subtype[i] = Math.floor(rand() * 24);
        events.group1[i] = Math.floor(rand() * 40);
        events.group2[i] = Math.floor(rand() * 40);
        events.country[i] = Math.floor(rand() * 4);
        events.admin1[i] = Math.floor(rand() * 60);
    }
    const names = (k, p) => Array.from({length: k}, (_, j) => p + j);
    events.count = n;
    events.maxDuration = 0;
    events.labels = {type: names(6, "type"), subtype: names(24, "sub"), group: names(40, "g"),
                     country: names(4, "c"), admin1: names(60, "a")};
    return events;
}

/* The median time of `repeat` runs in ms, after one to warm up (the machine is shared:
   the median is steadier than the mean). */
function ms(fn, repeat) {
    fn();
    const times = [];
    for (let k = 0; k < repeat; k++) {
        const t0 = process.hrtime.bigint();
        fn();
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times.sort((a, b) => a - b)[Math.floor(repeat / 2)];
}

for (const n of (process.argv.slice(2).length ? process.argv.slice(2) : ["100000", "1000000"]).map(Number)) {
    const events = synthetic(n);
    for (const search of ["?types=type0", "?types=type0,type2&groups=g3,g7&min_fatalities=1&precision=exact"]) {
        const asked = filters.readFilters(search, events.labels).filters;
        let mask = null;
        const build = ms(() => { mask = filters.buildMask(events, asked, null); }, 11);
        const kept = mask.reduce((s, v) => s + v, 0);
        const data = {events, range: [13514, 20454], maxPoints: 2000};
        const view = {zoom: 5, bounds: {getWest: () => -12, getEast: () => 10, getSouth: () => 8, getNorth: () => 26}};
        const step = ms(() => marks.eventMarks(15716, data, view, 30, mask), 51);
        const cumulative = ms(() => marks.eventMarks(20454, data, view, null, mask), 11);
        const mondays = new Set();
        for (let i = 0; i < n; i++) { mondays.add(filters.mondayOf(events.start[i]) + 3); }
        const traces = events.labels.type.map((_, code) => ({code, x: Array.from(mondays).sort((a, b) => a - b)}));
        const weekly = ms(() => filters.weeklyCounts(events, mask, traces), 11);
        console.log(`${search}: ${n} rows (${kept} kept): buildMask ${build.toFixed(1)} ms, weeklyCounts ${weekly.toFixed(1)} ms; `
            + `eventMarks through the mask: 30-day step ${step.toFixed(2)} ms, cumulative ${cumulative.toFixed(1)} ms`);
    }
}

/*
 * Sahel Atlas, what the event layer draws: the window's events found by binary search on
 * the sorted columns, their opacity, the aggregate bubbles past the budget of marks, and
 * the town colours of a day.
 *
 * Owns: upperBound, lowerBound, eventsInWindow, opacityOf, windowOf, eventMarks (which
 * keeps the last cumulative windows it read, so that a step forward reads only the days it
 * adds), windowCount, townsOn, sizeOf. No DOM; unit-tested by tests/js/marks.test.js with
 * node --test.
 */
(function (root) {
    "use strict";

    /* First index i with arr[i] > x (upper bound), for sorted numbers. */
    function upperBound(arr, x) {
        let lo = 0;
        let hi = arr.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (arr[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    function lowerBound(arr, x) {
        let lo = 0;
        let hi = arr.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (arr[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /* Indices of the events that overlap [first, last], found by binary search. */
    function eventsInWindow(events, first, last) {
        const from = lowerBound(events.start, first - events.maxDuration);
        const to = upperBound(events.start, last);
        const found = [];
        for (let i = from; i < to; i++) {
            if (events.last[i] >= first) {
                found.push(i);
            }
        }
        return found;
    }

    function opacityOf(eventDay, day, windowDays) {
        const age = Math.max(day - eventDay, 0);
        return Math.max(1 - (0.7 * age) / Math.max(windowDays - 1, 1), 0.3);
    }

    /* The window that ends on `day`: [first, last, length] in days. `windowDays` null
       is the cumulative window, from `since` (a day) or else the first day of the data. */
    function windowOf(day, data, windowDays, since) {
        if (windowDays === null) {
            const first = since === null || since === undefined ? data.range[0] : since;
            return [first, day, Math.max(day - first + 1, 1)];
        }
        return [day - windowDays + 1, day, windowDays];
    }

    /* What the event layer draws for the window ending on `day`: {marks, total, all,
       crowded}, where `total` counts the window's events the filters keep and `all` every
       event of the window. `mask` (a Uint8Array over the rows, see filters.buildMask, or
       null for every row) says which rows the filters keep; the others are skipped. A mark is {i, o} for an event (its index, its opacity), or {n, dead, lon, lat, r}
       for an aggregate bubble; marks run oldest first so the newest are drawn on top.
       When more than maxPoints events are in the window, only those in view (with a
       margin) are drawn if they are few enough; otherwise bubbles on a grid about 40 px
       wide at this zoom, with exact counts. No array of the window's indices is built:
       the events of the window are a run of the sorted columns, read in place. */
    /* The counts of the window eventMarks read last (windowCount answers from them). */
    let counted = null;
    /* Cells of the bubbles' grid past which a view is too wide to grid (a view of the
       whole world at a high zoom cannot happen: MapLibre bounds its zoom by its size). */
    const GRID_CELLS_MAX = 1 << 20;
    /* The last cumulative windows read (two: the map's and the compared day's), kept so
       that a step forward reads only the days it adds. */
    const RUNS_KEPT = 2;
    let runs = [];

    /* A window's reading, from row `from` on: its counts, the rows in view (up to `max`),
       the rows kept (while no more than `max`) and the bubbles' grid over the view. */
    function newRun(data, first, from, keep, box, max, rowsEnd) {
        const cols = Math.floor(box.east / box.cell) - Math.floor(box.west / box.cell) + 1;
        const rows = Math.floor(box.north / box.cell) - Math.floor(box.south / box.cell) + 1;
        // a grid only when the window may be crowded: more rows than the budget
        const grid = rowsEnd - from > max && cols * rows <= GRID_CELLS_MAX;
        return {
            data: data, first: first, from: from, to: from, keep: keep, box: box, max: max,
            gx0: Math.floor(box.west / box.cell), gy0: Math.floor(box.south / box.cell),
            cols: cols, grid: grid,
            n: grid ? new Uint32Array(cols * rows) : null,
            sumLat: grid ? new Float64Array(cols * rows) : null,
            sumLon: grid ? new Float64Array(cols * rows) : null,
            dead: grid ? new Float64Array(cols * rows) : null,
            all: 0, total: 0, inView: 0, picked: [], kept: [],
        };
    }

    /* Read rows run.to to `to` into `run` (one pass; a window of any length is read in
       place, no array of its indices is built). */
    function readInto(run, to) {
        const events = run.data.events;
        const last = events.last;
        const lon = events.lon;
        const lat = events.lat;
        const toll = events.fatalities;
        const keep = run.keep;
        const first = run.first;
        const box = run.box;
        const max = run.max;
        for (let i = run.to; i < to; i++) {
            if (last[i] < first) {
                continue;
            }
            run.all++;
            if (keep !== null && !keep[i]) {
                continue;
            }
            run.total++;
            if (run.total <= max) {
                run.kept.push(i);
            }
            const x = lon[i];
            const y = lat[i];
            if (x >= box.west && x <= box.east && y >= box.south && y <= box.north) {
                run.inView++;
                if (run.inView <= max) {
                    run.picked.push(i);
                }
                if (run.grid) {
                    const k = (Math.floor(y / box.cell) - run.gy0) * run.cols + (Math.floor(x / box.cell) - run.gx0);
                    run.n[k] += 1;
                    run.sumLat[k] += y;
                    run.sumLon[k] += x;
                    if (toll[i] > 0) {
                        run.dead[k] += toll[i];
                    }
                }
            }
        }
        run.to = to;
    }

    function sameBox(a, b) {
        return a.west === b.west && a.east === b.east && a.south === b.south && a.north === b.north
            && a.cell === b.cell;
    }

    /* The reading of rows [from, to) of a window from `first`: a kept cumulative one
       carried forward when a step has only added days (a step of a cumulative window
       reads the days it adds, not the 750,000 events before them), else a new one. */
    function runOf(data, first, from, to, keep, box, max, cumulative) {
        if (cumulative) {
            const kept = runs.find(function (r) {
                return r.data === data && r.first === first && r.from === from && r.keep === keep
                    && r.max === max && r.to <= to && sameBox(r.box, box)
                    && (r.grid || to - from <= max); // a grid is needed now but was not then
            });
            if (kept) {
                readInto(kept, to);
                runs = [kept].concat(runs.filter(function (r) { return r !== kept; }));
                return kept;
            }
        }
        const run = newRun(data, first, from, keep, box, max, to);
        readInto(run, to);
        if (cumulative) {
            runs = [run].concat(runs).slice(0, RUNS_KEPT);
        }
        return run;
    }

    /* What the event layer draws for the window ending on `day`: {marks, total, all,
       crowded}, where `total` counts the window's events the filters keep and `all` every
       event of the window. `mask` (a Uint8Array over the rows, see filters.buildMask, or
       null for every row) says which rows the filters keep; the others are skipped. A
       mark is {i, o} for an event (its index, its opacity), or {n, dead, lon, lat, r} for
       an aggregate bubble; marks run oldest first so the newest are drawn on top. When
       more than maxPoints events are in the window, only those in view (with a margin)
       are drawn if they are few enough; otherwise bubbles on a grid about 40 px wide at
       this zoom, with exact counts. */
    function eventMarks(day, data, view, windowDays, mask, since) {
        const events = data.events;
        const w = windowOf(day, data, windowDays, since);
        const first = w[0];
        const span = w[2];
        const from = lowerBound(events.start, first - events.maxDuration);
        const to = upperBound(events.start, day);
        const b = view.bounds;
        const dx = (b.getEast() - b.getWest()) * 0.2;
        const dy = (b.getNorth() - b.getSouth()) * 0.2;
        const box = {west: b.getWest() - dx, east: b.getEast() + dx, south: b.getSouth() - dy,
                     north: b.getNorth() + dy, cell: 56 / Math.pow(2, view.zoom)};
        const max = data.maxPoints;
        const keep = mask || null;
        const run = runOf(data, first, from, to, keep, box, max, windowDays === null);
        counted = {day: day, data: data, windowDays: windowDays, mask: keep, since: since, all: run.all, total: run.total};
        const last = events.last;
        const point = function (i) {
            return {i: i, o: opacityOf(Math.min(last[i], day), day, span)};
        };
        if (run.total <= max) {
            return {marks: run.kept.map(point), total: run.total, all: run.all, crowded: false};
        }
        if (run.inView <= max || !run.grid) {
            return {marks: run.picked.map(point), total: run.total, all: run.all, crowded: true};
        }
        const marks = [];
        for (let k = 0; k < run.n.length; k++) {
            if (run.n[k]) {
                marks.push({n: run.n[k], dead: run.dead[k], lon: run.sumLon[k] / run.n[k],
                            lat: run.sumLat[k] / run.n[k], r: Math.min(6 + 2 * Math.sqrt(run.n[k]), 30)});
            }
        }
        return {marks: marks, total: run.total, all: run.all, crowded: true};
    }

    /* How many events the window ending on `day` holds: {total} that `mask` keeps (null:
       every row) of {all}. A run of the sorted columns, read in place. */
    function windowCount(day, data, windowDays, mask, since) {
        const c = counted;
        if (c && c.day === day && c.data === data && c.windowDays === windowDays
                && c.mask === (mask || null) && c.since === since) {
            return {total: c.total, all: c.all}; // eventMarks has just counted this window
        }
        const events = data.events;
        const first = windowOf(day, data, windowDays, since)[0];
        const from = lowerBound(events.start, first - events.maxDuration);
        const to = upperBound(events.start, day);
        const last = events.last;
        let all = 0;
        let total = 0;
        for (let i = from; i < to; i++) {
            if (last[i] >= first) {
                all++;
                if (!mask || mask[i]) {
                    total++;
                }
            }
        }
        return {total: total, all: all};
    }

    /* The control period of a town on `day` (its look), or its look when unknown. */
    function periodOf(town, day) {
        for (const p of town.periods) {
            if (p.start <= day && (p.end === null || day < p.end)) {
                return p;
            }
        }
        return town.unknown;
    }

    function townsOn(towns, day) {
        const out = {ring: [], gap: [], core: [], hover: []};
        for (const town of towns) {
            const m = periodOf(town, day);
            out.ring.push(m.ring);
            out.gap.push(m.gap);
            out.core.push(m.core);
            out.hover.push(m.hover);
        }
        return out;
    }

    /* Marker diameter of an event in px: grows with the square root of its toll (as
       figures.event_size does); an unknown toll (-1) gets a middle size and a ring. */
    function sizeOf(fatalities) {
        return fatalities < 0 ? 12 : Math.round(Math.min(7 + 2.6 * Math.sqrt(fatalities), 34) * 10) / 10;
    }

    const api = {upperBound: upperBound, lowerBound: lowerBound, eventsInWindow: eventsInWindow, opacityOf: opacityOf, windowOf: windowOf, eventMarks: eventMarks, windowCount: windowCount, townsOn: townsOn, periodOf: periodOf, sizeOf: sizeOf};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.marks = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

/*
 * Sahel Atlas, what the event layer draws: the window's events found by binary search on
 * the sorted columns, their opacity, the aggregate bubbles past the budget of marks, and
 * the town colours of a day.
 *
 * Owns: upperBound, lowerBound, eventsInWindow, opacityOf, windowOf, eventMarks,
 * windowCount, townsOn, sizeOf. Pure (no DOM); unit-tested by tests/js/marks.test.js with node --test.
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
        const west = b.getWest() - dx;
        const east = b.getEast() + dx;
        const south = b.getSouth() - dy;
        const north = b.getNorth() + dy;
        const max = data.maxPoints;
        const last = events.last;
        const lon = events.lon;
        const lat = events.lat;
        const toll = events.fatalities;
        const keep = mask || null;
        // A grid over the view and its margin, summed in typed arrays as the window is
        // read (one pass over it, however long), for when there are too many to draw.
        const cell = 56 / Math.pow(2, view.zoom);
        const gx0 = Math.floor(west / cell);
        const gy0 = Math.floor(south / cell);
        const cols = Math.floor(east / cell) - gx0 + 1;
        const rows = Math.floor(north / cell) - gy0 + 1;
        const grid = to - from > max && cols * rows <= GRID_CELLS_MAX; // else never crowded in view
        const n = grid ? new Uint32Array(cols * rows) : null;
        const sumLat = grid ? new Float64Array(cols * rows) : null;
        const sumLon = grid ? new Float64Array(cols * rows) : null;
        const dead = grid ? new Float64Array(cols * rows) : null;
        let all = 0;
        let total = 0;
        let inView = 0;
        let picked = [];
        for (let i = from; i < to; i++) {
            if (last[i] < first) {
                continue;
            }
            all++;
            if (keep !== null && !keep[i]) {
                continue;
            }
            total++;
            const x = lon[i];
            const y = lat[i];
            if (x >= west && x <= east && y >= south && y <= north) {
                inView++;
                if (inView <= max) {
                    picked.push(i);
                }
                if (grid) {
                    const k = (Math.floor(y / cell) - gy0) * cols + (Math.floor(x / cell) - gx0);
                    n[k] += 1;
                    sumLat[k] += y;
                    sumLon[k] += x;
                    if (toll[i] > 0) {
                        dead[k] += toll[i];
                    }
                }
            }
        }
        counted = {day: day, data: data, windowDays: windowDays, mask: keep, since: since, all: all, total: total};
        const point = function (i) {
            return {i: i, o: opacityOf(Math.min(last[i], day), day, span)};
        };
        if (total <= max) {
            picked = [];
            for (let i = from; i < to; i++) {
                if (last[i] >= first && (keep === null || keep[i])) {
                    picked.push(i);
                }
            }
            return {marks: picked.map(point), total: total, all: all, crowded: false};
        }
        if (inView <= max || !grid) {
            return {marks: picked.map(point), total: total, all: all, crowded: true};
        }
        const marks = [];
        for (let k = 0; k < n.length; k++) {
            if (n[k]) {
                marks.push({n: n[k], dead: dead[k], lon: sumLon[k] / n[k], lat: sumLat[k] / n[k],
                            r: Math.min(6 + 2 * Math.sqrt(n[k]), 30)});
            }
        }
        return {marks: marks, total: total, all: all, crowded: true};
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

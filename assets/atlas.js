/*
 * Sahel Atlas: the date moves here, in the browser.
 *
 * The server sends every event and every control period once (the `atlas-data` store,
 * built by dashboard/figures.py:make_client_data). A date step then only re-fills the
 * small event and town traces of the map through a Dash Patch: the borders, which live
 * in map layers fetched once by URL, are never re-sent. When more events are in view
 * than `maxPoints`, they are drawn as aggregate bubbles on a grid that follows the zoom,
 * so the number of points re-drawn stays small whatever the size of the data.
 */
(function () {
    "use strict";

    const DAY_MS = 86400000;
    const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    function isoOf(day) {
        return new Date(day * DAY_MS).toISOString().slice(0, 10);
    }

    function labelOf(day) {
        const d = new Date(day * DAY_MS);
        return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
    }

    function parseIso(text) {
        const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || "");
        if (!m) {
            return null;
        }
        const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
        // Reject dates such as 2013-02-30 that Date.UTC would roll over.
        return isoOf(t / DAY_MS) === m[1] + "-" + m[2] + "-" + m[3] ? t / DAY_MS : null;
    }

    function addMonths(day, n) {
        const d = new Date(day * DAY_MS);
        const y = d.getUTCFullYear();
        const m = d.getUTCMonth() + n;
        const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
        return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS;
    }

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

    function triggeredId() {
        const ctx = window.dash_clientside.callback_context;
        if (ctx.triggered_id !== undefined && ctx.triggered_id !== null) {
            return ctx.triggered_id;
        }
        const prop = (ctx.triggered && ctx.triggered[0] && ctx.triggered[0].prop_id) || ".";
        return prop === "." ? null : prop.split(".")[0];
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

    function currentZoom(relayout, fallback) {
        return relayout && typeof relayout["map.zoom"] === "number" ? relayout["map.zoom"] : fallback;
    }

    /* Aggregate events on a grid about 40 px wide at the current zoom. */
    function clusters(events, picked, zoom) {
        const cell = 56 / Math.pow(2, zoom);
        const cells = new Map();
        for (const i of picked) {
            const key = Math.floor(events.lat[i] / cell) + ":" + Math.floor(events.lon[i] / cell);
            let c = cells.get(key);
            if (!c) {
                c = {n: 0, lat: 0, lon: 0, dead: 0};
                cells.set(key, c);
            }
            c.n += 1;
            c.lat += events.lat[i];
            c.lon += events.lon[i];
            c.dead += events.fatalities[i];
        }
        const out = {lat: [], lon: [], size: [], text: [], hover: []};
        for (const c of cells.values()) {
            out.lat.push(c.lat / c.n);
            out.lon.push(c.lon / c.n);
            out.size.push(Math.min(12 + 4 * Math.sqrt(c.n), 60));
            out.text.push(String(c.n));
            out.hover.push(c.n + " events, " + c.dead + " reported killed<br>zoom in or narrow the window for points");
        }
        return out;
    }

    function townsOn(towns, day) {
        const out = {ring: [], core: [], label: [], hover: []};
        for (const town of towns) {
            let m = town.unknown;
            for (const p of town.periods) {
                if (p.start <= day && (p.end === null || day < p.end)) {
                    m = p;
                    break;
                }
            }
            out.ring.push(m.ring);
            out.core.push(m.core);
            out.label.push(m.label);
            out.hover.push(m.hover);
        }
        return out;
    }

    // Slider tooltips show the day as a date, not as its day number.
    window.dccFunctions = window.dccFunctions || {};
    window.dccFunctions.epochDayToIso = isoOf;

    const ns = (window.dash_clientside = window.dash_clientside || {});
    ns.sahelAtlas = {
        isoOf: isoOf,
        parseIso: parseIso,
        eventsInWindow: eventsInWindow,

        updateDay: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc, _tick, click, current, data) {
            const noUpdate = window.dash_clientside.no_update;
            const trigger = triggeredId();
            const min = data.range[0];
            const max = data.range[1];
            let day = typeof current === "number" ? current : min;
            let inputClass = "date-input";
            let stop = noUpdate;
            switch (trigger) {
                case null:
                case "url": {
                    const asked = new URLSearchParams(search || window.location.search).get("date");
                    const parsed = asked ? parseIso(asked) : null;
                    if (parsed !== null) {
                        day = parsed;
                    }
                    break;
                }
                case "date-slider":
                    day = slider;
                    break;
                case "date-input": {
                    const parsed = parseIso(typed);
                    if (parsed === null) {
                        return [noUpdate, noUpdate, noUpdate, "date-input invalid", noUpdate, noUpdate];
                    }
                    day = parsed;
                    break;
                }
                case "step-back-month":
                    day = addMonths(day, -1);
                    break;
                case "step-back-day":
                    day -= 1;
                    break;
                case "step-forward-day":
                    day += 1;
                    break;
                case "step-forward-month":
                    day = addMonths(day, 1);
                    break;
                case "previous-change": {
                    const i = lowerBound(data.changes, day);
                    day = i > 0 ? data.changes[i - 1] : day;
                    break;
                }
                case "next-change": {
                    const i = upperBound(data.changes, day);
                    day = i < data.changes.length ? data.changes[i] : day;
                    break;
                }
                case "play-timer":
                    day += 1;
                    if (day >= max) {
                        stop = true;
                    }
                    break;
                case "timeline": {
                    const point = click && click.points && click.points[0];
                    const parsed = point ? parseIso(String(point.customdata || "").slice(0, 10)) : null;
                    if (parsed === null) {
                        return [noUpdate, noUpdate, noUpdate, noUpdate, noUpdate, noUpdate];
                    }
                    day = parsed;
                    break;
                }
                default:
                    break;
            }
            day = Math.min(Math.max(day, min), max);
            const iso = isoOf(day);
            const params = new URLSearchParams(window.location.search);
            if (params.get("date") !== iso) {
                params.set("date", iso);
                window.history.replaceState(window.history.state, "", "?" + params.toString());
            }
            return [day, day, iso, inputClass, labelOf(day), stop];
        },

        updateMap: function (day, relayout, data) {
            const noUpdate = window.dash_clientside.no_update;
            const trigger = triggeredId();
            const events = data.events;
            const t = data.traces;
            const first = day - data.windowDays + 1;
            const picked = eventsInWindow(events, first, day);
            const crowded = picked.length > data.maxPoints;
            if (trigger === "map" && !crowded && !ns.sahelAtlas._clustered) {
                return noUpdate; // a pan or zoom only matters when bubbles follow the grid
            }
            ns.sahelAtlas._clustered = crowded;
            const patch = new window.dash_clientside.Patch();
            const known = {lat: [], lon: [], id: [], hover: [], color: [], size: [], opacity: []};
            const unknown = {lat: [], lon: [], id: [], hover: [], color: [], opacity: []};
            let bubbles = {lat: [], lon: [], size: [], text: [], hover: []};
            if (crowded) {
                bubbles = clusters(events, picked, currentZoom(relayout, 3.6));
            } else {
                for (let k = picked.length - 1; k >= 0; k--) {
                    const i = picked[k];
                    const into = events.known[i] ? known : unknown;
                    into.lat.push(events.lat[i]);
                    into.lon.push(events.lon[i]);
                    into.id.push(events.id[i]);
                    into.hover.push(events.hover[i]);
                    into.color.push(events.color[i]);
                    into.opacity.push(opacityOf(Math.min(events.last[i], day), day, data.windowDays));
                    if (events.known[i]) {
                        known.size.push(events.size[i]);
                    }
                }
            }
            const set = function (trace, values) {
                for (const key of Object.keys(values)) {
                    patch.assign(["data", trace].concat(key.split(".")), values[key]);
                }
            };
            set(t.events, {
                lat: known.lat, lon: known.lon, customdata: known.id, hovertext: known.hover,
                "marker.color": known.color, "marker.size": known.size, "marker.opacity": known.opacity,
            });
            set(t["events-unknown-ring"], {
                lat: unknown.lat, lon: unknown.lon, customdata: unknown.id, hovertext: unknown.hover,
                "marker.color": unknown.color, "marker.opacity": unknown.opacity,
            });
            set(t["events-unknown-core"], {
                lat: unknown.lat, lon: unknown.lon, customdata: unknown.id, "marker.opacity": unknown.opacity,
            });
            set(t.clusters, {
                lat: bubbles.lat, lon: bubbles.lon, text: bubbles.text, hovertext: bubbles.hover,
                "marker.size": bubbles.size,
            });
            const towns = townsOn(data.towns, day);
            set(t["town-ring"], {"marker.color": towns.ring, text: towns.label});
            set(t["town-core"], {"marker.color": towns.core, hovertext: towns.hover});
            return patch.build();
        },

        updateTimelineCursor: function (day) {
            const iso = isoOf(day);
            return new window.dash_clientside.Patch()
                .assign(["layout", "shapes", 0, "x0"], iso)
                .assign(["layout", "shapes", 0, "x1"], iso)
                .build();
        },

        togglePlay: function (_clicks, speed, disabled, day, data) {
            const trigger = triggeredId();
            let off = disabled;
            if (trigger === "play") {
                off = !disabled;
            }
            const atEnd = day >= data.range[1];
            if (!off && atEnd && trigger === "play") {
                off = true;
            }
            return [off, speed, off ? "▶ Play" : "❚❚ Pause"];
        },
    };
})();

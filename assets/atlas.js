/*
 * Sahel Atlas: the date moves here, in the browser.
 *
 * The server sends every event and every control period once, as a static JSON file
 * (built by dashboard/figures.py:make_client_data, its URL in the `atlas-data` store) that
 * this script fetches on first use and keeps; Dash callbacks never carry it. A date step then only re-fills the
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
        const out = {ring: [], core: [], hover: []};
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
            out.hover.push(m.hover);
        }
        return out;
    }

    /* The events and control periods, fetched once per page and shared by every callback. */
    const fetched = {};
    const loaded = {};
    function atlasData(url) {
        if (!fetched[url]) {
            fetched[url] = fetch(url).then(function (response) {
                if (!response.ok) {
                    throw new Error("Sahel Atlas: cannot load " + url + " (" + response.status + ")");
                }
                return response.json();
            }).then(function (data) {
                loaded[url] = data;
                return data;
            });
        }
        return fetched[url];
    }

    /* Run fn(data) at once when the data is here (so fast steps keep their order), or
       once it has arrived (a Promise, which Dash waits for) on the page's first call. */
    function withData(source, fn) {
        const data = loaded[source.url];
        return data ? fn(data) : atlasData(source.url).then(fn);
    }

    // Slider tooltips show the day as a date, not as its day number.
    window.dccFunctions = window.dccFunctions || {};
    window.dccFunctions.epochDayToIso = isoOf;

    /* The day asked for by whatever moved: a URL, the slider, the typed date, a button,
       the player or a click on the timeline. Returns null when the input is not a date. */
    function dayAsked(prop, values, current, data) {
        switch (prop) {
            case null:
            case "url.search": {
                const asked = new URLSearchParams(values.search || window.location.search).get("date");
                const parsed = asked ? parseIso(asked) : null;
                return parsed === null ? current : parsed;
            }
            case "date-slider.value":
                return values.slider;
            case "date-input.value":
                return parseIso(values.typed);
            case "step-back-month.n_clicks":
                return addMonths(current, -1);
            case "step-back-day.n_clicks":
                return current - 1;
            case "step-forward-day.n_clicks":
                return current + 1;
            case "step-forward-month.n_clicks":
                return addMonths(current, 1);
            case "previous-change.n_clicks": {
                const i = lowerBound(data.changes, current);
                return i > 0 ? data.changes[i - 1] : current;
            }
            case "next-change.n_clicks": {
                const i = upperBound(data.changes, current);
                return i < data.changes.length ? data.changes[i] : current;
            }
            case "play-timer.n_intervals":
                return current + 1;
            case "timeline.clickData": {
                const point = values.click && values.click.points && values.click.points[0];
                return point ? parseIso(String(point.customdata || "").slice(0, 10)) : null;
            }
            default:
                return current;
        }
    }

    /* What set this call off: the one input that moves the day if there is one (Dash can
       batch several, e.g. a timeline click with its relayout), else a pan or zoom. */
    function triggeredProp() {
        const ctx = window.dash_clientside.callback_context;
        const props = (ctx.triggered || []).map(function (t) { return t.prop_id; }).filter(function (p) {
            return p && p !== ".";
        });
        const mover = props.find(function (p) { return !p.endsWith(".relayoutData"); });
        return mover || props[0] || null;
    }

    /* A Patch that re-fills only the event and town traces of the map for one day. */
    function mapPatch(day, relayout, data) {
        const events = data.events;
        const t = data.traces;
        const picked = eventsInWindow(events, day - data.windowDays + 1, day);
        const crowded = picked.length > data.maxPoints;
        state.clustered = crowded;
        const patch = new window.dash_clientside.Patch();
        const known = {lat: [], lon: [], id: [], hover: [], color: [], size: [], opacity: []};
        const unknown = {lat: [], lon: [], id: [], hover: [], color: [], opacity: []};
        let bubbles = {lat: [], lon: [], size: [], text: [], hover: []};
        if (crowded) {
            bubbles = clusters(events, picked, currentZoom(relayout, data.zoom));
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
        const townsKey = towns.hover.join("|");
        if (townsKey !== state.townsKey) {
            // control changes on few days: most steps leave the town traces alone
            state.townsKey = townsKey;
            set(t["town-ring"], {"marker.color": towns.ring});
            set(t["town-core"], {"marker.color": towns.core, hovertext: towns.hover});
        }
        return patch.build();
    }

    /* Where the timeline's cursor line goes (an HTML line: re-laying out the figure for
       it would cost tens of milliseconds a step). */
    function cursorStyle(day) {
        const gd = document.querySelector("#timeline .js-plotly-plot");
        const layout = gd && gd._fullLayout;
        const xa = layout && layout.xaxis;
        if (!xa || !xa.l2p) {
            return {display: "none"}; // not drawn yet: its first relayout event calls again
        }
        const x = xa._offset + xa.l2p(day * DAY_MS);
        const inside = x >= xa._offset && x <= xa._offset + xa._length;
        return {
            display: inside ? "block" : "none",
            left: x + "px",
            top: layout._size.t + "px",
            height: layout._size.h + "px",
        };
    }

    /* What this page has drawn, so that a pan or an unchanged town costs nothing. */
    const state = {clustered: false, townsKey: null};

    const ns = (window.dash_clientside = window.dash_clientside || {});
    ns.sahelAtlas = {
        isoOf: isoOf,
        parseIso: parseIso,
        eventsInWindow: eventsInWindow,

        /* One callback moves the whole view, so a step is one trip through Dash. */
        updateView: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc, _tick,
                               click, mapRelayout, _timelineRelayout, current, source) {
            const prop = triggeredProp(); // read now: Dash clears it when this call returns
            return withData(source, function (data) {
                return view(prop, search, slider, typed, click, mapRelayout, current, data);
            });
        },

        togglePlay: function (_clicks, speed, disabled, day, source) {
            const prop = triggeredProp();
            return withData(source, function (data) {
                let off = prop === "play.n_clicks" ? !disabled : disabled;
                if (!off && prop === "play.n_clicks" && day >= data.range[1]) {
                    off = true; // at the end already: nothing to play
                }
                return [off, speed, off ? "▶ Play" : "❚❚ Pause"];
            });
        },
    };

    /* The outputs of updateView for one trigger, once the data is here. */
    function view(prop, search, slider, typed, click, mapRelayout, current, data) {
        const no = window.dash_clientside.no_update;
        const min = data.range[0];
        const max = data.range[1];
        const before = typeof current === "number" ? current : min;
        if (prop && prop.endsWith(".relayoutData")) {
            // A pan or zoom: bubbles follow the zoom's grid; the cursor follows the axis.
            const bubbles = state.clustered ? mapPatch(before, mapRelayout, data) : no;
            return [no, no, no, no, no, no, bubbles, cursorStyle(before), no];
        }
        let day = dayAsked(prop, {search: search, slider: slider, typed: typed, click: click}, before, data);
        if (day === null) {
            const cls = prop === "date-input.value" ? "date-input invalid" : no;
            return [no, no, no, cls, no, no, no, no, no];
        }
        day = Math.min(Math.max(day, min), max);
        const stop = prop === "play-timer.n_intervals" && day >= max ? true : no;
        const iso = isoOf(day);
        const params = new URLSearchParams(window.location.search);
        if (params.get("date") !== iso) {
            params.set("date", iso);
            window.history.replaceState(window.history.state, "", "?" + params.toString());
        }
        return [
            day, day, iso, "date-input", labelOf(day), stop,
            mapPatch(day, mapRelayout, data), cursorStyle(day), labelOf(day),
        ];
    }
})();

/*
 * Sahel Atlas: the date moves here, in the browser. This file wires the Dash callbacks
 * (the `sahelAtlas` clientside namespace) and loads the data; the work is done by the
 * modules under assets/atlas/ (window.SahelAtlas.*), each opening with what it owns:
 * columns (the binary event columns), dates, marks (what the event layer draws),
 * viewstate (the day and window asked for), filters (the filter state, its URL and row
 * mask), layer (the canvas over the map) and timeline.
 *
 * The server sends every event and every control period once, as a static JSON file
 * (built by dashboard/figures.py:make_client_data, its URL in the `atlas-data` store) that
 * this script fetches on first use and keeps; Dash callbacks never carry it.
 *
 * A date step repaints the window's events on a 2D canvas of our own laid over the map
 * and, on the days when control changes, patches the three town traces through Dash. The
 * borders and names live in the map style, fetched and laid out once; the WebGL map is
 * not redrawn by a step unless a town changes hands. When more events are in view than
 * `maxPoints`, they are drawn as aggregate bubbles on a grid that follows the zoom, so
 * the number of circles drawn stays small whatever the size of the data.
 */
(function () {
    "use strict";

    function fetchOk(url, read) {
        return fetch(url).then(function (response) {
            if (!response.ok) {
                throw new Error("Sahel Atlas: cannot load " + url + " (" + response.status + ")");
            }
            return read(response);
        });
    }

    /* The modules under assets/atlas/ (Dash loads them after this file: look them up
       when called). */
    function A() {
        return window.SahelAtlas;
    }

    /* The events and control periods, fetched once per page and shared by every callback:
       a small JSON document, then the event columns as one binary buffer (typed arrays
       over it, see assets/atlas/columns.js), which the browser may cache for good. */
    const fetched = {};
    const loaded = {};
    function atlasData(url) {
        if (!fetched[url]) {
            fetched[url] = fetchOk(url, function (r) { return r.json(); }).then(function (data) {
                return fetchOk(data.eventsUrl, function (r) { return r.arrayBuffer(); }).then(function (buffer) {
                    const decoded = A().columns.decodeEvents(buffer);
                    const events = decoded.columns;
                    events.count = decoded.count;
                    events.maxDuration = data.maxDuration;
                    events.labels = decoded.dictionaries;
                    data.events = events;
                    // colour of each type code, looked up once rather than per mark
                    data.typeColorList = decoded.dictionaries.type.map(function (t) { return data.typeColors[t]; });
                    loaded[url] = data;
                    return data;
                });
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
    window.dccFunctions.epochDayToIso = function (day) { return A().dates.isoOf(day); };

    /* What set this call off: the one input that moves the day if there is one (Dash can
       batch several, e.g. a timeline click with its relayout), else the timeline's relayout. */
    function triggeredProp() {
        const ctx = window.dash_clientside.callback_context;
        const props = (ctx.triggered || []).map(function (t) { return t.prop_id; }).filter(function (p) {
            return p && p !== ".";
        });
        const mover = props.find(function (p) { return !p.endsWith(".relayoutData"); });
        return mover || props[0] || null;
    }

    /* A Patch of the town markers, or no_update on the many days when no town changed. */
    function townPatch(day, data) {
        const towns = A().marks.townsOn(data.towns, day);
        const key = towns.hover.join("|");
        if (key === state.townsKey) {
            return window.dash_clientside.no_update;
        }
        state.townsKey = key;
        state.patchedDay = day;
        const t = data.traces;
        return new window.dash_clientside.Patch()
            .assign(["data", t["town-ring"], "marker", "color"], towns.ring)
            .assign(["data", t["town-gap"], "marker", "color"], towns.gap)
            .assign(["data", t["town-core"], "marker", "color"], towns.core)
            .assign(["data", t["town-core"], "hovertext"], towns.hover)
            .build();
    }

    /* The town markers this page has drawn, so that an unchanged day costs nothing. */
    const state = {townsKey: null, patchedDay: null, timelineDrawn: false, lastProp: undefined, weeklyKey: ""};

    const ns = (window.dash_clientside = window.dash_clientside || {});
    ns.sahelAtlas = {
        isoOf: function (day) { return A().dates.isoOf(day); },
        parseIso: function (text) { return A().dates.parseIso(text); },
        eventsInWindow: function (events, first, last) { return A().marks.eventsInWindow(events, first, last); },
        /* What the event layer shows now: {id, lon, lat, opacity, known} for an event,
           {bubble, count, lon, lat} for an aggregate. */
        shownEvents: function () {
            const layer = A().layer.state;
            const events = layer.data ? layer.data.events : null;
            return layer.marks.map(function (m) {
                return m.n !== undefined
                    ? {bubble: true, count: m.n, lon: m.lon, lat: m.lat}
                    : {i: m.i, lon: events.lon[m.i], lat: events.lat[m.i], opacity: m.o,
                       known: events.fatalities[m.i] >= 0, precise: events.geo[m.i] === 1 && events.time[m.i] === 1};
            });
        },
        /* The day whose events the layer has painted, and the last day for which the town
           markers were patched (for tests and benchmarks). */
        paintedDay: function () { return A().layer.state.painted; },
        /* The town marker colours of the ISO day `iso` ({ring, core, hover} in trace
           order), or null before the data has loaded. */
        townsOn: function (iso) {
            const layer = A().layer.state;
            return layer.data ? A().marks.townsOn(layer.data.towns, A().dates.parseIso(iso)) : null;
        },
        patchedDay: function () { return state.patchedDay; },

        /* One callback moves the whole view, so a step is one trip through Dash. */
        updateView: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc, _tick,
                               click, _timelineRelayout, windowChoice, groups, types, subtypes,
                               countries, admin1, minFatalities, exact, q, _clear, compareTyped,
                               startTyped, current, source) {
            const prop = triggeredProp(); // read now: Dash clears it when this call returns
            A().layer.state.hoverUrl = source.hoverUrl;
            return withData(source, function (data) {
                const asked = {
                    search: search, slider: slider, typed: typed, click: click, windowChoice: windowChoice,
                    compareTyped: compareTyped, startTyped: startTyped,
                    filters: {groups: groups, types: types, subtypes: subtypes, countries: countries,
                              admin1: admin1, minFatalities: minFatalities, exact: exact, q: q},
                };
                return view(prop, asked, current, data, source);
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

    /* Write the view into the URL: a history entry of its own for a deliberate change,
       the current entry replaced while a drag or the player moves, or when the URL itself
       moved the view (see viewstate.historyMode). */
    function writeUrl(mode, day, windowDays, compareDay, data) {
        const {dates, viewstate, filters, layer} = A();
        const params = new URLSearchParams(window.location.search);
        filters.writeFilters(params, layer.state.filters || filters.emptyFilters());
        params.set("date", dates.isoOf(day));
        if (windowDays === data.windowDays) {
            params.delete("window");
        } else {
            params.set("window", viewstate.windowParam(windowDays));
        }
        const since = A().layer.state.since;
        if (windowDays === null && since !== null && since !== undefined) {
            params.set("start", dates.isoOf(since));
        } else {
            params.delete("start");
        }
        if (compareDay === null || compareDay === undefined) {
            params.delete("compare");
        } else {
            params.set("compare", dates.isoOf(compareDay));
        }
        const search = "?" + params.toString();
        if (search === window.location.search) {
            return;
        }
        if (mode === "push") {
            window.history.pushState(window.history.state, "", search);
        } else {
            window.history.replaceState(window.history.state, "", search);
        }
    }

    /* The rows whose notes hold the words of a search, asked of the server once per
       search (the notes are not in the browser's payload). */
    const searches = new Map();
    function notesRows(source, q) {
        if (!searches.has(q)) {
            searches.set(q, fetchOk(source.searchUrl + "?q=" + encodeURIComponent(q), function (r) {
                return r.arrayBuffer();
            }).then(function (buffer) {
                return new Int32Array(buffer); // little-endian, as every browser we serve
            }, function (err) {
                searches.delete(q); // try again on the next change
                throw err;
            }));
        }
        return searches.get(q);
    }

    /* Take `filters` if they differ from those drawn: build their mask once (after the
       notes search, when words are asked: then a Promise). */
    function applyFilters(filters, data, source) {
        const {filters: f, layer} = A();
        const key = f.filterKey(filters);
        if (key === layer.state.filterKey && layer.state.filters) {
            return null;
        }
        const take = function (rows) {
            layer.setFilters(filters, key, f.buildMask(data.events, filters, rows));
        };
        if (filters.q) {
            return notesRows(source, filters.q).then(take);
        }
        take(null);
        return null;
    }

    /* A filter control moved, or "Clear filters" was pressed. */
    function isFilterProp(prop) {
        return prop !== null && prop.startsWith("filter-");
    }

    /* "N of M events" for the window of `day`, or "M events" when nothing is filtered. */
    function countText(day, data) {
        const {marks, layer} = A();
        const c = marks.windowCount(day, data, layer.state.windowDays, layer.state.mask, layer.state.since);
        const n = function (x) { return x.toLocaleString("en-GB"); };
        return (layer.state.mask ? n(c.total) + " of " + n(c.all) : n(c.all)) + (c.all === 1 ? " event" : " events");
    }

    /* The timeline Patch: the pan that keeps the day in sight, and the weekly bars
       re-counted when the filters they show are not the current ones. */
    function timelinePatch(pan, data) {
        const {layer, timeline} = A();
        if (state.weeklyKey === layer.state.filterKey) {
            return pan;
        }
        const weekly = timeline.weeklyPatch(data, layer.state.mask);
        if (weekly) {
            state.weeklyKey = layer.state.filterKey;
        }
        return timeline.mergePatches(pan, weekly);
    }

    /* The start box shows the cumulative window's first day when a link set it. */
    function startValue(prop, state, dates, no) {
        if (prop !== null && prop !== "url.search") {
            return no;
        }
        return state.windowDays === null && state.since !== null && state.since !== undefined
            ? dates.isoOf(state.since) : "";
    }

    /* The compare box shows the day compared with when a link set it. */
    function compareValue(prop, compareDay, dates, no) {
        if (prop !== null && prop !== "url.search") {
            return no;
        }
        return compareDay === null || compareDay === undefined ? "" : dates.isoOf(compareDay);
    }

    const FILTER_OUTPUTS = ["groups", "types", "subtypes", "countries", "admin1", "minFatalities", "exact", "q"];

    /* The outputs of updateView for one trigger, once the data is here: the day (store,
       slider, input, its class, label), the player's stop, the town Patch, the timeline
       cursor (style, title), the timeline Patch, the notice, the window choice and its
       options, the filter controls' values, the "N of M events" count and the day
       compared with. */
    function view(prop, asked, current, data, source) {
        const no = window.dash_clientside.no_update;
        const {layer, timeline, viewstate, filters} = A();
        const min = data.range[0];
        const before = typeof current === "number" ? current : min;
        const nothing = new Array(13 + FILTER_OUTPUTS.length + 3).fill(no);
        if (prop === "timeline.relayoutData") {
            // The axis moved, or the timeline was first drawn (perhaps far from the day):
            // follow the day then, but not when the reader pans or zooms the timeline.
            const first = !state.timelineDrawn;
            state.timelineDrawn = true;
            const pan = first ? timeline.timelinePan(before) : null;
            const out = nothing.slice();
            out[7] = pan ? {display: "none"} : timeline.cursorStyle(before);
            out[9] = timelinePatch(pan, data) || no;
            return out;
        }
        const mode = viewstate.historyMode(prop, state.lastProp);
        state.lastProp = prop;
        let day;
        let notice = "";
        let wanted = null; // the filters asked for, when this trigger may change them
        let setControls = false; // whether the filter controls must show them
        if (prop === null || prop === "url.search") {
            const url = viewstate.readUrl(asked.search || window.location.search, before, data);
            const read = filters.readFilters(asked.search || window.location.search, data.events.labels);
            day = url.day;
            notice = [url.notice].concat(read.reasons).filter(Boolean).join("; ");
            layer.state.windowDays = url.windowDays;
            layer.state.compareDay = url.compare;
            layer.state.since = url.since;
            wanted = read.filters;
            setControls = true;
            if (url.view) {
                layer.showView(url.view, false);
            }
        } else if (prop === "window-start.value" || prop === "compare-input.value") {
            const start = prop === "window-start.value";
            const typed = start
                ? viewstate.startAsked(asked.startTyped, data)
                : viewstate.compareAsked(asked.compareTyped, data);
            if (typed.problem) {
                const out = nothing.slice();
                out[10] = typed.problem;
                return out;
            }
            if (start) {
                layer.state.since = typed.day;
                if (typed.day !== null) {
                    layer.state.windowDays = null; // counting from a day is the cumulative window
                }
            } else {
                layer.state.compareDay = typed.day;
            }
            day = before;
        } else if (prop === "window-select.value") {
            const choice = asked.windowChoice;
            layer.state.windowDays = choice === "all" ? null : Math.min(Math.max(parseInt(choice, 10) || data.windowDays, 1), viewstate.MAX_WINDOW);
            day = before;
        } else if (isFilterProp(prop)) {
            const cleared = prop === "filter-clear.n_clicks";
            wanted = cleared ? filters.emptyFilters() : filters.fromControls(asked.filters, data.events.labels);
            setControls = cleared;
            day = before;
        } else {
            day = viewstate.dayAsked(prop, asked, before, data);
            if (prop === "date-input.value") {
                notice = viewstate.typedProblem(asked.typed, data);
            }
        }
        if (day === null) {
            const out = nothing.slice();
            out[3] = "date-input invalid";
            out[10] = notice;
            return out;
        }
        const filtered = wanted ? applyFilters(wanted, data, source) : null;
        const finish = function () {
            // a step taken while the notes search was out keeps its day
            const now = isFilterProp(prop) && filtered && layer.state.day !== null ? layer.state.day : day;
            return show(prop, mode, now, notice, setControls, asked, data);
        };
        return filtered ? filtered.then(finish) : finish();
    }

    /* The outputs once the day and the filters are settled: paint, write the URL. */
    function show(prop, mode, day, notice, setControls, asked, data) {
        const no = window.dash_clientside.no_update;
        const {dates, layer, timeline, viewstate, filters} = A();
        const max = data.range[1];
        day = Math.min(Math.max(day, data.range[0]), max);
        const stop = prop === "play-timer.n_intervals" && day >= max ? true : no;
        const iso = dates.isoOf(day);
        writeUrl(mode, day, layer.state.windowDays, layer.state.compareDay, data);
        layer.drawEvents(day, data);
        A().moments.onView(data, prop === null || prop === "url.search");
        const pan = timeline.timelinePan(day); // the cursor comes back with the panned axis
        const windowValue = viewstate.windowParam(layer.state.windowDays);
        const controls = filters.controlValues(layer.state.filters || filters.emptyFilters());
        return [
            day, day, iso, prop === "date-input.value" && notice ? "date-input invalid" : "date-input",
            dates.labelOf(day), stop,
            townPatch(day, data), pan ? {display: "none"} : timeline.cursorStyle(day), dates.labelOf(day),
            timelinePatch(pan, data) || no, notice, windowValue === asked.windowChoice ? no : windowValue,
            viewstate.windowOptions(layer.state.windowDays),
        ].concat(FILTER_OUTPUTS.map(function (k) { return setControls ? controls[k] : no; }),
            [countText(day, data), compareValue(prop, layer.state.compareDay, dates, no),
             startValue(prop, layer.state, dates, no)]);
    }
})();

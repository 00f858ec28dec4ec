/*
 * Sahel Atlas: the date moves here, in the browser. This file wires the Dash callbacks
 * (the `sahelAtlas` clientside namespace) and loads the data; the work is done by the
 * modules under assets/atlas/ (window.SahelAtlas.*), each opening with what it owns:
 * columns (the binary event columns), dates, marks (what the event layer draws),
 * viewstate (the day and window asked for), layer (the canvas over the map) and timeline.
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
    const state = {townsKey: null, patchedDay: null, timelineDrawn: false, lastProp: undefined};

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
                               click, _timelineRelayout, windowChoice, current, source) {
            const prop = triggeredProp(); // read now: Dash clears it when this call returns
            A().layer.state.hoverUrl = source.hoverUrl;
            return withData(source, function (data) {
                const asked = {search: search, slider: slider, typed: typed, click: click, windowChoice: windowChoice};
                return view(prop, asked, current, data);
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
    function writeUrl(mode, day, windowDays, data) {
        const {dates, viewstate} = A();
        const params = new URLSearchParams(window.location.search);
        params.set("date", dates.isoOf(day));
        if (windowDays === data.windowDays) {
            params.delete("window");
        } else {
            params.set("window", viewstate.windowParam(windowDays));
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

    /* The outputs of updateView for one trigger, once the data is here: the day (store,
       slider, input, its class, label), the player's stop, the town Patch, the timeline
       cursor (style, title), the timeline Patch, the notice and the window choice. */
    function view(prop, asked, current, data) {
        const no = window.dash_clientside.no_update;
        const {dates, layer, timeline, viewstate} = A();
        const min = data.range[0];
        const max = data.range[1];
        const before = typeof current === "number" ? current : min;
        const nothing = [no, no, no, no, no, no, no, no, no, no, no, no, no];
        if (prop === "timeline.relayoutData") {
            // The axis moved, or the timeline was first drawn (perhaps far from the day):
            // follow the day then, but not when the reader pans or zooms the timeline.
            const first = !state.timelineDrawn;
            state.timelineDrawn = true;
            const pan = first ? timeline.timelinePan(before) : null;
            const out = nothing.slice();
            out[7] = pan ? {display: "none"} : timeline.cursorStyle(before);
            out[9] = pan || no;
            return out;
        }
        const mode = viewstate.historyMode(prop, state.lastProp);
        state.lastProp = prop;
        let day;
        let notice = "";
        if (prop === null || prop === "url.search") {
            const url = viewstate.readUrl(asked.search || window.location.search, before, data);
            day = url.day;
            notice = url.notice;
            layer.state.windowDays = url.windowDays;
            if (url.view) {
                layer.showView(url.view, false);
            }
        } else if (prop === "window-select.value") {
            const choice = asked.windowChoice;
            layer.state.windowDays = choice === "all" ? null : Math.min(Math.max(parseInt(choice, 10) || data.windowDays, 1), viewstate.MAX_WINDOW);
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
        day = Math.min(Math.max(day, min), max);
        const stop = prop === "play-timer.n_intervals" && day >= max ? true : no;
        const iso = dates.isoOf(day);
        writeUrl(mode, day, layer.state.windowDays, data);
        layer.drawEvents(day, data);
        A().moments.onView(data, prop === null || prop === "url.search");
        const pan = timeline.timelinePan(day); // the cursor comes back with the panned axis
        const windowValue = viewstate.windowParam(layer.state.windowDays);
        return [
            day, day, iso, prop === "date-input.value" && notice ? "date-input invalid" : "date-input",
            dates.labelOf(day), stop,
            townPatch(day, data), pan ? {display: "none"} : timeline.cursorStyle(day), dates.labelOf(day),
            pan || no, notice, windowValue === asked.windowChoice ? no : windowValue,
            viewstate.windowOptions(layer.state.windowDays),
        ];
    }
})();

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
 * A date step from the buttons, the keys, the player or a drag of the slider takes the
 * fast path of assets/atlas/stepper.js: the window's events and the town markers are
 * repainted on a 2D canvas of our own laid over the map in the next frame, and Dash is
 * told once the day has settled (then updateView below brings the controls it keeps up
 * to date). Every other change (a link, Back, a typed date, the timeline, the window,
 * the filters) comes through updateView. The borders and names live in the map style,
 * fetched and laid out once; the WebGL map is not redrawn by a step. When more events are in view than
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

    /* Whether the timeline has been drawn, the filters its weekly bars were last counted
       under, whether a view has been shown yet, and how many runs of updateView wait. */
    const state = {timelineDrawn: false, weeklyKey: "", weeklyAsked: null, shown: false, pending: 0,
                   popHeard: true};

    /* Back and Forward: dcc.Location tells Dash of a new address only when it differs from
       the last one Dash itself saw, and the page writes its address with the History API
       (a step, a filter, the map's view), so Back to an address Dash already knew went
       unheard. When the Location's own listener has not passed the address on shortly
       after, it is told to Dash here (were both to, the second run shows the same view). */
    window.addEventListener("popstate", function () {
        const search = window.location.search;
        state.popHeard = false;
        setTimeout(function () {
            if (!state.popHeard && window.location.search === search && state.shown) {
                window.dash_clientside.set_props("url", {search: search});
            }
        }, 100);
    });

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
        /* The day whose events the layer has painted, and the last day on which a town
           changed hands as the layer drew it (for tests and benchmarks). */
        paintedDay: function () { return A().layer.state.painted; },
        /* Whether the timeline's weekly bars show the filters the map shows. */
        weeklyFollows: function () { return state.weeklyKey === A().layer.state.filterKey; },
        townsChangedDay: function () { return A().layer.state.townsChanged; },
        /* The town marker colours of the ISO day `iso` ({ring, gap, core, hover} in the
           towns' order), or null before the data has loaded. */
        townsOn: function (iso) {
            const layer = A().layer.state;
            return layer.data ? A().marks.townsOn(layer.data.towns, A().dates.parseIso(iso)) : null;
        },
        /* The town markers as the canvas last drew them: {day, ids, ring, gap, core,
           lines}, or null before the first paint. */
        townsDrawn: function () {
            const layer = A().layer.state;
            const look = layer.townLook;
            return look && layer.data ? {
                day: layer.townsDay, ids: layer.data.towns.map(function (t) { return t.id; }),
                ring: look.ring, gap: look.gap, core: look.core, lines: look.lines,
            } : null;
        },

        /* One callback moves the whole view, so a step is one trip through Dash. */
        updateView: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc,
                               click, _timelineRelayout, windowChoice, groups, types, subtypes,
                               countries, admin1, minFatalities, exact, q, _clear, compareTyped,
                               startTyped, current, source) {
            let prop = triggeredProp(); // read now: Dash clears it when this call returns
            A().layer.state.hoverUrl = source.hoverUrl;
            if (prop === "url.search") {
                state.popHeard = true;
            }
            if (prop === "timeline.relayoutData" && (state.pending > 0 || !state.shown)) {
                // Dash keeps only the latest run of a callback: a run still waiting (for the
                // data, for a notes search) will be dropped, so this one shows the whole
                // view the URL asks for, not just the timeline's cursor.
                prop = null;
            }
            const out = withData(source, function (data) {
                const asked = {
                    search: search, slider: slider, typed: typed, click: click, windowChoice: windowChoice,
                    compareTyped: compareTyped, startTyped: startTyped,
                    filters: {groups: groups, types: types, subtypes: subtypes, countries: countries,
                              admin1: admin1, minFatalities: minFatalities, exact: exact, q: q},
                };
                return view(prop, asked, current, data, source);
            });
            if (out && typeof out.then === "function") {
                state.pending += 1;
                const done = function () { state.pending -= 1; };
                out.then(done, done);
            }
            return out;
        },

        /* The timeline's weekly bars under new filters, after the map's frame. */
        weeklyBars: function (_asked, source) {
            return weeklyBars(source);
        },

        /* The player's speed (the player itself runs in stepper.js). */
        playSpeed: function (speed) {
            A().stepper.setSpeed(speed);
            return String(speed);
        },
    };

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

    /* The timeline Patch: the pan that keeps the day in sight. When the weekly bars show
       other filters than the current ones, they are asked for once the map's frame is on
       screen and the one after it has started (weeklyBars): the timeline's redraw (tens of
       ms) would otherwise hold up the map's frame, or the next one. */
    function timelinePatch(pan) {
        const layer = A().layer.state;
        if (state.weeklyKey !== layer.filterKey && state.weeklyAsked !== layer.filterKey) {
            state.weeklyAsked = layer.filterKey;
            A().layer.afterFrame(function () {
                window.dash_clientside.set_props("weekly-ask", {data: layer.filterKey});
            }, 2);
        }
        return pan;
    }

    /* The weekly bars under the filters shown now (a Patch), unless they show them already. */
    function weeklyBars(source) {
        const no = window.dash_clientside.no_update;
        const {layer, timeline} = A();
        const data = loaded[source.url];
        if (!data || state.weeklyKey === layer.state.filterKey) {
            return no;
        }
        const weekly = timeline.weeklyPatch(data, layer.state.mask);
        if (!weekly) {
            state.weeklyAsked = null; // the timeline is not drawn yet: asked again later
            return no;
        }
        state.weeklyKey = layer.state.filterKey;
        return weekly;
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
    /* The outputs of updateView, in order (see dashboard/callbacks.py). */
    const OUT = {day: 0, slider: 1, input: 2, inputClass: 3, label: 4, cursor: 5, cursorTitle: 6,
                 timeline: 7, notice: 8, windowValue: 9, windowOptions: 10, filters: 11,
                 count: 11 + FILTER_OUTPUTS.length, compare: 12 + FILTER_OUTPUTS.length,
                 start: 13 + FILTER_OUTPUTS.length};
    const OUT_COUNT = 14 + FILTER_OUTPUTS.length;

    /* The outputs of updateView for one trigger, once the data is here: the day (store,
       slider, input, its class, label), the timeline cursor (style, title), the timeline
       Patch, the notice, the window choice and its options, the filter controls' values,
       the "N of M events" count, the day compared with and the cumulative window's start. */
    function view(prop, asked, current, data, source) {
        const no = window.dash_clientside.no_update;
        const {layer, timeline, viewstate, filters, stepper} = A();
        const min = data.range[0];
        // the day shown (or about to be, by the fast path), else the one Dash holds
        const shown = stepper.state.target !== null ? stepper.state.target : layer.state.day;
        const before = typeof shown === "number" ? shown : typeof current === "number" ? current : min;
        const nothing = new Array(OUT_COUNT).fill(no);
        if (prop === "timeline.relayoutData") {
            // The axis moved, or the timeline was first drawn (perhaps far from the day):
            // follow the day then, but not when the reader pans or zooms the timeline.
            const first = !state.timelineDrawn;
            state.timelineDrawn = true;
            const pan = first ? timeline.timelinePan(before) : null;
            const out = nothing.slice();
            out[OUT.cursor] = pan ? {display: "none"} : timeline.cursorStyle(before);
            out[OUT.timeline] = timelinePatch(pan) || no;
            return out;
        }
        // The slider at the day the fast path has shown: Dash catching up (at the end of a
        // drag, or when a step has settled), not a change of its own.
        // (a catch-up for a day a later step has already left keeps the later day)
        const catchUp = prop === "date-slider.value"
            && (asked.slider === before || asked.slider === stepper.state.asked);
        const mode = catchUp ? "replace" : stepper.modeFor(prop);
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
                out[OUT.notice] = typed.problem;
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
        } else if (catchUp) {
            day = before;
        } else {
            day = viewstate.dayAsked(prop, asked, before, data);
            if (prop === "date-input.value") {
                notice = viewstate.typedProblem(asked.typed, data);
            }
        }
        if (day === null) {
            const out = nothing.slice();
            out[OUT.inputClass] = "date-input invalid";
            out[OUT.notice] = notice;
            return out;
        }
        const filtered = wanted ? applyFilters(wanted, data, source) : null;
        const finish = function () {
            // a step taken while the notes search was out keeps its day
            const now = isFilterProp(prop) && filtered && layer.state.day !== null ? layer.state.day : day;
            return show(prop, mode, now, notice, setControls, asked, data);
        };
        if (filtered) {
            return filtered.then(finish);
        }
        const out = finish();
        // A filter change has painted the map in show(): let the browser present that
        // frame, and start the next, before Dash renders the two dozen outputs (the filter
        // controls, the count), which would otherwise hold them up.
        return isFilterProp(prop) ? afterFrames(out, 2) : out;
    }

    /* `value`, once the next `frames` frames have been presented (a Promise, which Dash
       waits for; layer.afterFrame, so a hidden tab's answer comes too). */
    function afterFrames(value, frames) {
        return new Promise(function (resolve) {
            A().layer.afterFrame(function () { resolve(value); }, frames);
        });
    }

    /* The outputs once the day and the filters are settled: paint, write the URL. */
    function show(prop, mode, day, notice, setControls, asked, data) {
        const no = window.dash_clientside.no_update;
        const {dates, layer, timeline, viewstate, filters, stepper} = A();
        day = Math.min(Math.max(day, data.range[0]), data.range[1]);
        state.shown = true;
        stepper.state.target = null; // this day wins over a step not yet painted
        stepper.writeUrl(mode, day, data);
        layer.drawEvents(day, data);
        stepper.told(day);
        A().moments.onView(data, prop === null || prop === "url.search");
        const pan = timeline.timelinePan(day); // the cursor comes back with the panned axis
        if (timeline.isDrawn()) {
            // the timeline follows the day from here: its first relayout (which Dash may
            // batch with another input, leaving it unseen) must not be waited for, or a
            // reader's first drag of it would be taken for it and pulled back to the day
            state.timelineDrawn = true;
        }
        const windowValue = viewstate.windowParam(layer.state.windowDays);
        const controls = filters.controlValues(layer.state.filters || filters.emptyFilters());
        const out = new Array(OUT_COUNT).fill(no);
        out[OUT.day] = day;
        out[OUT.slider] = day;
        out[OUT.input] = dates.isoOf(day);
        out[OUT.inputClass] = prop === "date-input.value" && notice ? "date-input invalid" : "date-input";
        out[OUT.label] = dates.labelOf(day);
        out[OUT.cursor] = pan ? {display: "none"} : timeline.cursorStyle(day);
        out[OUT.cursorTitle] = dates.labelOf(day);
        out[OUT.timeline] = timelinePatch(pan) || no;
        out[OUT.notice] = notice;
        out[OUT.windowValue] = windowValue === asked.windowChoice ? no : windowValue;
        out[OUT.windowOptions] = viewstate.windowOptions(layer.state.windowDays);
        FILTER_OUTPUTS.forEach(function (k, n) {
            out[OUT.filters + n] = setControls ? controls[k] : no;
        });
        out[OUT.count] = stepper.countText(day, data);
        out[OUT.compare] = compareValue(prop, layer.state.compareDay, dates, no);
        out[OUT.start] = startValue(prop, layer.state, dates, no);
        return out;
    }
})();

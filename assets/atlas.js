/*
 * Sahel Atlas: the date moves here, in the browser.
 *
 * The server sends every event and every control period once, as a static JSON file
 * (built by dashboard/figures.py:make_client_data, its URL in the `atlas-data` store) that
 * this script fetches on first use and keeps; Dash callbacks never carry it.
 *
 * A date step sets the data of one MapLibre source of our own (the window's events) and,
 * on the few days when control changes, patches the two town traces through Dash. The
 * borders and names live in the map style, fetched and laid out once. When more events
 * are in view than `maxPoints`, they are drawn as aggregate bubbles on a grid that follows
 * the zoom, so the number of points drawn stays small whatever the size of the data.
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

    /* The events of the window as GeoJSON points, oldest first so the newest are drawn on
       top. When more than maxPoints are in the window, only those in view (with a margin)
       are drawn as points if they are few enough; otherwise aggregate bubbles on a grid
       about 40 px wide at this zoom. */
    function eventFeatures(day, data, view) {
        const events = data.events;
        let picked = eventsInWindow(events, day - data.windowDays + 1, day);
        if (picked.length > data.maxPoints) {
            const b = view.bounds;
            const dx = (b.getEast() - b.getWest()) * 0.2;
            const dy = (b.getNorth() - b.getSouth()) * 0.2;
            const inView = picked.filter(function (i) {
                return events.lon[i] >= b.getWest() - dx && events.lon[i] <= b.getEast() + dx
                    && events.lat[i] >= b.getSouth() - dy && events.lat[i] <= b.getNorth() + dy;
            });
            if (inView.length <= data.maxPoints) {
                picked = inView;
            }
        }
        if (picked.length <= data.maxPoints) {
            return picked.map(function (i) {
                return {
                    type: "Feature",
                    geometry: {type: "Point", coordinates: [events.lon[i], events.lat[i]]},
                    properties: {
                        i: i,
                        color: events.color[i],
                        r: events.size[i] / 2,
                        known: events.known[i],
                        o: opacityOf(Math.min(events.last[i], day), day, data.windowDays),
                    },
                };
            });
        }
        const cell = 56 / Math.pow(2, view.zoom);
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
        return Array.from(cells.values(), function (c) {
            return {
                type: "Feature",
                geometry: {type: "Point", coordinates: [c.lon / c.n, c.lat / c.n]},
                properties: {n: c.n, dead: c.dead, r: Math.min(6 + 2 * Math.sqrt(c.n), 30)},
            };
        });
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
        const towns = townsOn(data.towns, day);
        const key = towns.hover.join("|");
        if (key === state.townsKey) {
            return window.dash_clientside.no_update;
        }
        state.townsKey = key;
        const t = data.traces;
        return new window.dash_clientside.Patch()
            .assign(["data", t["town-ring"], "marker", "color"], towns.ring)
            .assign(["data", t["town-core"], "marker", "color"], towns.core)
            .assign(["data", t["town-core"], "hovertext"], towns.hover)
            .build();
    }

    /* ---- The event layer: a MapLibre source and layers of our own under the towns. ----
       A step sets this one source's data (the window's events, or bubbles): MapLibre
       re-parses a few points and Plotly is not involved at all. */
    const EVENTS = "atlas-events";
    const EMPTY = {type: "FeatureCollection", features: []};

    function mapOf() {
        const gd = document.querySelector("#map .js-plotly-plot");
        const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        return sub && sub.map;
    }

    function addEventLayers(map, data) {
        const layers = map.getStyle().layers;
        const towns = layers.find(function (l) { return l.id.indexOf("plotly-trace-layer-") === 0; });
        const before = towns && towns.id;
        const point = ["!", ["has", "n"]];
        const bubble = ["has", "n"];
        map.addSource(EVENTS, {type: "geojson", data: EMPTY});
        map.addLayer({
            id: EVENTS,
            type: "circle",
            source: EVENTS,
            filter: point,
            paint: {
                // a known toll is a disc of the event type's colour; an unknown one a ring
                "circle-color": ["case", ["get", "known"], ["get", "color"], data.style.unknownFill],
                "circle-stroke-color": ["get", "color"],
                "circle-stroke-width": ["case", ["get", "known"], 0, 3],
                "circle-radius": ["get", "r"],
                "circle-opacity": ["get", "o"],
                "circle-stroke-opacity": ["get", "o"],
            },
        }, before);
        map.addLayer({
            id: EVENTS + "-bubbles",
            type: "circle",
            source: EVENTS,
            filter: bubble,
            paint: {"circle-color": data.style.cluster, "circle-radius": ["get", "r"]},
        }, before);
        map.addLayer({
            id: EVENTS + "-counts",
            type: "symbol",
            source: EVENTS,
            filter: bubble,
            layout: {
                "text-field": ["to-string", ["get", "n"]],
                "text-font": [data.style.font],
                "text-size": 12,
                "text-allow-overlap": true,
            },
            paint: {"text-color": "#ffffff"},
        }, before);
    }

    function hookEventLayers(map) {
        const tip = document.getElementById("map-tooltip");
        const hoverable = [EVENTS, EVENTS + "-bubbles"];
        map.on("mousemove", function (e) {
            const found = map.queryRenderedFeatures(e.point, {layers: hoverable});
            if (!found.length || !layer.data) {
                tip.style.display = "none";
                return;
            }
            const p = found[0].properties;
            tip.innerHTML = p.n
                ? "<b>" + p.n + " events</b>, " + p.dead + " reported killed<br>Zoom in or step to see single events."
                : layer.data.events.hover[p.i];
            tip.style.left = Math.min(e.point.x + 14, map.getCanvas().clientWidth - tip.offsetWidth - 4) + "px";
            tip.style.top = e.point.y + 14 + "px";
            tip.style.display = "block";
        });
        map.on("mouseout", function () { tip.style.display = "none"; });
        map.on("click", EVENTS, function (e) {
            const p = e.features[0].properties;
            window.dash_clientside.set_props("event-click", {
                data: {id: layer.data.events.id[p.i], at: Date.now()},
            });
        });
        map.on("moveend", function () {
            if (layer.crowded) {
                drawEvents(layer.day, layer.data); // bubbles or points follow the view
            }
        });
        map.on("styledata", function () {
            if (!map.getSource(EVENTS)) {
                drawEvents(layer.day, layer.data); // a new style dropped our layers
            }
        });
    }

    /* Run fn once MapLibre has drawn a frame with every source loaded (or after 400 ms). */
    function afterFrame(map, fn) {
        let done = false;
        const once = function () {
            if (!done) {
                done = true;
                map.off("render", onRender);
                fn();
            }
        };
        const onRender = function () {
            if (map.loaded()) {
                once();
            }
        };
        map.on("render", onRender);
        setTimeout(once, 400);
    }

    /* The situation panel follows the map: its day is published after the map's frame,
       so the panel's server round trip and re-render do not hold that frame up. */
    function publishDay(day) {
        if (layer.published !== day) {
            layer.published = day;
            window.dash_clientside.set_props("situation-day", {data: day});
        }
    }

    /* What the event layer shows, so it can be drawn again after a zoom or a new style. */
    const layer = {day: null, data: null, map: null, crowded: false, shown: [], retry: null, published: null};

    function drawEvents(day, data) {
        layer.day = day;
        layer.data = data;
        const map = mapOf();
        try {
            if (!map) {
                throw new Error("the map is not drawn yet");
            }
            if (!map.getSource(EVENTS)) {
                addEventLayers(map, data);
            }
            if (layer.map !== map) {
                layer.map = map;
                hookEventLayers(map);
            }
            const features = eventFeatures(day, data, {zoom: map.getZoom(), bounds: map.getBounds()});
            layer.crowded = eventsInWindow(data.events, day - data.windowDays + 1, day).length > data.maxPoints;
            layer.shown = features;
            map.getSource(EVENTS).setData({type: "FeatureCollection", features: features});
            afterFrame(map, function () {
                if (day === layer.day) {
                    publishDay(day); // unless a later step has already moved on
                }
            });
        } catch (err) {
            publishDay(day);
            // The graph loads lazily and MapLibre refuses layers until its style is in:
            // try again shortly, with whatever day is current by then.
            if (!layer.retry) {
                layer.retry = setTimeout(function () {
                    layer.retry = null;
                    drawEvents(layer.day, layer.data);
                }, 50);
            }
        }
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

    /* The town markers this page has drawn, so that an unchanged day costs nothing. */
    const state = {townsKey: null};

    const ns = (window.dash_clientside = window.dash_clientside || {});
    ns.sahelAtlas = {
        isoOf: isoOf,
        parseIso: parseIso,
        eventsInWindow: eventsInWindow,
        /* What the event layer shows now: {id, lon, lat, opacity} or {bubble, count}. */
        shownEvents: function () {
            return layer.shown.map(function (f) {
                const p = f.properties;
                const [lon, lat] = f.geometry.coordinates;
                return p.n !== undefined
                    ? {bubble: true, count: p.n, lon: lon, lat: lat}
                    : {id: layer.data.events.id[p.i], lon: lon, lat: lat, opacity: p.o, known: p.known};
            });
        },

        /* One callback moves the whole view, so a step is one trip through Dash. */
        updateView: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc, _tick,
                               click, _timelineRelayout, current, source) {
            const prop = triggeredProp(); // read now: Dash clears it when this call returns
            return withData(source, function (data) {
                return view(prop, search, slider, typed, click, current, data);
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
    function view(prop, search, slider, typed, click, current, data) {
        const no = window.dash_clientside.no_update;
        const min = data.range[0];
        const max = data.range[1];
        const before = typeof current === "number" ? current : min;
        if (prop === "timeline.relayoutData") {
            return [no, no, no, no, no, no, no, cursorStyle(before), no]; // the axis moved
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
        drawEvents(day, data);
        return [
            day, day, iso, "date-input", labelOf(day), stop,
            townPatch(day, data), cursorStyle(day), labelOf(day),
        ];
    }
})();

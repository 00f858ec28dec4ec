/*
 * Sahel Atlas: the date moves here, in the browser.
 *
 * The server sends every event and every control period once, as a static JSON file
 * (built by dashboard/figures.py:make_client_data, its URL in the `atlas-data` store) that
 * this script fetches on first use and keeps; Dash callbacks never carry it.
 *
 * A date step repaints the window's events on a 2D canvas of our own laid over the map
 * and, on the days when control changes, patches the two town traces through Dash. The
 * borders and names live in the map style, fetched and laid out once; the WebGL map is
 * not redrawn by a step unless a town changes hands. When more events are in view than
 * `maxPoints`, they are drawn as aggregate bubbles on a grid that follows the zoom, so
 * the number of circles drawn stays small whatever the size of the data.
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

    /* Text from the data, made safe to place in HTML. */
    function escapeText(text) {
        return String(text).replace(/[&<>"']/g, function (c) {
            return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
        });
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

    /* The window that ends on `day`: [first, last, length] in days. `windowDays` null
       is the cumulative window, from the first day of the data. */
    function windowOf(day, data, windowDays) {
        return windowDays === null
            ? [data.range[0], day, day - data.range[0] + 1]
            : [day - windowDays + 1, day, windowDays];
    }

    /* What the event layer draws for the window ending on `day`: {marks, total, crowded}.
       A mark is {i, o} for an event (its index, its opacity), or {n, dead, lon, lat, r}
       for an aggregate bubble; marks run oldest first so the newest are drawn on top.
       When more than maxPoints events are in the window, only those in view (with a
       margin) are drawn if they are few enough; otherwise bubbles on a grid about 40 px
       wide at this zoom, with exact counts. No array of the window's indices is built:
       the events of the window are a run of the sorted columns, read in place. */
    function eventMarks(day, data, view, windowDays) {
        const events = data.events;
        const w = windowOf(day, data, windowDays);
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
        let total = 0;
        let inView = 0;
        let picked = [];
        for (let i = from; i < to; i++) {
            if (last[i] < first) {
                continue;
            }
            total++;
            if (lon[i] >= west && lon[i] <= east && lat[i] >= south && lat[i] <= north) {
                inView++;
                if (inView <= max) {
                    picked.push(i);
                }
            }
        }
        const point = function (i) {
            return {i: i, o: opacityOf(Math.min(last[i], day), day, span)};
        };
        if (total <= max) {
            picked = [];
            for (let i = from; i < to; i++) {
                if (last[i] >= first) {
                    picked.push(i);
                }
            }
            return {marks: picked.map(point), total: total, crowded: false};
        }
        if (inView <= max) {
            return {marks: picked.map(point), total: total, crowded: true};
        }
        // A grid over the view and its margin, summed in typed arrays.
        const cell = 56 / Math.pow(2, view.zoom);
        const gx0 = Math.floor(west / cell);
        const gy0 = Math.floor(south / cell);
        const cols = Math.floor(east / cell) - gx0 + 1;
        const rows = Math.floor(north / cell) - gy0 + 1;
        const n = new Uint32Array(cols * rows);
        const sumLat = new Float64Array(cols * rows);
        const sumLon = new Float64Array(cols * rows);
        const dead = new Float64Array(cols * rows);
        const toll = events.fatalities;
        for (let i = from; i < to; i++) {
            if (last[i] < first || lon[i] < west || lon[i] > east || lat[i] < south || lat[i] > north) {
                continue;
            }
            const k = (Math.floor(lat[i] / cell) - gy0) * cols + (Math.floor(lon[i] / cell) - gx0);
            n[k] += 1;
            sumLat[k] += lat[i];
            sumLon[k] += lon[i];
            if (toll[i] > 0) {
                dead[k] += toll[i];
            }
        }
        const marks = [];
        for (let k = 0; k < n.length; k++) {
            if (n[k]) {
                marks.push({n: n[k], dead: dead[k], lon: sumLon[k] / n[k], lat: sumLat[k] / n[k],
                            r: Math.min(6 + 2 * Math.sqrt(n[k]), 30)});
            }
        }
        return {marks: marks, total: total, crowded: true};
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

    /* Marker diameter of an event in px: grows with the square root of its toll (as
       figures.event_size does); an unknown toll (-1) gets a middle size and a ring. */
    function sizeOf(fatalities) {
        return fatalities < 0 ? 12 : Math.round(Math.min(7 + 2.6 * Math.sqrt(fatalities), 34) * 10) / 10;
    }

    function fetchOk(url, read) {
        return fetch(url).then(function (response) {
            if (!response.ok) {
                throw new Error("Sahel Atlas: cannot load " + url + " (" + response.status + ")");
            }
            return read(response);
        });
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
                    const decoded = window.SahelAtlas.columns.decodeEvents(buffer);
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

    /* The window a URL asks for: `window=all` (cumulative), `window=N` days (1 to 3650),
       else the default. */
    function windowAsked(search, data) {
        const asked = new URLSearchParams(search || window.location.search).get("window");
        if (asked === "all") {
            return null;
        }
        const days = /^\d{1,4}$/.test(asked || "") ? parseInt(asked, 10) : NaN;
        return days >= 1 && days <= 3650 ? days : data.windowDays;
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
        state.patchedDay = day;
        const t = data.traces;
        return new window.dash_clientside.Patch()
            .assign(["data", t["town-ring"], "marker", "color"], towns.ring)
            .assign(["data", t["town-core"], "marker", "color"], towns.core)
            .assign(["data", t["town-core"], "hovertext"], towns.hover)
            .build();
    }

    /* ---- The event layer: a 2D canvas of our own laid over the map. ----
       A date step repaints this canvas alone: a few dozen circles, about a millisecond.
       Drawing the events in MapLibre instead re-renders the whole WebGL map (every fill,
       line and label) at every step, which in software GL costs 40-50 ms a frame, twice
       per step. The canvas follows the map: it is repainted at each frame MapLibre draws
       while the view moves. The town markers stay on top: the canvas is cleared under
       them, so the map's own markers show through. */
    const layer = {
        day: null, data: null, map: null, canvas: null, marks: [], crowded: false,
        drawn: [], towns: [], viewKey: null, retry: null, published: null, painted: null,
        hoverUrl: null, tipFor: null, font: null,
    };

    function mapOf() {
        const gd = document.querySelector("#map .js-plotly-plot");
        const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        return sub && sub.map;
    }

    /* At each update Plotly sets every paint and layout property of its town layers
       again, sets the view to the one the map already has and resizes it to the size it
       has; MapLibre schedules a frame for each call. That frame, drawn before the new
       town data has loaded, costs 40-70 ms in software GL and holds the data up. Calls
       that change nothing are skipped. */
    function skipNoOpMapCalls(map) {
        for (const [set, get] of [["setPaintProperty", "getPaintProperty"], ["setLayoutProperty", "getLayoutProperty"]]) {
            const original = map[set];
            map[set] = function (id, name, value, options) {
                if (this.getLayer(id) && JSON.stringify(this[get](id, name)) === JSON.stringify(value)) {
                    return this;
                }
                return original.call(this, id, name, value, options);
            };
        }
        const views = {
            setCenter: function (c) {
                const now = map.getCenter();
                const lng = Array.isArray(c) ? c[0] : (c.lng !== undefined ? c.lng : c.lon);
                return lng === now.lng && (Array.isArray(c) ? c[1] : c.lat) === now.lat;
            },
            setZoom: function (z) { return z === map.getZoom(); },
            setBearing: function (b) { return b === map.getBearing(); },
            setPitch: function (p) { return p === map.getPitch(); },
        };
        for (const name of Object.keys(views)) {
            const original = map[name];
            map[name] = function (value, eventData) {
                return value !== undefined && value !== null && views[name](value)
                    ? this
                    : original.call(this, value, eventData);
            };
        }
        const resize = map.resize;
        let size = null;
        map.resize = function (eventData, constrain) {
            const box = this.getContainer();
            const now = [box.clientWidth, box.clientHeight, window.devicePixelRatio].join();
            if (now === size) {
                return this;
            }
            size = now;
            return resize.call(this, eventData, constrain);
        };
    }

    /* When Plotly sets new data on the town markers' sources, MapLibre draws a frame at
       once, with the old data, and a second when the new data has been parsed; in software
       GL the first costs 50-80 ms and holds up the second. Frames asked for while those
       sources load are held back (for 250 ms at most) and drawn once they have loaded. */
    function holdFramesWhileTownsLoad(map, data) {
        const ids = Object.keys(data.traces).map(function (uid) { return "source-" + uid + "-circle"; });
        const loading = new Set();
        let wanted = false;
        let timer = null;
        const triggerRepaint = map.triggerRepaint;
        const release = function () {
            loading.clear();
            clearTimeout(timer);
            if (wanted) {
                wanted = false;
                triggerRepaint.call(map);
            }
        };
        map.triggerRepaint = function () {
            if (loading.size) {
                wanted = true;
                return;
            }
            triggerRepaint.call(this);
        };
        map.on("dataloading", function (e) {
            if (e.dataType === "source" && ids.indexOf(e.sourceId) >= 0) {
                loading.add(e.sourceId);
                clearTimeout(timer);
                timer = setTimeout(release, 250);
            }
        });
        map.on("data", function (e) {
            // a tile of the new data has loaded (the events before it only say that the
            // data was parsed, while the old tiles still stand)
            if (loading.has(e.sourceId) && e.tile && map.isSourceLoaded(e.sourceId)) {
                loading.delete(e.sourceId);
                if (!loading.size) {
                    release();
                }
            }
        });
    }

    function attachCanvas(map) {
        if (layer.map !== map) {
            skipNoOpMapCalls(map);
            holdFramesWhileTownsLoad(map, layer.data);
        }
        const canvas = document.createElement("canvas");
        canvas.className = "event-layer";
        canvas.setAttribute("aria-hidden", "true");
        map.getCanvasContainer().appendChild(canvas);
        layer.canvas = canvas;
        layer.font = "600 12px " + window.getComputedStyle(canvas).fontFamily; // bubble counts
        layer.map = map;
        layer.viewKey = null;
        const tip = document.getElementById("map-tooltip");
        map.on("render", function () { paint(false); });
        map.on("resize", function () { paint(true); });
        const place = function (point) {
            tip.style.left = Math.min(point.x + 14, map.getCanvas().clientWidth - tip.offsetWidth - 4) + "px";
            tip.style.top = point.y + 14 + "px";
        };
        map.on("mousemove", function (e) {
            const hit = markAt(e.point);
            layer.tipFor = hit;
            if (!hit) {
                tip.style.display = "none";
                return;
            }
            if (hit.n !== undefined) {
                tip.innerHTML = "<b>" + hit.n + " events</b>, " + hit.dead
                    + " reported killed<br>Zoom in or step to see single events.";
            } else {
                tip.innerHTML = hoverOf(hit.i, function (html) {
                    if (layer.tipFor === hit) {
                        tip.innerHTML = html; // the full text has come while still on it
                        place(e.point);
                    }
                });
            }
            tip.style.display = "block";
            place(e.point);
        });
        map.on("mouseout", function () {
            layer.tipFor = null;
            tip.style.display = "none";
        });
        map.on("click", function (e) {
            const hit = markAt(e.point);
            if (hit && hit.n === undefined) {
                window.dash_clientside.set_props("event-click", {
                    data: {i: hit.i, at: Date.now()},
                });
            }
        });
        map.on("moveend", function () {
            if (layer.crowded) {
                drawEvents(layer.day, layer.data); // bubbles or points follow the view
            }
        });
    }

    /* The hover text of event i: the full text once the server has sent it (asked for
       once per event, then kept); until then, a summary from the columns at hand, and
       `then(html)` is called when the full text comes. */
    const hovers = new Map();
    function hoverOf(i, then) {
        const events = layer.data.events;
        const id = i;
        const known = hovers.get(id);
        if (typeof known === "string") {
            return known;
        }
        if (!known) {
            const asked = fetch(layer.hoverUrl + "?i=" + i).then(function (r) {
                if (!r.ok) {
                    throw new Error("Sahel Atlas: no hover text for " + id + " (" + r.status + ")");
                }
                return r.json();
            }).then(function (body) {
                hovers.set(id, body.hover);
                return body.hover;
            }, function (err) {
                hovers.delete(id); // try again on the next hover
                throw err;
            });
            hovers.set(id, asked);
        }
        hovers.get(id).then(then, function () {});
        const first = events.start[i];
        const last = events.last[i];
        const when = labelOf(first) + (last > first ? " – " + labelOf(last) : "");
        const toll = events.fatalities[i] >= 0 ? events.fatalities[i] + " killed" : "toll unknown";
        return "<b>" + when + "</b><br>" + escapeText(events.labels.type[events.type[i]]) + " · " + toll;
    }

    /* The mark under a point of the map (newest first), or null, or null over a town:
       the town is drawn on top, and Plotly's hover speaks for it. */
    function markAt(point) {
        for (const t of layer.towns) {
            if (Math.hypot(point.x - t.x, point.y - t.y) <= t.r) {
                return null;
            }
        }
        for (let k = layer.drawn.length - 1; k >= 0; k--) {
            const d = layer.drawn[k];
            if (Math.hypot(point.x - d.x, point.y - d.y) <= Math.max(d.r, 4) + 1) {
                return d.mark;
            }
        }
        return null;
    }

    /* Paint the marks at the map's current view. Skipped when neither the view nor the
       marks changed since the last paint (MapLibre also renders for other reasons). */
    function paint(force) {
        const map = layer.map;
        const canvas = layer.canvas;
        const data = layer.data;
        if (!map || !canvas || !data) {
            return;
        }
        const gl = map.getCanvas();
        const width = gl.clientWidth;
        const height = gl.clientHeight;
        const c = map.getCenter();
        const key = [c.lng, c.lat, map.getZoom(), map.getBearing(), map.getPitch(), width, height].join();
        if (!force && key === layer.viewKey) {
            return;
        }
        layer.viewKey = key;
        const ratio = window.devicePixelRatio || 1;
        if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
            canvas.width = Math.round(width * ratio);
            canvas.height = Math.round(height * ratio);
            canvas.style.width = width + "px";
            canvas.style.height = height + "px";
        }
        const ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, width, height);
        ctx.font = layer.font;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        const events = data.events;
        const drawn = [];
        for (const mark of layer.marks) {
            const bubble = mark.n !== undefined;
            const at = map.project(bubble ? [mark.lon, mark.lat] : [events.lon[mark.i], events.lat[mark.i]]);
            const r = bubble ? mark.r : sizeOf(events.fatalities[mark.i]) / 2;
            const known = !bubble && events.fatalities[mark.i] >= 0;
            const color = bubble ? null : data.typeColorList[events.type[mark.i]];
            // placed only to a region, or dated only to a week or month: drawn soft, with a
            // dashed edge, never like an exact one
            const vague = !bubble && (events.geo[mark.i] > 1 || events.time[mark.i] > 1);
            if (at.x < -r - 4 || at.y < -r - 4 || at.x > width + r + 4 || at.y > height + r + 4) {
                continue;
            }
            ctx.beginPath();
            ctx.arc(at.x, at.y, r, 0, 2 * Math.PI);
            if (bubble) {
                ctx.globalAlpha = 1;
                ctx.fillStyle = data.style.cluster;
                ctx.fill();
                ctx.fillStyle = "#ffffff";
                ctx.fillText(String(mark.n), at.x, at.y);
            } else if (known) {
                ctx.globalAlpha = vague ? mark.o * 0.35 : mark.o; // a known toll: a disc
                ctx.fillStyle = color;
                ctx.fill();
                if (vague) {
                    ctx.globalAlpha = mark.o;
                    ctx.setLineDash([3, 2]);
                    ctx.lineWidth = 1.5;
                    ctx.strokeStyle = color;
                    ctx.stroke();
                    ctx.setLineDash([]);
                }
            } else {
                ctx.globalAlpha = mark.o; // an unknown toll: a ring
                ctx.fillStyle = data.style.unknownFill;
                ctx.fill();
                ctx.beginPath();
                ctx.arc(at.x, at.y, r + 1.5, 0, 2 * Math.PI);
                ctx.lineWidth = 3;
                ctx.strokeStyle = color;
                ctx.setLineDash(vague ? [3, 2] : []);
                ctx.stroke();
                ctx.setLineDash([]);
            }
            drawn.push({x: at.x, y: at.y, r: r + (bubble || known ? 0 : 3), mark: mark});
        }
        // Clear the canvas under the town markers, which the map draws beneath it.
        ctx.globalAlpha = 1;
        ctx.globalCompositeOperation = "destination-out";
        layer.towns = data.towns.map(function (town) {
            const at = map.project([town.lon, town.lat]);
            ctx.beginPath();
            ctx.arc(at.x, at.y, town.radius + 1, 0, 2 * Math.PI);
            ctx.fill();
            return {x: at.x, y: at.y, r: town.radius + 1};
        });
        ctx.globalCompositeOperation = "source-over";
        layer.drawn = drawn;
        layer.painted = layer.day;
    }

    /* Run fn after the next frame has been drawn (or after 400 ms in a hidden tab). */
    function afterFrame(fn) {
        let done = false;
        const once = function () {
            if (!done) {
                done = true;
                fn();
            }
        };
        window.requestAnimationFrame(function () { setTimeout(once, 0); });
        setTimeout(once, 400);
    }

    /* The situation panel follows the map: its day is published after the map's frame,
       so the panel's server round trip and re-render do not hold that frame up. */
    function publishDay(day) {
        const key = day + "/" + layer.windowDays;
        if (layer.published !== key) {
            layer.published = key;
            window.dash_clientside.set_props("situation-day", {data: {day: day, window: layer.windowDays}});
        }
    }

    function drawEvents(day, data) {
        layer.day = day;
        layer.data = data;
        if (layer.windowDays === undefined) {
            layer.windowDays = data.windowDays;
        }
        const map = mapOf();
        if (!map || !map.getCanvasContainer) {
            // The graph loads lazily: try again shortly, with whatever day is current then.
            publishDay(day);
            if (!layer.retry) {
                layer.retry = setTimeout(function () {
                    layer.retry = null;
                    drawEvents(layer.day, layer.data);
                }, 50);
            }
            return;
        }
        if (layer.map !== map || !layer.canvas.isConnected) {
            attachCanvas(map);
        }
        const shown = eventMarks(day, data, {zoom: map.getZoom(), bounds: map.getBounds()}, layer.windowDays);
        layer.marks = shown.marks;
        layer.crowded = shown.crowded;
        layer.total = shown.total;
        paint(true);
        afterFrame(function () {
            if (day === layer.day) {
                publishDay(day); // unless a later step has already moved on
            }
        });
    }

    /* A Patch that pans the timeline when the day has left its visible range, so the
       cursor stays in sight (the day lands three quarters along the same span), or null.
       It goes through Dash, so that the figure Dash keeps has the new range too. */
    function timelinePan(day) {
        const gd = document.querySelector("#timeline .js-plotly-plot");
        const xa = gd && gd._fullLayout && gd._fullLayout.xaxis;
        if (!xa || !xa.range) {
            return null;
        }
        const t = day * DAY_MS;
        const first = xa.r2l(xa.range[0]);
        const last = xa.r2l(xa.range[1]);
        if (t >= first && t <= last) {
            return null;
        }
        const span = last - first;
        const range = [t - 0.75 * span, t + 0.25 * span].map(function (ms) {
            return new Date(ms).toISOString().slice(0, 10);
        });
        // both rows' axes (they match), each with a new uirevision: Plotly would otherwise
        // keep the range it shows
        const patch = new window.dash_clientside.Patch();
        for (const axis of ["xaxis", "xaxis2"]) {
            patch.assign(["layout", axis, "range"], range).assign(["layout", axis, "uirevision"], "day-" + day);
        }
        // once redrawn, the cursor comes back at the day (whatever day it is by then)
        gd.once("plotly_afterplot", function () {
            window.dash_clientside.set_props("timeline-cursor", {style: cursorStyle(layer.day)});
        });
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

    /* The town markers this page has drawn, so that an unchanged day costs nothing. */
    const state = {townsKey: null, patchedDay: null, timelineDrawn: false};

    const ns = (window.dash_clientside = window.dash_clientside || {});
    ns.sahelAtlas = {
        isoOf: isoOf,
        parseIso: parseIso,
        eventsInWindow: eventsInWindow,
        /* What the event layer shows now: {id, lon, lat, opacity, known} for an event,
           {bubble, count, lon, lat} for an aggregate. */
        shownEvents: function () {
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
        paintedDay: function () { return layer.painted; },
        /* The town marker colours of the ISO day `iso` ({ring, core, hover} in trace
           order), or null before the data has loaded. */
        townsOn: function (iso) {
            return layer.data ? townsOn(layer.data.towns, parseIso(iso)) : null;
        },
        patchedDay: function () { return state.patchedDay; },

        /* One callback moves the whole view, so a step is one trip through Dash. */
        updateView: function (search, slider, typed, _bm, _bd, _fd, _fm, _pc, _nc, _tick,
                               click, _timelineRelayout, current, source) {
            const prop = triggeredProp(); // read now: Dash clears it when this call returns
            layer.hoverUrl = source.hoverUrl;
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
            // The axis moved, or the timeline was first drawn (perhaps far from the day):
            // follow the day then, but not when the reader pans or zooms the timeline.
            const first = !state.timelineDrawn;
            state.timelineDrawn = true;
            const pan = first ? timelinePan(before) : null;
            const cursor = pan ? {display: "none"} : cursorStyle(before);
            return [no, no, no, no, no, no, no, cursor, no, pan || no];
        }
        if (prop === null || prop === "url.search") {
            layer.windowDays = windowAsked(search, data);
        }
        let day = dayAsked(prop, {search: search, slider: slider, typed: typed, click: click}, before, data);
        if (day === null) {
            const cls = prop === "date-input.value" ? "date-input invalid" : no;
            return [no, no, no, cls, no, no, no, no, no, no];
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
        const pan = timelinePan(day); // the cursor comes back with the panned axis
        return [
            day, day, iso, "date-input", labelOf(day), stop,
            townPatch(day, data), pan ? {display: "none"} : cursorStyle(day), labelOf(day),
            pan || no,
        ];
    }
})();

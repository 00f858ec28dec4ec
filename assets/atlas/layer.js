/*
 * Sahel Atlas, the event layer: a 2D canvas of our own over the MapLibre map, with its
 * hover tooltip and click (the hooks that keep a step from redrawing the WebGL map
 * needlessly are in maphooks.js).
 *
 * Owns: the layer's state (`state`), drawEvents (a step), paint, the hover texts fetched
 * on demand, publishDay (the situation panel follows the map after its frame, with the
 * day, window, filters and the day compared with), the filters' row mask it draws through
 * (`state.mask`, set by setFilters), the map's view in the URL (showView, and
 * lat/lon/zoom written when the view moves), the ids of the events clicked (idOf; what
 * a click opens is chooser.js's), and the rings that mark the towns changed since the
 * day compared with.
 */
(function (root) {
    "use strict";

    /* A sibling module: required in Node, read from the namespace in the page (looked
       up when called, since Dash loads the files one by one). */
    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* ---- The event layer: a 2D canvas of our own laid over the map. ----
       A date step repaints this canvas alone: a few dozen circles, about a millisecond.
       Drawing the events in MapLibre instead re-renders the whole WebGL map (every fill,
       line and label) at every step, which in software GL costs 40-50 ms a frame, twice
       per step. The canvas follows the map: it is repainted at each frame MapLibre draws
       while the view moves. The town markers are drawn on it too, on top of the events:
       a change of control is then a repaint of this canvas, not a new GeoJSON source for
       the WebGL map (which cost about 180 ms a change). */
    const layer = {
        day: null, data: null, map: null, canvas: null, marks: [], crowded: false,
        drawn: [], towns: [], viewKey: null, retry: null, published: null, painted: null,
        hoverUrl: null, font: null, pendingView: null, viewTarget: null, flying: false,
        compareDay: null, changedTowns: [], since: null,
        filters: null, filterKey: "", mask: null, drawnKey: null, townsDay: null, townLook: null,
        townsChanged: null,
    };

    function mapOf() {
        const gd = document.querySelector("#map .js-plotly-plot");
        const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        return sub && sub.map;
    }

    /* The default view's framing (maphooks.fitDefaultView), once the map is here. */
    let framing = null;

    function attachCanvas(map) {
        if (layer.map !== map) {
            const hooks = need("maphooks");
            hooks.skipNoOpMapCalls(map, function () { return layer.flying; });
            // no view asked for (by a link, a moment): frame the data for this screen
            const gd = document.querySelector("#map .js-plotly-plot");
            framing = hooks.fitDefaultView(map, gd && gd.layout && gd.layout.map && gd.layout.map.style, function () {
                return layer.pendingView === null && layer.viewTarget === null;
            });
        }
        const canvas = document.createElement("canvas");
        canvas.className = "event-layer";
        canvas.setAttribute("aria-hidden", "true");
        map.getCanvasContainer().appendChild(canvas);
        layer.canvas = canvas;
        layer.font = "600 12px " + window.getComputedStyle(canvas).fontFamily; // bubble counts
        layer.map = map;
        layer.viewKey = null;
        map.on("render", function () { paint(false); });
        map.on("resize", function () { paint(true); });
        pointerOn(map, document.getElementById("map-tooltip"), function () {
            return {towns: layer.towns, drawn: layer.drawn,
                    lines: function (k) { return layer.townLook ? layer.townLook.lines[k] : []; }};
        });
        need("chooser").install(map); // a town's click selects it (Plotly's); several things: a list
        map.on("moveend", function (e) {
            if (layer.crowded) {
                drawEvents(layer.day, layer.data); // bubbles or points follow the view
            }
            layer.flying = false;
            if (!framing || !framing.framed()) {
                writeView(map); // the URL follows the view, whoever moved it (but the default)
            }
        });
        if (layer.pendingView) {
            const view = layer.pendingView;
            layer.pendingView = null;
            showView(view, false);
        }
        const moments = window.SahelAtlas.moments;
        if (moments) {
            moments.onMap(); // a presentation opened by a link sizes the map's labels now
        }
    }

    /* The map's view into the URL (lat, lon, zoom), replacing the current entry (a move
       of the map is not a Back step of its own). */
    function writeView(map) {
        const c = map.getCenter();
        const params = new URLSearchParams(window.location.search);
        params.set("lat", c.lat.toFixed(3));
        params.set("lon", c.lng.toFixed(3));
        params.set("zoom", map.getZoom().toFixed(2));
        window.history.replaceState(window.history.state, "", "?" + params.toString());
    }

    /* Show a map view {lat, lon, zoom}: flown to (animate) or jumped to, as a person's move
       (Plotly then keeps it in its layout, so a later update does not undo it); kept until
       the map exists when it does not yet. The same view asked again is left alone. */
    function showView(view, animate) {
        const map = mapOf();
        if (!map || !map.getCanvasContainer) {
            layer.pendingView = view;
            return;
        }
        const key = [view.lat, view.lon, view.zoom].join();
        if (key === layer.viewTarget) {
            return;
        }
        layer.viewTarget = key;
        const options = {center: [view.lon, view.lat], zoom: view.zoom};
        const cause = {originalEvent: {type: "view"}};
        if (animate) {
            layer.flying = true;
            map.flyTo(Object.assign({essential: true}, options), cause);
        } else {
            map.jumpTo(options, cause);
        }
    }

    /* The hover text of event i: the full text once the server has sent it (asked for
       once per event, then kept); until then, a summary from the columns at hand, and
       `then(html)` is called when the full text comes. */
    const hovers = new Map();
    const eventIds = new Map();

    /* The id of the event in row i (known from its hover text, else asked for). */
    function idOf(i) {
        if (eventIds.has(i)) {
            return Promise.resolve(eventIds.get(i));
        }
        return fetch(layer.hoverUrl + "?i=" + i).then(function (r) {
            if (!r.ok) {
                throw new Error("Sahel Atlas: no event in row " + i + " (" + r.status + ")");
            }
            return r.json();
        }).then(function (body) {
            eventIds.set(i, body.id);
            return body.id;
        });
    }

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
                eventIds.set(i, body.id);
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
        const when = need("dates").labelOf(first) + (last > first ? " – " + need("dates").labelOf(last) : "");
        const toll = events.fatalities[i] >= 0 ? events.fatalities[i] + " killed" : "toll unknown";
        return "<b>" + when + "</b><br>" + need("dates").escapeText(events.labels.type[events.type[i]]) + " · " + toll;
    }

    /* The town's hover as text: its title line in bold, then its detail (never HTML). */
    /* A town's lines (holders, since when, sources) in the tooltip, as text. */
    function townTip(tip, lines) {
        tip.textContent = "";
        (lines || []).forEach(function (line, n) {
            if (n) {
                tip.appendChild(document.createElement("br"));
            }
            const node = n ? document.createTextNode(line) : document.createElement("b");
            if (!n) {
                node.textContent = line;
            }
            tip.appendChild(node);
        });
    }

    /* What lies under a point of a map, among what was painted there ({towns, drawn}):
       {towns: [k], marks: [mark]}, the town markers that cover it and the marks drawn
       there, newest first (the map draws the towns over them). */
    function hitsAt(point, painted) {
        const towns = [];
        painted.towns.forEach(function (t, k) {
            if (Math.hypot(point.x - t.x, point.y - t.y) <= t.r) {
                towns.push(k);
            }
        });
        const marks = [];
        for (let k = painted.drawn.length - 1; k >= 0; k--) {
            const d = painted.drawn[k];
            if (Math.hypot(point.x - d.x, point.y - d.y) <= Math.max(d.r, 4) + 1) {
                marks.push(d.mark);
            }
        }
        return {towns: towns, marks: marks};
    }

    /* The one thing a pointer on that point is on: a town ({town: k}, drawn on top), else
       the newest mark, else null. */
    function markAt(point, painted) {
        const hits = hitsAt(point, painted);
        return hits.towns.length ? {town: hits.towns[0]} : hits.marks[0] || null;
    }

    /* The pointer over a map painted by paint.js (the main map, the split view's second):
       the tooltip `tip` for what is under it (a town's holders, an event's record, a
       bubble's count) and a click on an event, which opens it; with `clickTown`, a click
       on a town too (the main map's towns take their clicks through Plotly's trace).
       `painted()` is what the map shows now: {towns, drawn, lines(k)}. */
    function pointerOn(map, tip, painted, clickTown) {
        let tipFor = null;
        const place = function (point) {
            tip.style.left = Math.min(point.x + 14, map.getCanvas().clientWidth - tip.offsetWidth - 4) + "px";
            tip.style.top = point.y + 14 + "px";
        };
        map.on("mousemove", function (e) {
            const shown = painted();
            const hit = markAt(e.point, shown);
            tipFor = hit;
            if (!hit) {
                tip.style.display = "none";
                return;
            }
            if (hit.town !== undefined) {
                townTip(tip, shown.lines(hit.town));
            } else if (hit.n !== undefined) {
                tip.innerHTML = "<b>" + hit.n + " events</b>, " + hit.dead
                    + " reported killed<br>Zoom in or step to see single events.";
            } else {
                tip.innerHTML = hoverOf(hit.i, function (html) {
                    if (tipFor === hit) {
                        tip.innerHTML = html; // the full text has come while still on it
                        place(e.point);
                    }
                });
            }
            tip.style.display = "block";
            place(e.point);
        });
        map.on("mouseout", function () {
            tipFor = null;
            tip.style.display = "none";
        });
        map.on("click", function (e) {
            const hit = markAt(e.point, painted());
            if (hit && hit.n === undefined && hit.town === undefined) {
                need("chooser").openEvent(hit.i);
            } else if (hit && hit.town !== undefined && clickTown) {
                need("chooser").openTown(layer.data.towns[hit.town].id);
            }
        });
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
        const painter = need("paint");
        const ctx = painter.begin(canvas, width, height);
        const drawn = painter.drawMarks(ctx, map, data, layer.marks, {width: width, height: height, font: layer.font});
        layer.towns = painter.drawTowns(ctx, map, data, townLook(data));
        markChangedTowns(ctx, map, data);
        layer.drawn = drawn;
        layer.painted = layer.day;
    }

    /* The colours and texts of the towns on the day shown, worked out once a day. */
    function townLook(data) {
        if (layer.townsDay !== layer.day || !layer.townLook) {
            const look = need("marks").townsOn(data.towns, layer.day);
            look.lines = data.towns.map(function (town) {
                return need("marks").periodOf(town, layer.day).lines;
            });
            const key = look.core.join() + "|" + look.ring.join() + "|" + look.gap.join();
            if (layer.townLook && layer.townLook.key !== key) {
                layer.townsChanged = layer.day; // a town changed hands on this step
            }
            look.key = key;
            layer.townLook = look;
            layer.townsDay = layer.day;
        }
        return layer.townLook;
    }

    /* With a day to compare with, a dashed red ring around each town whose holders differ
       between it and the day shown. */
    function markChangedTowns(ctx, map, data) {
        layer.changedTowns = [];
        if (layer.compareDay === null || layer.compareDay === undefined) {
            return;
        }
        const marks = need("marks");
        const now = marks.townsOn(data.towns, layer.day);
        const then = marks.townsOn(data.towns, layer.compareDay);
        ctx.save();
        ctx.strokeStyle = "#b2182b";
        ctx.lineWidth = 2.5;
        ctx.setLineDash([4, 3]);
        data.towns.forEach(function (town, k) {
            if (now.core[k] === then.core[k] && now.ring[k] === then.ring[k]) {
                return;
            }
            layer.changedTowns.push(town.id);
            const at = map.project([town.lon, town.lat]);
            ctx.beginPath();
            ctx.arc(at.x, at.y, town.radius + 5, 0, 2 * Math.PI);
            ctx.stroke();
        });
        ctx.restore();
    }

    /* Run fn after the next frame has been drawn, or after the next `frames` of them (or
       after 400 ms a frame in a hidden tab). */
    function afterFrame(fn, frames) {
        let done = false;
        const once = function () {
            if (!done) {
                done = true;
                fn();
            }
        };
        let left = frames || 1;
        const frame = function () {
            left -= 1;
            if (left > 0) {
                window.requestAnimationFrame(frame);
            } else {
                setTimeout(once, 0);
            }
        };
        window.requestAnimationFrame(frame);
        setTimeout(once, 400 * (frames || 1));
    }

    /* The situation panel follows the map: its day is published after the map's frame,
       so the panel's server round trip and re-render do not hold that frame up. */
    function publishDay(day) {
        const compare = layer.compareDay === undefined ? null : layer.compareDay;
        const since = layer.windowDays === null && layer.since !== undefined ? layer.since : null;
        const key = [day, layer.windowDays, since, layer.filterKey, compare].join("/");
        if (layer.published !== key) {
            layer.published = key;
            const filters = layer.filters ? need("filters").forServer(layer.filters) : null;
            window.dash_clientside.set_props("situation-day", {
                data: {day: day, window: layer.windowDays, since: since, filters: filters, compare: compare},
            });
        }
    }

    /* Take new filters and the mask built for them (filters.buildMask: once per change,
       never per step); the next drawEvents draws through it. */
    function setFilters(filters, key, mask) {
        layer.filters = filters;
        layer.filterKey = key;
        layer.mask = mask;
    }

    /* Show the events of `day` (and the towns on it); `quiet`: the situation panel is not
       told (the fast path of a step tells it once the day has settled). A day already
       drawn as asked, at the same view, is not drawn again. */
    function drawEvents(day, data, quiet) {
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
        const key = [day, layer.windowDays, layer.since, layer.filterKey, layer.compareDay].join("/");
        if (key === layer.drawnKey && layer.painted === day && !layer.crowded) {
            if (!quiet) {
                publishDay(day);
            }
            return;
        }
        layer.drawnKey = key;
        const shown = need("marks").eventMarks(day, data, {zoom: map.getZoom(), bounds: map.getBounds()},
            layer.windowDays, layer.mask, layer.since);
        layer.marks = shown.marks;
        layer.crowded = shown.crowded;
        layer.total = shown.total;
        paint(true);
        need("twin").update(); // the split view of a comparison, if shown
        if (quiet) {
            return;
        }
        afterFrame(function () {
            if (day === layer.day) {
                publishDay(day); // unless a later step has already moved on
            }
        });
    }

    const api = {state: layer, drawEvents: drawEvents, paint: paint, mapOf: mapOf, showView: showView, setFilters: setFilters,
                 idOf: idOf, pointerOn: pointerOn, hitsAt: hitsAt, afterFrame: afterFrame};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.layer = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

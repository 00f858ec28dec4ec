/*
 * Sahel Atlas, the split view of a comparison: with a day to compare with (compare=D1)
 * and a screen wide enough, a second map beside the first shows D1 (its window's events
 * and its town markers) while the first shows the day; the two move together.
 *
 * The second map is a MapLibre map of the same build Plotly uses (the main map's own
 * constructor: nothing more is loaded), with the main map's style less Plotly's layers,
 * and a canvas of its own drawn by paint.js, as the event layer does. It is not a Dash
 * component: it comes and goes with the comparison, the screen's width and the "Side by
 * side" button (its "off" is kept in the URL as split=0, so a link reopens the view).
 *
 * Its events and towns answer the pointer as the main map's do (layer.pointerOn: a
 * tooltip, a click opens an event or a town's history, the pick list of chooser.js
 * where several lie under a click).
 *
 * Owns: splitWanted (pure, unit-tested) and, in the page, update (called by layer.js
 * after each paint of the main map) and the button.
 */
(function (root) {
    "use strict";

    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* Below this width (CSS px) two maps side by side would each be too narrow to read. */
    const SPLIT_MIN_PX = 1100;

    const twin = {
        map: null, box: null, canvas: null, label: null, mainLabel: null, key: null, look: null,
        marks: [], crowded: false, syncing: false, unhook: null, font: null, waiting: false,
        drawn: [], towns: [], lines: [],
    };

    /* Whether the split view is shown: a day compared with, room for two maps, not
       turned off (split=0), and not while presenting. */
    function splitWanted(compareDay, width, search, presenting) {
        return compareDay !== null && compareDay !== undefined && width >= SPLIT_MIN_PX
            && new URLSearchParams(search).get("split") !== "0" && !presenting;
    }

    /* The main map's style for the second map: Plotly's own layers and sources left out
       (its town trace takes clicks on the main map only). */
    function styleOf(main) {
        const style = main.getStyle();
        const plotly = function (id) { return /^(source|plotly)-/.test(id || ""); };
        style.layers = style.layers.filter(function (l) { return !plotly(l.id) && !plotly(l.source); });
        for (const id of Object.keys(style.sources)) {
            if (plotly(id)) {
                delete style.sources[id];
            }
        }
        return style;
    }

    function cameraOf(map) {
        return {center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch()};
    }

    /* Move `to` where `from` is, without echo (each map follows the other). */
    function follow(from, to, cause) {
        if (twin.syncing) {
            return;
        }
        twin.syncing = true;
        try {
            to.jumpTo(cameraOf(from), cause);
        } finally {
            twin.syncing = false;
        }
    }

    function resizeMaps() {
        window.dispatchEvent(new Event("resize")); // Plotly's responsive graph follows
        if (twin.map) {
            twin.map.resize();
        }
    }

    function open(main) {
        const wrap = document.querySelector(".map-wrap");
        if (!wrap) {
            return;
        }
        const box = document.createElement("div");
        box.className = "twin";
        const holder = document.createElement("div");
        holder.className = "twin-map";
        const label = document.createElement("div");
        label.className = "twin-label";
        box.appendChild(holder);
        box.appendChild(label);
        const mainLabel = document.createElement("div");
        mainLabel.className = "twin-label twin-label-main";
        wrap.insertBefore(box, wrap.firstChild);
        wrap.appendChild(mainLabel);
        wrap.classList.add("split");
        const legend = document.getElementById("legend");
        if (legend) {
            legend.open = false; // folded (its title unfolds it), so both maps are in view
        }
        const map = new main.constructor(Object.assign({
            container: holder, style: styleOf(main), attributionControl: false, dragRotate: false,
        }, cameraOf(main)));
        const canvas = document.createElement("canvas");
        canvas.className = "event-layer";
        canvas.setAttribute("aria-hidden", "true");
        map.getCanvasContainer().appendChild(canvas);
        const tip = document.createElement("div");
        tip.className = "map-tooltip twin-tooltip";
        tip.setAttribute("role", "tooltip");
        box.appendChild(tip);
        // its events and towns answer the pointer as the first map's do: a tooltip, a
        // click opens an event or a town's history, several things under a click a list
        const painted = function () {
            return {towns: twin.towns, drawn: twin.drawn, lines: function (k) { return twin.lines[k] || []; }};
        };
        need("layer").pointerOn(map, tip, painted, true);
        need("chooser").install(map, painted);
        Object.assign(twin, {map: map, box: box, canvas: canvas, label: label, mainLabel: mainLabel, key: null});
        twin.font = "600 12px " + window.getComputedStyle(canvas).fontFamily;
        const cause = {originalEvent: {type: "view"}}; // a person's move, for Plotly
        const onMain = function () { follow(main, map); };
        // only a person's move of the second map moves the first (a resize moves a map
        // too, and the first would then take it for a person's and stop framing the data)
        const onTwin = function (e) {
            if (e && e.originalEvent) {
                follow(map, main, cause);
            }
        };
        const onMoveEnd = function () {
            if (twin.crowded) {
                twin.key = null; // bubbles follow the view
                update();
            }
        };
        main.on("move", onMain);
        main.on("moveend", onMain); // the first map framed anew as both shrank
        map.on("load", onMain);
        map.on("move", onTwin);
        map.on("moveend", onMoveEnd);
        map.on("render", paint);
        map.on("resize", paint);
        twin.unhook = function () {
            main.off("move", onMain);
            main.off("moveend", onMain);
        };
        resizeMaps();
    }

    function close() {
        if (!twin.map) {
            return;
        }
        twin.unhook();
        twin.map.remove();
        twin.box.remove();
        twin.mainLabel.remove();
        const wrap = document.querySelector(".map-wrap");
        if (wrap) {
            wrap.classList.remove("split");
        }
        Object.assign(twin, {map: null, box: null, canvas: null, label: null, mainLabel: null, key: null,
                             drawn: [], towns: [], lines: []});
        resizeMaps();
    }

    function paint() {
        const map = twin.map;
        const layer = need("layer").state;
        if (!map || !layer.data || !twin.look) {
            return;
        }
        const gl = map.getCanvas();
        const width = gl.clientWidth;
        const height = gl.clientHeight;
        const canvas = twin.canvas;
        const painter = need("paint");
        const ctx = painter.begin(canvas, width, height);
        twin.drawn = painter.drawMarks(ctx, map, layer.data, twin.marks, {width: width, height: height, font: twin.font});
        twin.towns = painter.drawTowns(ctx, map, layer.data, twin.look);
    }

    /* Show, hide or redraw the second map for the main map's state (cheap when nothing it
       shows has changed: called after every paint of the main map). */
    function update() {
        const layerApi = need("layer");
        const layer = layerApi.state;
        const main = layerApi.mapOf();
        const moments = need("moments");
        const presenting = Boolean(moments && moments.state && moments.state.presenting);
        if (!main || !layer.data || !splitWanted(layer.compareDay, window.innerWidth, window.location.search, presenting)) {
            close();
            syncButton(layer);
            return;
        }
        if (!twin.map) {
            if (!main.getStyle()) {
                // the first map's style is not here yet: the second map copies it
                if (!twin.waiting) {
                    twin.waiting = true;
                    main.once("styledata", function () {
                        twin.waiting = false;
                        update();
                    });
                }
                return;
            }
            open(main);
        }
        syncButton(layer);
        const dates = need("dates");
        setText(twin.mainLabel, dates.labelOf(layer.day));
        const key = [layer.compareDay, layer.windowDays, layer.since, layer.filterKey].join("/");
        if (key === twin.key) {
            return;
        }
        twin.key = key;
        setText(twin.label, dates.labelOf(layer.compareDay));
        const day = layer.compareDay;
        const shown = need("marks").eventMarks(day, layer.data,
            {zoom: twin.map.getZoom(), bounds: twin.map.getBounds()}, layer.windowDays, layer.mask, layer.since);
        twin.marks = shown.marks;
        twin.crowded = shown.crowded;
        twin.look = need("marks").townsOn(layer.data.towns, day);
        twin.lines = layer.data.towns.map(function (town) { return need("marks").periodOf(town, day).lines; });
        twin.day = day;
        paint();
    }

    function setText(el, text) {
        if (el && el.textContent !== text) {
            el.textContent = text;
        }
    }

    /* The "Side by side" button: shown with a day compared with, pressed when split. */
    function syncButton(layer) {
        const button = document.getElementById("split-view");
        if (!button) {
            return;
        }
        const comparing = layer.compareDay !== null && layer.compareDay !== undefined;
        button.hidden = !comparing || window.innerWidth < SPLIT_MIN_PX;
        button.setAttribute("aria-pressed", twin.map ? "true" : "false");
    }

    function onClick(e) {
        const button = e.target && e.target.closest && e.target.closest("#split-view");
        if (!button) {
            return;
        }
        const params = new URLSearchParams(window.location.search);
        if (twin.map) {
            params.set("split", "0");
        } else {
            params.delete("split");
        }
        window.history.replaceState(window.history.state, "", "?" + params.toString());
        update();
    }

    /* What the second map shows (for tests): its day, its towns' colours, its view. */
    function shown() {
        if (!twin.map) {
            return null;
        }
        const c = twin.map.getCenter();
        return {day: twin.day, core: twin.look.core.slice(), ring: twin.look.ring.slice(),
                lon: c.lng, lat: c.lat, zoom: twin.map.getZoom(), marks: twin.marks.length,
                loaded: twin.map.loaded(),
                points: twin.drawn.filter(function (d) { return d.mark.i !== undefined; })
                    .map(function (d) { return {i: d.mark.i, x: d.x, y: d.y}; })};
    }

    const api = {
        splitWanted: splitWanted, SPLIT_MIN_PX: SPLIT_MIN_PX, update: update, shown: shown,
        mapOf: function () { return twin.map; },
    };
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.twin = api;
        document.addEventListener("click", onClick);
        window.addEventListener("resize", function () {
            if (Boolean(twin.map) !== splitWanted(need("layer").state.compareDay, window.innerWidth,
                window.location.search, false)) {
                update();
            }
        });
    }
})(typeof window !== "undefined" ? window : globalThis);

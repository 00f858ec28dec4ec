/*
 * Sahel Atlas, the map shown whole: its borders, names, town markers and events appear in
 * one frame, never a map without its towns.
 *
 * MapLibre shows each part of the map as it loads, and Plotly adds the town markers'
 * sources only once the map's style has loaded: on a first load the borders stood alone
 * for a while (4 s on a busy 2-core machine, benchmarks/first_load.py). Until the map has
 * loaded everything, the town markers included, the page keeps it hidden (style.css:
 * `html:not(.map-drawn) #map`) and shows "Loading the map…" in its place; then it adds
 * `map-drawn` to <html>, once, and the whole map appears.
 *
 * Owns: isDrawn (pure: whether a map may be shown) and the watch that reveals it.
 */
(function (root) {
    "use strict";

    const TOWNS_SOURCE = "source-town-core-circle"; // Plotly's source of the trace uid "town-core"

    /* Whether the map may be shown: it has loaded its style, sources and tiles, the town
       markers' source among them when the figure has town markers. `map` needs loaded(),
       getSource(id); `traces` are the figure's traces (gd.data). */
    function isDrawn(map, traces) {
        if (!map || !map.loaded()) {
            return false;
        }
        const towns = (traces || []).some(function (t) { return t.uid === "town-core" || t.name === "town-core"; });
        return !towns || Boolean(map.getSource(TOWNS_SOURCE));
    }

    function graph() {
        return document.querySelector("#map .js-plotly-plot");
    }

    function mapOf(gd) {
        const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        return sub && sub.map;
    }

    function revealed() {
        return document.documentElement.classList.contains("map-drawn");
    }

    /* Reveal the map after the first frame MapLibre draws whole (its `render` event, or
       `idle`), so that the frame shown holds everything. Until then, look at each frame
       for the map Plotly has made, and watch a new one if Plotly makes another. */
    let watched = null;
    function watch() {
        if (revealed()) {
            return;
        }
        const gd = graph();
        const map = mapOf(gd);
        if (map && map !== watched) {
            watched = map;
            const events = ["render", "idle"];
            const check = function () {
                if (!revealed() && isDrawn(map, gd.data)) {
                    document.documentElement.classList.add("map-drawn");
                }
                if (revealed()) {
                    events.forEach(function (name) { map.off(name, check); });
                }
            };
            events.forEach(function (name) { map.on(name, check); });
            check();
        }
        window.requestAnimationFrame(watch);
    }

    const api = {isDrawn: isDrawn, TOWNS_SOURCE: TOWNS_SOURCE};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.reveal = api;
        window.requestAnimationFrame(watch);
    }
})(typeof window !== "undefined" ? window : globalThis);

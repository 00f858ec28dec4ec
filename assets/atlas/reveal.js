/*
 * Sahel Atlas, the map shown whole: its borders, names, town markers and events appear in
 * one frame, never a map without its towns.
 *
 * MapLibre shows each part of the map as it loads, and the town markers are drawn by the
 * event layer once the data has come: on a first load the borders stood alone for a while
 * (4 s on a busy 2-core machine, benchmarks/first_load.py). Until the map has loaded
 * everything and the event layer has painted the towns, the page keeps it hidden
 * (style.css: `html:not(.map-drawn) #map`) and shows "Loading the map…" in its place;
 * then it adds `map-drawn` to <html>, once, and the whole map appears.
 *
 * Owns: isDrawn (pure: whether a map may be shown) and the watch that reveals it.
 */
(function (root) {
    "use strict";

    /* Whether the map may be shown: it has loaded its style, sources and tiles, and the
       event layer has painted on it (the day's events and its town markers). `map` needs
       loaded(); `painted` is the day the layer painted, or null. */
    function isDrawn(map, painted) {
        return Boolean(map && map.loaded()) && painted !== null && painted !== undefined;
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
                const layer = root.SahelAtlas.layer;
                if (!revealed() && isDrawn(map, layer && layer.state.painted)) {
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

    const api = {isDrawn: isDrawn};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.reveal = api;
        window.requestAnimationFrame(watch);
    }
})(typeof window !== "undefined" ? window : globalThis);

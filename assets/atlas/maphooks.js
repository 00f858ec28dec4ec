/*
 * Sahel Atlas, hooks on the MapLibre map that Plotly drives: they keep a date step from
 * redrawing the WebGL map needlessly (the reasons, measured, are by each function).
 *
 * Owns: skipNoOpMapCalls (Plotly's calls that change nothing, and its view resets while
 * the map flies to a moment). Browser-only; installed once
 * per map by layer.js.
 */
(function (root) {
    "use strict";

    /* At each update Plotly sets every paint and layout property of its town layers
       again, sets the view to the one the map already has and resizes it to the size it
       has; MapLibre schedules a frame for each call. That frame, drawn before the new
       town data has loaded, costs 40-70 ms in software GL and holds the data up. Calls
       that change nothing are skipped. */
    function skipNoOpMapCalls(map, flying) {
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
                // while the map flies to a moment, Plotly's updates would set it back to
                // the view its layout holds; its layout takes the new view when it lands
                if (flying()) {
                    return this;
                }
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

    const api = {skipNoOpMapCalls: skipNoOpMapCalls};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.maphooks = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

/*
 * Sahel Atlas, hooks on the MapLibre map that Plotly drives: they keep a date step from
 * redrawing the WebGL map needlessly (the reasons, measured, are by each function).
 *
 * Owns: skipNoOpMapCalls (Plotly's calls that change nothing, and its view resets while
 * the map flies to a moment) and fitDefaultView (the view of a link that names none:
 * the data's bounds fitted to the screen, clear of the legend). Installed once per map
 * by layer.js; fitPaddings is pure (tests/js/maphooks.test.js).
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

    /* Room in px kept between the framed bounds and the map's edge (or what covers it). */
    const FIT_EDGE = 12;
    /* The key of the style's metadata that holds the bounds (dashboard/mapstyle.py). */
    const FIT_METADATA = "sahel-atlas:fit";
    /* What sits over the map and may hide part of it (the legend, top left). */
    const OVER_MAP = ".map-legend";

    /* The paddings to try when fitting bounds into a map of `size` {width, height} with
       boxes laid over it ({left, top, right, bottom}, px from the map's top left corner):
       for each box that reaches into the map, the bounds go beside it or below it (the
       legend sits in a corner; above or to its left there is no room). Paddings that
       leave no room at all are dropped. */
    function fitPaddings(size, boxes, edge) {
        let options = [{top: edge, right: edge, bottom: edge, left: edge}];
        for (const b of boxes) {
            const inside = b.right > 0 && b.bottom > 0 && b.left < size.width && b.top < size.height
                && b.right > b.left && b.bottom > b.top;
            if (!inside) {
                continue;
            }
            options = [].concat.apply([], options.map(function (p) {
                return [Object.assign({}, p, {left: Math.max(p.left, b.right + edge)}),
                        Object.assign({}, p, {top: Math.max(p.top, b.bottom + edge)})];
            }));
        }
        const roomy = options.filter(function (p) {
            return p.left + p.right < size.width - edge && p.top + p.bottom < size.height - edge;
        });
        return roomy.length ? roomy : [{top: 0, right: 0, bottom: 0, left: 0}];
    }

    /* A centre as MapLibre gives it (a LngLat, or [lng, lat]) as {lng, lat}. */
    function maplibreCenter(c) {
        return Array.isArray(c) ? {lng: c[0], lat: c[1]} : {lng: c.lng, lat: c.lat};
    }

    /* The elements laid over the map whose container is `container`. */
    function overMap(container) {
        return Array.from((container.closest(".map-wrap") || container).querySelectorAll(OVER_MAP));
    }

    /* The camera that shows `bounds` [west, south, east, north] largest, over the
       paddings fitPaddings offers; null when the map has no size yet. */
    function fitCamera(map, bounds) {
        const container = map.getContainer();
        const size = {width: container.clientWidth, height: container.clientHeight};
        if (!size.width || !size.height) {
            return null;
        }
        const at = container.getBoundingClientRect();
        const boxes = overMap(container).map(function (el) {
            const r = el.getBoundingClientRect();
            return {left: r.left - at.left, top: r.top - at.top, right: r.right - at.left, bottom: r.bottom - at.top};
        });
        let best = null;
        for (const padding of fitPaddings(size, boxes, FIT_EDGE)) {
            const camera = map.cameraForBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], {padding: padding});
            if (camera && (!best || camera.zoom > best.zoom)) {
                best = camera;
            }
        }
        return best;
    }

    /* Frame the data's bounds (the style's metadata) when a link names no view, and again
       when the map or what covers it (the legend, as it fills in or folds) changes size,
       until the view is moved by anyone else (a person, a link, a key moment) or
       `wanted()` says a view was asked for. The move is made as a
       person's (an originalEvent), so Plotly keeps it in its layout and its later updates
       do not set the view back. Returns {framed()}: whether the map shows that framing
       still (the URL is then given no view: the same link frames another screen its own
       way). */
    function fitDefaultView(map, style, wanted) {
        const bounds = style && style.metadata && style.metadata[FIT_METADATA];
        let kept = true; // nobody has moved the map nor asked for a view
        let fitted = false;
        let deferred = false; // a change of size came while the map moved
        const fit = function () {
            if (kept && !wanted()) {
                kept = false; // a view was asked for: it stays
            }
            if (!kept) {
                return;
            }
            if (map.isMoving()) {
                deferred = true; // framed again once the map is still
                return;
            }
            deferred = false;
            const camera = fitCamera(map, bounds);
            if (!camera) {
                return;
            }
            fitted = true;
            const now = map.getCenter();
            const to = maplibreCenter(camera.center);
            if (Math.abs(map.getZoom() - camera.zoom) < 1e-6 && Math.abs(now.lng - to.lng) < 1e-9
                    && Math.abs(now.lat - to.lat) < 1e-9) {
                return; // framed already (e.g. the legend grew beside the map): no frame to draw
            }
            map.jumpTo({center: camera.center, zoom: camera.zoom},
                {originalEvent: {type: "fit"}, atlasFit: true});
        };
        const moved = function (e) {
            if (e.originalEvent && !e.atlasFit) {
                kept = false; // moved by someone: their view stays
            } else if (e.type === "moveend" && !e.atlasFit && (deferred || fitted)) {
                // a change of size came while the map moved, or Plotly has set the view
                // its layout held before the framing (an update begun earlier): frame again
                window.requestAnimationFrame(fit);
            }
        };
        if (Array.isArray(bounds) && bounds.length === 4) {
            map.on("movestart", moved);
            map.on("moveend", moved);
            map.on("wheel", moved);
            // after the frame: Plotly resizes the map inside an update that then sets the
            // view its layout holds, and a fit made within it would be undone
            map.on("resize", function () { window.requestAnimationFrame(fit); });
            if (window.ResizeObserver) {
                const watch = new ResizeObserver(fit);
                overMap(map.getContainer()).forEach(function (el) { watch.observe(el); });
            }
            fit();
        }
        return {framed: function () { return kept && fitted; }};
    }

    const api = {skipNoOpMapCalls: skipNoOpMapCalls, fitDefaultView: fitDefaultView, fitPaddings: fitPaddings};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.maphooks = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

/*
 * Sahel Atlas, drawing on a canvas laid over a map: the events of a window (or their
 * aggregate bubbles) and the town markers. Used by the event layer over the main map
 * (layer.js) and by the second map of the split view (twin.js).
 *
 * Owns: clear, begin, drawMarks, drawTowns. Browser-only (it draws at a MapLibre map's
 * projection); what to draw is decided by marks.js.
 */
(function (root) {
    "use strict";

    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* A blank canvas of `width` x `height` CSS px at `ratio` device px each. */
    function clear(ctx, ratio, width, height) {
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, width, height);
    }

    /* `canvas` sized to `width` x `height` CSS px at the screen's pixel ratio and cleared:
       its 2D context, drawing in CSS px. */
    function begin(canvas, width, height) {
        const ratio = window.devicePixelRatio || 1;
        if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
            canvas.width = Math.round(width * ratio);
            canvas.height = Math.round(height * ratio);
            canvas.style.width = width + "px";
            canvas.style.height = height + "px";
        }
        const ctx = canvas.getContext("2d");
        clear(ctx, ratio, width, height);
        return ctx;
    }

    /* Draw `marks` (events {i, o} or bubbles {n, r, lon, lat}) where `map` puts them, in a
       view of `view.width` x `view.height` px; returns what was drawn, for the pointer:
       [{x, y, r, mark}]. A known toll is a disc, an unknown one a ring; an event placed
       only to a region or dated only to a week or month is soft, with a dashed edge. */
    function drawMarks(ctx, map, data, marks, view) {
        ctx.font = view.font;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        const events = data.events;
        const sizeOf = need("marks").sizeOf;
        const drawn = [];
        for (const mark of marks) {
            const bubble = mark.n !== undefined;
            const at = map.project(bubble ? [mark.lon, mark.lat] : [events.lon[mark.i], events.lat[mark.i]]);
            const r = bubble ? mark.r : sizeOf(events.fatalities[mark.i]) / 2;
            if (at.x < -r - 4 || at.y < -r - 4 || at.x > view.width + r + 4 || at.y > view.height + r + 4) {
                continue;
            }
            const known = !bubble && events.fatalities[mark.i] >= 0;
            const color = bubble ? null : data.typeColorList[events.type[mark.i]];
            const vague = !bubble && (events.geo[mark.i] > 1 || events.time[mark.i] > 1);
            ctx.beginPath();
            ctx.arc(at.x, at.y, r, 0, 2 * Math.PI);
            if (bubble) {
                ctx.globalAlpha = 1;
                ctx.fillStyle = data.style.cluster;
                ctx.fill();
                ctx.fillStyle = "#ffffff";
                ctx.fillText(String(mark.n), at.x, at.y);
            } else if (known) {
                ctx.globalAlpha = vague ? mark.o * 0.35 : mark.o;
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
                ctx.globalAlpha = mark.o;
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
        ctx.globalAlpha = 1;
        return drawn;
    }

    /* The town markers of a day's `look` ({ring, gap, core} colours, see
       marks.townsOn), on top of the events: a disc in the holder's colour, ringed in a
       second holder's colour when shared, a double ring when contested (see
       figures.town_marker). Returns where each is, for the pointer: [{x, y, r}]. */
    function drawTowns(ctx, map, data, look) {
        ctx.globalAlpha = 1;
        return data.towns.map(function (town, k) {
            const at = map.project([town.lon, town.lat]);
            const colours = [look.ring[k], look.gap[k], look.core[k]];
            town.sizes.forEach(function (size, n) {
                ctx.beginPath();
                ctx.arc(at.x, at.y, size / 2, 0, 2 * Math.PI);
                ctx.fillStyle = colours[n];
                ctx.fill();
            });
            return {x: at.x, y: at.y, r: town.radius + 1};
        });
    }

    const api = {clear: clear, begin: begin, drawMarks: drawMarks, drawTowns: drawTowns};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.paint = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

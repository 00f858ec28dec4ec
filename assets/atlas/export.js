/*
 * Sahel Atlas, exports of the view: the map as a PNG with its title, day, window, filters,
 * legend and a source line burned in, named after the day; and the links of the CSV and
 * GeoJSON exports (dashboard/exports.py), which carry the page's own query.
 *
 * Owns: viewCaption (pure: the words burned into the PNG; unit-tested by
 * tests/js/export.test.js with node --test) and, in the page, compose: the picture of the
 * view (map, events, words, legend, sources) that the PNG is, and each frame of a
 * recording (assets/atlas/record.js).
 */
(function (root) {
    "use strict";

    /* What the picture says of the view, from the URL's query: {title, subtitle}. */
    function viewCaption(search, dayLabel, windowText) {
        const params = new URLSearchParams(search);
        const shown = [];
        params.forEach(function (value, key) {
            if (["date", "window", "lat", "lon", "zoom", "present", "autoplay"].indexOf(key) < 0) {
                shown.push(key + ": " + value.slice(0, 60));
            }
        });
        return {
            title: "Sahel Atlas · " + dayLabel,
            subtitle: "Events of " + windowText + (shown.length ? " · " + shown.join(" · ") : ""),
        };
    }

    const api = {viewCaption: viewCaption};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
        return;
    }

    function A() {
        return root.SahelAtlas;
    }

    /* The legend of the picture: the groups holding towns that day, then the event types. */
    function legendItems(data, day) {
        const seen = {};
        const items = [];
        data.towns.forEach(function (town) {
            const period = town.periods.find(function (p) {
                return p.start <= day && (p.end === null || day < p.end);
            });
            (period ? period.groups : []).forEach(function (g) {
                if (!seen[g]) {
                    seen[g] = true;
                    items.push({color: data.groupColors[g], text: data.groupNames[g] || g, town: true});
                }
            });
        });
        Object.keys(data.typeColors).forEach(function (t) {
            items.push({color: data.typeColors[t], text: t, town: false});
        });
        return items;
    }

    /* The view as a picture: a canvas with the map, the events and, drawn as text, the title,
       the window and filters, the legend and a source line. `words` may replace the title
       and the source line ({title, sources}, e.g. a key moment's). Call it while the map's
       WebGL canvas holds a frame: in a "render" event. */
    function compose(map, words) {
        const asked = words || {};
        const layer = A().layer.state;
        const data = layer.data;
        const gl = map.getCanvas();
        const ratio = gl.width / gl.clientWidth;
        const head = Math.round(64 * ratio);
        const foot = Math.round(30 * ratio);
        const out = document.createElement("canvas");
        out.width = gl.width;
        out.height = gl.height + head + foot;
        const ctx = out.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(gl, 0, head);
        if (layer.canvas) {
            ctx.drawImage(layer.canvas, 0, head, gl.width, gl.height);
        }
        const font = window.getComputedStyle(document.body).fontFamily;
        const vs = A().viewstate;
        const from = layer.windowDays === null && layer.since !== null && layer.since !== undefined
            ? "every event from " + A().dates.labelOf(layer.since) + " to the day"
            : vs.windowLabel(layer.windowDays);
        const caption = viewCaption(window.location.search, A().dates.labelOf(layer.day), from);
        ctx.fillStyle = "#1f1d1a";
        ctx.textBaseline = "top";
        ctx.font = "700 " + Math.round(24 * ratio) + "px " + font;
        ctx.fillText(asked.title || caption.title, 12 * ratio, 8 * ratio, out.width - 24 * ratio);
        ctx.font = Math.round(14 * ratio) + "px " + font;
        ctx.fillText(caption.subtitle, 12 * ratio, 38 * ratio, out.width - 24 * ratio);
        // the legend, in a box at the map's top right
        const items = legendItems(data, layer.day);
        const line = 17 * ratio;
        const boxW = 210 * ratio;
        const boxH = (items.length + 1) * line + 8 * ratio;
        const x0 = out.width - boxW - 10 * ratio;
        const y0 = head + 10 * ratio;
        ctx.globalAlpha = 0.9;
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(x0, y0, boxW, boxH);
        ctx.globalAlpha = 1;
        ctx.font = "600 " + Math.round(12 * ratio) + "px " + font;
        ctx.fillStyle = "#1f1d1a";
        ctx.fillText("Towns held by · event types", x0 + 8 * ratio, y0 + 5 * ratio);
        ctx.font = Math.round(12 * ratio) + "px " + font;
        items.forEach(function (item, k) {
            const y = y0 + (k + 1) * line + 5 * ratio;
            ctx.fillStyle = item.color;
            ctx.beginPath();
            ctx.arc(x0 + 14 * ratio, y + 6 * ratio, (item.town ? 6 : 4.5) * ratio, 0, 2 * Math.PI);
            ctx.fill();
            ctx.fillStyle = "#1f1d1a";
            ctx.fillText(item.text, x0 + 26 * ratio, y, boxW - 32 * ratio);
        });
        ctx.font = Math.round(12 * ratio) + "px " + font;
        ctx.fillStyle = "#555555";
        ctx.fillText(asked.sources || "Sources: Sahel Atlas (each control period and event cites "
            + "its sources; see the records) · borders: Natural Earth", 12 * ratio,
            gl.height + head + 8 * ratio, out.width - 24 * ratio);
        return out;
    }

    function exportPng() {
        const layer = A().layer;
        const map = layer.mapOf();
        if (!map || !layer.state.data) {
            return;
        }
        // read the WebGL canvas in the frame it was drawn, before it is cleared
        map.once("render", function () {
            const out = compose(map);
            out.toBlob(function (blob) {
                const a = document.createElement("a");
                a.href = URL.createObjectURL(blob);
                a.download = "sahel-atlas-" + A().dates.isoOf(layer.state.day) + ".png";
                document.body.appendChild(a);
                a.click();
                a.remove();
                setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
            }, "image/png");
        });
        map.triggerRepaint();
    }

    document.addEventListener("click", function (e) {
        const el = e.target && e.target.closest && e.target.closest("a, button");
        if (!el) {
            return;
        }
        if (el.id === "export-png") {
            exportPng();
        } else if (el.id === "export-csv" || el.id === "export-geojson") {
            // the export of this very view: the page's query goes with it
            el.href = el.dataset.path + window.location.search;
        }
    });

    root.SahelAtlas = root.SahelAtlas || {};
    root.SahelAtlas.exports = Object.assign({exportPng: exportPng, compose: compose}, api);
})(typeof window !== "undefined" ? window : globalThis);

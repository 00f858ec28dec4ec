/*
 * Sahel Atlas, the timeline under the map: its cursor line at the day, the pan that
 * keeps the day in sight, and its weekly event bars re-counted under the filters.
 *
 * Owns: isDrawn, timelinePan, cursorStyle, weeklyPatch, mergePatches.
 */
(function (root) {
    "use strict";

    /* A sibling module: required in Node, read from the namespace in the page (looked
       up when called, since Dash loads the files one by one). */
    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* Whether Plotly has drawn the timeline (its date axis has a range). */
    function isDrawn() {
        const gd = document.querySelector("#timeline .js-plotly-plot");
        const xa = gd && gd._fullLayout && gd._fullLayout.xaxis;
        return Boolean(xa && xa.range);
    }

    /* A Patch that pans the timeline when the day has left its visible range, so the
       cursor stays in sight (the day lands three quarters along the same span), or null.
       It goes through Dash, so that the figure Dash keeps has the new range too. */
    function timelinePan(day) {
        if (!isDrawn()) {
            return null;
        }
        const gd = document.querySelector("#timeline .js-plotly-plot");
        const xa = gd._fullLayout.xaxis;
        const t = day * need("dates").DAY_MS;
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
            window.dash_clientside.set_props("timeline-cursor", {style: cursorStyle(need("layer").state.day)});
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
        const x = xa._offset + xa.l2p(day * need("dates").DAY_MS);
        const inside = x >= xa._offset && x <= xa._offset + xa._length;
        return {
            display: inside ? "block" : "none",
            left: x + "px",
            top: layout._size.t + "px",
            height: layout._size.h + "px",
        };
    }

    /* The weekly event bars as the server drew them: [{index, code, name, x}] (the trace's
       place in the figure, its event type's code, and its bars' days), read once. */
    let weeklyTraces = null;
    function weeklyOf(gd, labels) {
        if (weeklyTraces === null) {
            const dates = need("dates");
            weeklyTraces = [];
            gd.data.forEach(function (trace, index) {
                const code = labels.indexOf(trace.name);
                if (trace.orientation !== "h" && code >= 0) {
                    const x = Array.from(trace.x, function (iso) { return dates.parseIso(String(iso).slice(0, 10)); });
                    weeklyTraces.push({index: index, code: code, name: trace.name, x: x});
                }
            });
        }
        return weeklyTraces;
    }

    /* A Patch of the weekly event bars counted under `mask` (null: every event), heights
       and hover texts, or null while the timeline is not drawn yet. */
    function weeklyPatch(data, mask) {
        const gd = document.querySelector("#timeline .js-plotly-plot");
        if (!gd || !gd.data) {
            return null;
        }
        const dates = need("dates");
        const traces = weeklyOf(gd, data.events.labels.type);
        const counts = need("filters").weeklyCounts(data.events, mask, traces);
        const patch = new window.dash_clientside.Patch();
        traces.forEach(function (t, k) {
            // the type is text from the data: Plotly's hover reads HTML
            const what = dates.escapeText(t.name.toLowerCase()) + (mask ? " (filtered)" : "");
            patch.assign(["data", t.index, "y"], counts[k]);
            patch.assign(["data", t.index, "hovertext"], t.x.map(function (day, j) {
                return "Week of " + dates.labelOf(day - 3) + ": " + counts[k][j] + " " + what;
            }));
        });
        return patch.build();
    }

    /* One Patch doing what the given ones do (null ones left out), or null. */
    function mergePatches(a, b) {
        if (!a || !b) {
            return a || b || null;
        }
        return {__dash_patch_update: a.__dash_patch_update, operations: a.operations.concat(b.operations)};
    }

    const api = {isDrawn: isDrawn, timelinePan: timelinePan, cursorStyle: cursorStyle, weeklyPatch: weeklyPatch, mergePatches: mergePatches};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.timeline = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

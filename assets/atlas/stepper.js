/*
 * Sahel Atlas, the hot path of a date step: the step buttons, the keys (which press
 * them), the player and the slider's drag move the day here, in the browser, without a
 * trip through Dash. The new day is painted in the next animation frame (events and
 * town markers on our canvas, the date, the slider's thumb, the timeline's cursor, the
 * count, the URL); Dash is told afterwards, once the day has settled, and then renders
 * what the server renders (the situation panel) and brings its own copy of the
 * controls' values up to date.
 *
 * Why: a step through Dash's renderer (one clientside callback with two dozen inputs
 * and outputs) cost 36-42 ms at 100k events, most of it in Dash, not in drawing
 * (benchmarks/scale.py). Here a step costs what its drawing costs.
 *
 * Owns: the fast path (go), the player (play), the history mode of each change
 * (modeFor: a drag or playback is one Back step), writeUrl, the count text, and the
 * catch-up with Dash (settle). Pure parts (thumbLeft, merge of modes, the day a button
 * asks for) are unit-tested by tests/js/stepper.test.js with node --test.
 */
(function (root) {
    "use strict";

    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* Quiet time after the last step before Dash is told (ms): long enough that a held
       key, a drag or a fast player never waits for Dash, short enough that the panel
       follows at once when a person stops. */
    const SETTLE_MS = 120;
    /* The URL is rewritten at most this often while a drag or the player moves it
       (browsers throttle the History API), and once more when the day settles. */
    const URL_EVERY_MS = 250;

    /* The buttons whose click moves the day, as the prop Dash knew them by. */
    const STEP_BUTTONS = {
        "step-back-month": "step-back-month.n_clicks",
        "step-back-day": "step-back-day.n_clicks",
        "step-forward-day": "step-forward-day.n_clicks",
        "step-forward-month": "step-forward-month.n_clicks",
        "previous-change": "previous-change.n_clicks",
        "next-change": "next-change.n_clicks",
    };
    const PLAY_PROP = "player";

    const state = {
        lastProp: undefined, target: null, mode: null, frame: 0, settle: null, dashDay: null,
        asked: null, urlAt: 0, urlDue: false, playing: false, speed: 500, playTimer: null, observer: null,
        handled: false,
    };

    /* ---- pure ---- */

    /* The thumb's CSS left for a value, as the slider (Radix) places it: the percentage
       along the track, nudged so the thumb stays inside the track at both ends. */
    function thumbLeft(value, min, max, thumbWidth) {
        const percent = max > min ? ((value - min) / (max - min)) * 100 : 0;
        const half = thumbWidth / 2;
        const offset = half - (percent / 50) * half;
        return "calc(" + percent + "% + " + offset + "px)";
    }

    /* Several steps within one frame are one change: a push among them makes it a push. */
    function mergeMode(pending, mode) {
        return pending === "push" || mode === "push" ? "push" : mode;
    }

    /* The next day the player shows, or null at the end of the data. */
    function playNext(day, max) {
        return day >= max ? null : day + 1;
    }

    /* ---- the page ---- */

    function layerState() {
        return need("layer").state;
    }

    /* How a change from `prop` goes into the history (see viewstate.historyMode); the
       prop is remembered so that a drag's or the player's later moves replace. */
    function modeFor(prop) {
        const mode = need("viewstate").historyMode(prop, state.lastProp);
        state.lastProp = prop;
        return mode;
    }

    /* Write the view into the URL: a history entry of its own for a deliberate change,
       the current entry replaced while a drag or the player moves, or when the URL itself
       moved the view. */
    function writeUrl(mode, day, data) {
        const {dates, viewstate, filters} = root.SahelAtlas;
        const layer = layerState();
        const params = new URLSearchParams(window.location.search);
        filters.writeFilters(params, layer.filters || filters.emptyFilters());
        params.set("date", dates.isoOf(day));
        if (layer.windowDays === data.windowDays) {
            params.delete("window");
        } else {
            params.set("window", viewstate.windowParam(layer.windowDays));
        }
        const since = layer.since;
        if (layer.windowDays === null && since !== null && since !== undefined) {
            params.set("start", dates.isoOf(since));
        } else {
            params.delete("start");
        }
        const compareDay = layer.compareDay;
        if (compareDay === null || compareDay === undefined) {
            params.delete("compare");
        } else {
            params.set("compare", dates.isoOf(compareDay));
        }
        const search = "?" + params.toString();
        state.urlAt = performance.now();
        state.urlDue = false;
        if (search === window.location.search) {
            return;
        }
        if (mode === "push") {
            window.history.pushState(window.history.state, "", search);
        } else {
            window.history.replaceState(window.history.state, "", search);
        }
    }

    /* "N of M events" for the window of `day`, or "M events" when nothing is filtered. */
    function countText(day, data) {
        const layer = layerState();
        const c = need("marks").windowCount(day, data, layer.windowDays, layer.mask, layer.since);
        const n = function (x) { return x.toLocaleString("en-GB"); };
        return (layer.mask ? n(c.total) + " of " + n(c.all) : n(c.all)) + (c.all === 1 ? " event" : " events");
    }

    /* Set the text of an element Dash renders (a single text child: React updates it in
       place later, so the node is kept). */
    function setText(id, text) {
        const el = document.getElementById(id);
        if (!el) {
            return;
        }
        const only = el.firstChild;
        if (only && only === el.lastChild && only.nodeType === 3) {
            if (only.nodeValue !== text) {
                only.nodeValue = text;
            }
        } else if (el.textContent !== text) {
            el.textContent = text;
        }
    }

    /* The slider's thumb at `day`, as the slider itself would place it. */
    function moveThumb(day, data) {
        const thumb = document.querySelector("#date-slider [role=slider]");
        if (!thumb || Number(thumb.getAttribute("aria-valuenow")) === day) {
            return;
        }
        const iso = need("dates").isoOf(day);
        thumb.parentElement.style.left = thumbLeft(day, data.range[0], data.range[1], thumb.offsetWidth);
        thumb.setAttribute("aria-valuenow", String(day));
        thumb.setAttribute("aria-valuetext", need("dates").labelOf(day));
        const tip = thumb.querySelector("[id$=-content]");
        if (tip) {
            tip.textContent = iso;
        }
    }

    /* Everything the day shows besides the map: the date, the typed date (unless a
       person is typing in it), the thumb, the timeline's cursor, the count. */
    function showControls(day, data) {
        const dates = need("dates");
        setText("date-label", dates.labelOf(day));
        const input = document.getElementById("date-input");
        if (input && document.activeElement !== input) {
            input.value = dates.isoOf(day);
            input.classList.remove("invalid");
        }
        moveThumb(day, data);
        const cursor = document.getElementById("timeline-cursor");
        if (cursor) {
            Object.assign(cursor.style, need("timeline").cursorStyle(day));
            cursor.title = dates.labelOf(day);
        }
        setText("filter-count", countText(day, data));
    }

    /* Move the day to `day`, asked by `prop` (a button, the player, the slider): painted
       in the next frame. False when the page is not ready for it (no data yet): then the
       change goes the way of every other change, through Dash. */
    function go(day, prop) {
        const layer = layerState();
        const data = layer.data;
        if (!data || layer.day === null || !need("layer").mapOf()) {
            return false;
        }
        day = Math.min(Math.max(day, data.range[0]), data.range[1]);
        const current = state.target === null ? layer.day : state.target;
        if (day === current) {
            return true;
        }
        const mode = modeFor(prop);
        state.target = day;
        state.mode = state.frame ? mergeMode(state.mode, mode) : mode;
        if (!state.frame) {
            state.frame = window.requestAnimationFrame(frame);
        }
        return true;
    }

    /* The frame that shows the day asked for last. */
    function frame() {
        state.frame = 0;
        const day = state.target;
        state.target = null;
        const layer = layerState();
        const data = layer.data;
        if (day === null || !data) {
            return;
        }
        need("layer").drawEvents(day, data, true);
        showControls(day, data);
        if (state.mode === "push" || performance.now() - state.urlAt >= URL_EVERY_MS) {
            writeUrl(state.mode, day, data);
        } else {
            state.urlDue = true;
        }
        need("moments").onView(data, false);
        clearTimeout(state.settle);
        state.settle = setTimeout(settle, SETTLE_MS);
    }

    /* The day has settled: the URL written out, and Dash told (one trip through it:
       updateView brings the controls' values it keeps up to date and the situation
       panel follows). */
    function settle() {
        state.settle = null;
        const layer = layerState();
        if (state.frame || layer.day === null || !layer.data) {
            return;
        }
        if (state.urlDue) {
            writeUrl("replace", layer.day, layer.data);
        }
        if (state.dashDay !== layer.day) {
            state.asked = layer.day;
            window.dash_clientside.set_props("date-slider", {value: layer.day});
        }
    }

    /* Dash's outputs now show `day` (called by updateView). */
    function told(day) {
        state.dashDay = day;
    }

    /* ---- the player ---- */

    function playLabel(on) {
        window.dash_clientside.set_props("play", {children: on ? "❚❚ Pause" : "▶ Play"});
    }

    function tick() {
        state.playTimer = null;
        const layer = layerState();
        if (!state.playing || !layer.data) {
            return;
        }
        const next = playNext(state.target === null ? layer.day : state.target, layer.data.range[1]);
        if (next === null || !go(next, PLAY_PROP)) {
            play(false);
            return;
        }
        state.playTimer = setTimeout(tick, state.speed);
    }

    /* Start or stop the player (at the end of the data there is nothing to play). */
    function play(on) {
        const layer = layerState();
        if (on && (!layer.data || layer.day >= layer.data.range[1])) {
            on = false;
        }
        clearTimeout(state.playTimer);
        state.playTimer = null;
        if (state.playing !== on) {
            state.playing = on;
            playLabel(on);
        }
        if (on) {
            state.playTimer = setTimeout(tick, state.speed);
        }
    }

    function setSpeed(ms) {
        const speed = Number(ms);
        state.speed = speed > 0 ? speed : 500;
    }

    /* ---- wiring ---- */

    /* A click on a step button or on Play is handled here, before Dash sees it. */
    function onClick(e) {
        const button = e.target && e.target.closest && e.target.closest("button");
        const id = button && button.id;
        const prop = STEP_BUTTONS[id];
        if (!prop && id !== "play") {
            return;
        }
        const layer = layerState();
        if (!layer.data || layer.day === null) {
            return; // not ready: Dash takes it
        }
        e.stopPropagation();
        if (id === "play") {
            play(!state.playing);
            return;
        }
        const current = state.target === null ? layer.day : state.target;
        const day = need("viewstate").dayAsked(prop, {}, current, layer.data);
        if (!go(day, prop)) {
            return;
        }
        if (state.playing) {
            play(false); // a step of one's own stops the player
        }
    }

    /* The slider (updatemode "mouseup") tells Dash at the end of a drag; while it moves,
       its thumb's aria-valuenow moves, and the map follows it from here. Only while a
       person handles it (a pointer held on it, a key pressed on it): the thumb also moves
       when Dash renders a value it was given earlier, and on a busy machine that render
       can land after a later step; followed, it would take the day back. */
    function onThumb(records) {
        if (!state.handled) {
            return;
        }
        for (const r of records) {
            const el = r.target;
            if (el.getAttribute("role") === "slider" && el.closest("#date-slider")) {
                const value = Number(el.getAttribute("aria-valuenow"));
                const layer = layerState();
                const shown = state.target === null ? layer.day : state.target;
                if (Number.isInteger(value) && value !== shown) { // not our own move of it
                    if (state.playing) {
                        play(false); // a drag of one's own stops the player
                    }
                    go(value, "date-slider.value");
                }
            }
        }
    }

    /* Whether a person is handling the slider: from a press on it (pointer or key) to its
       release (the slider's own handlers run between the two). */
    function onPress(e) {
        state.handled = Boolean(e.target && e.target.closest && e.target.closest("#date-slider"));
    }

    function onRelease() {
        state.handled = false;
    }

    function install() {
        document.addEventListener("pointerdown", onPress, true);
        document.addEventListener("keydown", onPress, true);
        window.addEventListener("pointerup", onRelease);
        window.addEventListener("pointercancel", onRelease);
        window.addEventListener("keyup", onRelease);
        window.addEventListener("blur", onRelease);
        document.addEventListener("click", onClick, true); // capture: before Dash's own
        state.observer = new MutationObserver(onThumb);
        state.observer.observe(document.documentElement, {
            subtree: true, attributes: true, attributeFilter: ["aria-valuenow"],
        });
    }

    const api = {
        state: state, go: go, play: play, setSpeed: setSpeed, modeFor: modeFor, writeUrl: writeUrl,
        countText: countText, told: told, thumbLeft: thumbLeft, mergeMode: mergeMode, playNext: playNext,
        STEP_BUTTONS: STEP_BUTTONS,
    };
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.stepper = api;
        install();
    }
})(typeof window !== "undefined" ? window : globalThis);

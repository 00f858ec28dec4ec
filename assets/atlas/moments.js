/*
 * Sahel Atlas, key moments and the presenter: the side panel's list of moments, and the
 * presentation mode (?present=1 or the Present button) that steps through them with big
 * type, full screen, a black screen and a kiosk loop (&autoplay=1).
 *
 * Owns: momentIndex, presentAsked, presenterKey, momentSearch (pure; unit-tested by
 * tests/js/moments.test.js with node --test) and, in the page, the presenter's state, its
 * keys (taken before the page's own keys while presenting) and the overlay's text, set
 * as text, never as HTML.
 */
(function (root) {
    "use strict";

    const AUTOPLAY_MS = 8000;
    /* Map label layers of the style (dashboard/figures.py) and how much bigger a room needs them. */
    const LABEL_LAYERS = ["country-label", "town-label", "key-town-label"];
    const ROOM_SCALE = 1.5;

    /* Index of the last moment on or before `day`, or -1. */
    function momentIndex(moments, day) {
        let found = -1;
        for (let i = 0; i < moments.length && moments[i].day <= day; i++) {
            found = i;
        }
        return found;
    }

    /* What a link asks of the presenter. */
    function presentAsked(search) {
        const params = new URLSearchParams(search);
        return {present: params.get("present") === "1", autoplay: params.get("autoplay") === "1"};
    }

    /* The presenter's action for a key, or null to leave the key to the page. */
    function presenterKey(key) {
        switch (key) {
            case "PageDown":
            case "ArrowRight":
            case " ":
                return "next";
            case "PageUp":
            case "ArrowLeft":
                return "previous";
            case "f":
            case "F":
                return "fullscreen";
            case "b":
            case "B":
                return "blackout";
            case "Escape":
                return "exit";
            default:
                return null;
        }
    }

    /* The URL search of a moment's view, keeping the link's other parameters. */
    function momentSearch(search, moment, isoOf, defaultWindow) {
        const params = new URLSearchParams(search);
        params.set("date", isoOf(moment.day));
        if (moment.window === defaultWindow) {
            params.delete("window");
        } else {
            params.set("window", moment.window === null ? "all" : String(moment.window));
        }
        params.set("lat", String(moment.lat));
        params.set("lon", String(moment.lon));
        params.set("zoom", String(moment.zoom));
        return "?" + params.toString();
    }

    const api = {momentIndex: momentIndex, presentAsked: presentAsked, presenterKey: presenterKey,
                 momentSearch: momentSearch};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
        return;
    }

    /* ---- In the page ---- */
    const state = {data: null, index: -1, presenting: false, timer: null, labelSizes: null};

    function A() {
        return root.SahelAtlas;
    }

    function byId(id) {
        return document.getElementById(id);
    }

    /* Move the page to moment i: one history entry (the URL, read back by the page as Back
       would), then the map flies to the moment's view. */
    function goTo(i) {
        const data = state.data;
        if (!data || !data.moments.length) {
            return;
        }
        const n = data.moments.length;
        state.index = ((i % n) + n) % n;
        const moment = data.moments[state.index];
        const search = momentSearch(window.location.search, moment, A().dates.isoOf, data.windowDays);
        window.history.pushState(window.history.state, "", search);
        window.dispatchEvent(new PopStateEvent("popstate", {state: window.history.state}));
        A().layer.showView({lat: moment.lat, lon: moment.lon, zoom: moment.zoom}, true);
        render();
    }

    function render() {
        const moment = state.data && state.data.moments[state.index];
        if (!moment) {
            return;
        }
        byId("presenter-date").textContent = moment.label;
        byId("presenter-title").textContent = moment.title;
        byId("presenter-caption").textContent = moment.caption;
        byId("presenter-count").textContent = (state.index + 1) + " / " + state.data.moments.length;
        const sources = byId("presenter-sources");
        sources.textContent = "Sources: ";
        moment.sources.forEach(function (s, k) {
            const name = s.publisher + (s.published ? ", " + s.published : "");
            let node = document.createTextNode(name);
            if (/^https?:\/\//.test(s.url)) {
                node = document.createElement("a");
                node.href = s.url;
                node.target = "_blank";
                node.rel = "noopener noreferrer";
                node.textContent = name;
            }
            if (k) {
                sources.appendChild(document.createTextNode(" · "));
            }
            sources.appendChild(node);
        });
        document.querySelectorAll("#moments .moment").forEach(function (b) {
            b.setAttribute("aria-current", b.dataset.moment === moment.id ? "true" : "false");
        });
    }

    /* Map labels a room can read: 1.5 times larger while presenting. */
    function roomLabels(on) {
        const map = A().layer.mapOf();
        if (!map || !map.getLayer) {
            return;
        }
        if (on && !state.labelSizes && !LABEL_LAYERS.some(function (id) { return map.getLayer(id); })) {
            // the map's style is not loaded yet (a busy machine): size its labels once it is
            map.once("idle", function () {
                if (state.presenting) {
                    roomLabels(true);
                }
            });
        } else if (on && !state.labelSizes) {
            state.labelSizes = {};
            for (const id of LABEL_LAYERS) {
                if (map.getLayer(id)) {
                    const size = map.getLayoutProperty(id, "text-size");
                    state.labelSizes[id] = size;
                    map.setLayoutProperty(id, "text-size", typeof size === "number"
                        ? size * ROOM_SCALE : ["*", ROOM_SCALE, size]);
                }
            }
        } else if (!on && state.labelSizes) {
            for (const id of Object.keys(state.labelSizes)) {
                map.setLayoutProperty(id, "text-size", state.labelSizes[id]);
            }
            state.labelSizes = null;
        }
    }

    function setParam(name, value) {
        const params = new URLSearchParams(window.location.search);
        if (value === null) {
            params.delete(name);
        } else {
            params.set(name, value);
        }
        window.history.replaceState(window.history.state, "", "?" + params.toString());
    }

    function autoplay(on) {
        clearTimeout(state.timer);
        state.timer = null;
        if (on) {
            const tick = function () {
                goTo(state.index + 1); // loops back to the first after the last
                state.timer = setTimeout(tick, AUTOPLAY_MS);
            };
            state.timer = setTimeout(tick, AUTOPLAY_MS);
        }
        const button = byId("moment-autoplay");
        if (button) {
            button.textContent = on ? "Stop" : "Autoplay";
            button.setAttribute("aria-pressed", on ? "true" : "false");
        }
        setParam("autoplay", on ? "1" : null);
    }

    function enter(play) {
        if (state.presenting || !state.data || !state.data.moments.length) {
            return;
        }
        state.presenting = true;
        document.body.classList.add("presenting");
        byId("presenter").hidden = false;
        setParam("present", "1");
        roomLabels(true);
        const day = A().layer.state.day;
        const at = momentIndex(state.data.moments, day === null ? -Infinity : day);
        if (at >= 0 && state.data.moments[at].day === day) {
            state.index = at;
            A().layer.showView({lat: state.data.moments[at].lat, lon: state.data.moments[at].lon,
                                zoom: state.data.moments[at].zoom}, true);
            render();
        } else {
            goTo(Math.max(at, 0));
        }
        if (play) {
            autoplay(true);
        }
    }

    function leave() {
        if (!state.presenting) {
            return;
        }
        state.presenting = false;
        autoplay(false);
        document.body.classList.remove("presenting");
        byId("presenter").hidden = true;
        byId("blackout").hidden = true;
        roomLabels(false);
        setParam("present", null);
        if (document.fullscreenElement && document.exitFullscreen) {
            document.exitFullscreen().catch(function () {});
        }
    }

    function fullscreen() {
        if (document.fullscreenElement) {
            document.exitFullscreen().catch(function () {});
        } else if (document.documentElement.requestFullscreen) {
            document.documentElement.requestFullscreen().catch(function () {});
        }
    }

    function onKey(e) {
        if (!state.presenting || e.ctrlKey || e.altKey || e.metaKey) {
            return;
        }
        const action = presenterKey(e.key);
        if (!action) {
            return;
        }
        const black = byId("blackout");
        if (action === "exit" && !black.hidden) {
            black.hidden = true;
        } else if (action === "blackout") {
            black.hidden = !black.hidden;
        } else if (action === "exit") {
            leave();
        } else if (action === "fullscreen") {
            fullscreen();
        } else {
            goTo(state.index + (action === "next" ? 1 : -1));
        }
        e.preventDefault();
        e.stopImmediatePropagation(); // the page's own keys do not act on it too
    }

    function onClick(e) {
        const button = e.target && e.target.closest && e.target.closest("button");
        if (!button || !state.data) {
            return;
        }
        if (button.dataset.moment) {
            const i = state.data.moments.findIndex(function (m) { return m.id === button.dataset.moment; });
            if (i >= 0) {
                goTo(i);
            }
            return;
        }
        switch (button.id) {
            case "present":
                enter(false);
                break;
            case "present-exit":
                leave();
                break;
            case "moment-next":
                goTo(state.index + 1);
                break;
            case "moment-previous":
                goTo(state.index - 1);
                break;
            case "moment-autoplay":
                autoplay(state.timer === null);
                break;
            case "present-fullscreen":
                fullscreen();
                break;
            default:
                break;
        }
    }

    /* Called by atlas.js once the data is here, at each view: a link with present=1 opens
       the presentation (and autoplay=1 its loop). */
    function onView(data, fromUrl) {
        state.data = data;
        if (fromUrl) {
            const asked = presentAsked(window.location.search);
            if (asked.present && !state.presenting) {
                enter(asked.autoplay);
            }
        }
    }

    root.SahelAtlas = root.SahelAtlas || {};
    /* Called by layer.js when it attaches to the map. */
    function onMap() {
        if (state.presenting) {
            roomLabels(true);
        }
    }

    root.SahelAtlas.moments = Object.assign({onView: onView, onMap: onMap, state: state}, api);
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("click", onClick);
})(typeof window !== "undefined" ? window : globalThis);

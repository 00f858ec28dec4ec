/*
 * Sahel Atlas, what a click opens: an event (its record in the detail panel), a town (its
 * control history), each also selected in the URL (`event=` or `place=`, a Back step of
 * its own); and the pick list: a click on a spot of the map where several things lie (the
 * window's events, a town's marker over them) lists them, as text, to choose from.
 *
 * Owns: pickItems (what the list says for each thing under the click; pure, unit-tested
 * by tests/js/chooser.test.js with node --test) and, in the page, openEvent, openEventId
 * (the situation panel's event rows), openTown, pickAt (what lies under a point) and the
 * list itself: opened by a click that would otherwise land on one of them only (the town
 * drawn on top takes it), reached with the keyboard (it takes the focus; ↑ ↓ Home End
 * move, Enter opens, Esc or a click elsewhere closes), and closed when the map moves.
 */
(function (root) {
    "use strict";

    /* The list's entries for what lies under a click, {towns: [k], events: [i]} (rows of
       data.towns and of the event columns): the towns first, then the events newest first.
       Each entry is {kind: "town", id} or {kind: "event", i} with its text, a `title`
       line and a `detail` line, as plain text. */
    function pickItems(picks, data, labelOf) {
        const events = data.events;
        const items = picks.towns.map(function (k) {
            const town = data.towns[k];
            return {kind: "town", id: town.id, title: town.name, detail: "town: its control history"};
        });
        const newest = picks.events.slice().sort(function (a, b) {
            return events.start[b] - events.start[a] || b - a;
        });
        for (const i of newest) {
            const first = events.start[i];
            const last = events.last[i];
            const when = labelOf(first) + (last > first ? " – " + labelOf(last) : "");
            const actors = [events.group1[i], events.group2[i]].map(function (code) {
                const id = events.labels.group[code];
                return id ? (data.groupNames[id] || id) : "";
            }).filter(Boolean).join(" vs ");
            const toll = events.fatalities[i] >= 0 ? events.fatalities[i] + " killed" : "toll unknown";
            items.push({
                kind: "event", i: i,
                title: when + " · " + events.labels.subtype[events.subtype[i]],
                detail: [actors, toll].filter(Boolean).join(" · "),
            });
        }
        return items;
    }

    const api = {pickItems: pickItems};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
        return;
    }

    /* ---- In the page ---- */
    function A() {
        return root.SahelAtlas;
    }

    /* A press and release further apart than this (px) is a drag of the map, not a click
       (MapLibre's own click tolerance). */
    const CLICK_TOLERANCE = 3;
    const state = {box: null, back: null, down: null};

    /* The selection into the URL, a history entry of its own: `event=` or `place=`. */
    function pushSelection(kind, id) {
        const params = new URLSearchParams(window.location.search);
        params.delete("event");
        params.delete("place");
        params.set(kind, id);
        const search = "?" + params.toString();
        if (search !== window.location.search) {
            window.history.pushState(window.history.state, "", search);
        }
    }

    /* Open event i's record in the detail panel (the event-click store, which its
       callback reads), and select it (by `id`, asked for when not given) in the URL. */
    function openEvent(i, id) {
        window.dash_clientside.set_props("event-click", {data: {i: i, at: Date.now()}});
        const named = id ? Promise.resolve(id) : A().layer.idOf(i);
        named.then(function (known) { pushSelection("event", known); }, function () {});
    }

    /* Open the event whose id is `id` (as a row of the situation panel names it). */
    function openEventId(id) {
        return fetch(A().layer.state.hoverUrl + "?id=" + encodeURIComponent(id)).then(function (r) {
            if (!r.ok) {
                throw new Error("Sahel Atlas: no event " + id + " (" + r.status + ")");
            }
            return r.json();
        }).then(function (body) {
            openEvent(body.i, body.id);
        });
    }

    /* Open a town's control history, as a click on its marker does (the map's clickData,
       which the detail panel's callback reads), and select it in the URL. */
    function openTown(id) {
        window.dash_clientside.set_props("map", {clickData: {points: [{customdata: id}], at: Date.now()}});
        pushSelection("place", id);
    }

    /* What lies under a point of a map (px): {towns, events}, the rows of data.towns
       whose marker covers it and of the events drawn there as points, those under a
       town's marker too (the map draws the town over them). `painted` is what that map
       shows ({towns, drawn}, as paint.js returns them): the main map's by default. */
    function pickAt(point, painted) {
        const hits = A().layer.hitsAt(point, painted || A().layer.state);
        const events = hits.marks.filter(function (m) { return m.n === undefined; })
            .map(function (m) { return m.i; });
        return {towns: hits.towns, events: events.reverse()}; // in the order drawn, as before
    }

    function close(refocus) {
        const box = state.box;
        if (!box || box.hidden) {
            return;
        }
        box.hidden = true;
        box.replaceChildren();
        if (refocus && state.back && state.back.isConnected) {
            state.back.focus({preventScroll: true});
        }
        state.back = null;
    }

    function buttons() {
        return state.box ? Array.from(state.box.querySelectorAll("button")) : [];
    }

    /* The list, opened at `point` (px in the map) for `items`. */
    function open(map, point, items) {
        const wrap = map.getContainer().closest(".map-wrap") || map.getContainer();
        if (!state.box || !state.box.isConnected) {
            state.box = document.createElement("div");
            state.box.className = "map-chooser";
            state.box.setAttribute("role", "dialog");
            state.box.addEventListener("click", onPick);
            wrap.appendChild(state.box);
        }
        const box = state.box;
        const towns = items.filter(function (it) { return it.kind === "town"; }).length;
        const count = items.length - towns;
        const heading = document.createElement("p");
        heading.className = "map-chooser-title";
        heading.id = "map-chooser-title";
        heading.textContent = count + (count === 1 ? " event" : " events")
            + (towns ? (towns === 1 ? " and a town" : " and " + towns + " towns") : "") + " here:";
        const list = document.createElement("ul");
        for (const item of items) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "map-chooser-item";
            button.dataset.kind = item.kind;
            if (item.kind === "town") {
                button.dataset.place = item.id;
            } else {
                button.dataset.i = String(item.i);
            }
            const title = document.createElement("span");
            title.className = "map-chooser-name";
            title.textContent = item.title;
            const detail = document.createElement("span");
            detail.className = "map-chooser-detail";
            detail.textContent = item.detail;
            button.append(title, detail);
            const li = document.createElement("li");
            li.appendChild(button);
            list.appendChild(li);
        }
        // the town's hover label and the event tooltip would sit under the list
        const gd = document.querySelector("#map .js-plotly-plot");
        if (gd && window.Plotly && window.Plotly.Fx) {
            window.Plotly.Fx.unhover(gd);
        }
        const tip = document.getElementById("map-tooltip");
        if (tip) {
            tip.style.display = "none";
        }
        box.replaceChildren(heading, list);
        box.setAttribute("aria-labelledby", heading.id);
        box.hidden = false;
        // beside the click, below and right of it, or where that leaves the map, above or
        // left of it, so as not to hide the spot itself
        const canvas = map.getCanvas().getBoundingClientRect();
        const at = wrap.getBoundingClientRect();
        const side = function (p, size, room) {
            const after = p + 12;
            return Math.max(4, after + size <= room - 4 ? after : Math.min(p - 12 - size, room - size - 4));
        };
        box.style.left = side(canvas.left - at.left + point.x, box.offsetWidth, at.width) + "px";
        box.style.top = side(canvas.top - at.top + point.y, box.offsetHeight, at.height) + "px";
        state.back = document.activeElement;
        buttons()[0].focus({preventScroll: true});
    }

    function onPick(e) {
        const button = e.target.closest && e.target.closest("button.map-chooser-item");
        if (!button) {
            return;
        }
        close(true);
        if (button.dataset.kind === "town") {
            openTown(button.dataset.place);
        } else {
            openEvent(Number(button.dataset.i));
        }
    }

    /* The list's keys, before the page's and the presenter's own (this listens on the
       window, ahead of both): Esc closes it; the arrows, Home and End move in it. */
    function onKey(e) {
        const box = state.box;
        if (!box || box.hidden) {
            return;
        }
        if (e.key === "Escape") {
            close(true);
        } else if (box.contains(document.activeElement)
                   && ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"].indexOf(e.key) >= 0) {
            const all = buttons();
            const k = all.indexOf(document.activeElement);
            const to = {ArrowDown: k + 1, ArrowRight: k + 1, ArrowUp: k - 1, ArrowLeft: k - 1, Home: 0, End: all.length - 1}[e.key];
            all[Math.max(0, Math.min(all.length - 1, to))].focus();
        } else {
            return;
        }
        e.preventDefault();
        e.stopPropagation();
    }

    /* A click on the map: where more than one thing lies under it, the list, and the
       click goes no further (neither the town's nor the event's own click runs). */
    function onMapClick(map, e, painted) {
        const down = state.down;
        if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_TOLERANCE) {
            return; // the end of a drag
        }
        const canvas = map.getCanvas().getBoundingClientRect();
        const point = {x: e.clientX - canvas.left, y: e.clientY - canvas.top};
        const picks = pickAt(point, painted && painted());
        if (picks.towns.length + picks.events.length < 2) {
            close(false);
            return;
        }
        e.stopPropagation();
        e.preventDefault();
        open(map, point, pickItems(picks, A().layer.state.data, A().dates.labelOf));
    }

    const hooked = new WeakSet();
    /* Listen to the clicks on `map` before MapLibre does (capture, on its container), and
       to Plotly's click on a town marker, which selects the town in the URL. `painted()`
       is what that map shows, for a map other than the main one (see pickAt). */
    function install(map, painted) {
        const gd = document.querySelector("#map .js-plotly-plot");
        if (gd && gd.on && !hooked.has(gd)) {
            hooked.add(gd);
            gd.on("plotly_click", function (click) {
                const point = click && click.points && click.points[0];
                if (point && typeof point.customdata === "string") {
                    pushSelection("place", point.customdata);
                }
            });
        }
        const container = map.getContainer();
        if (hooked.has(container)) {
            return;
        }
        hooked.add(container);
        container.addEventListener("mousedown", function (e) {
            state.down = {x: e.clientX, y: e.clientY};
        }, true);
        container.addEventListener("click", function (e) { onMapClick(map, e, painted); }, true);
        map.on("movestart", function () { close(false); });
    }

    /* A row of the situation panel opens its event. */
    function onPanelClick(e) {
        const row = e.target.closest && e.target.closest("#situation .event-open");
        const li = row && row.closest("[data-event-id]");
        if (li) {
            openEventId(li.getAttribute("data-event-id")).catch(function (err) {
                console.error(err.message); // a row names an event the server does not know
            });
        }
    }

    /* A press outside the list closes it. */
    function onPress(e) {
        if (state.box && !state.box.hidden && !state.box.contains(e.target)) {
            close(false);
        }
    }

    root.SahelAtlas = root.SahelAtlas || {};
    root.SahelAtlas.chooser = Object.assign({install: install, close: close, openEvent: openEvent,
                                             openTown: openTown, pickAt: pickAt}, api);
    window.addEventListener("keydown", onKey, true);
    document.addEventListener("click", onPanelClick);
    document.addEventListener("mousedown", onPress, true);
})(typeof window !== "undefined" ? window : globalThis);

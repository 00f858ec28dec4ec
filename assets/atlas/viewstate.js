/*
 * Sahel Atlas, the view asked for: which day and which window a URL, a control or a key
 * asks for.
 *
 * Owns: dayAsked, windowAsked, readUrl (a link's parameters checked, with a notice in
 * words for each one ignored or clamped), typedProblem (why a typed date is refused),
 * windowParam/windowLabel, and historyMode (which changes make a Back step). Pure but for
 * reading window.location when no search string is given; unit-tested by
 * tests/js/viewstate.test.js with node --test.
 */
(function (root) {
    "use strict";

    /* A sibling module: required in Node, read from the namespace in the page (looked
       up when called, since Dash loads the files one by one). */
    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* The day asked for by whatever moved: a URL, the slider, the typed date, a button,
       the player or a click on the timeline. Returns null when the input is not a date. */
    function dayAsked(prop, values, current, data) {
        switch (prop) {
            case null:
            case "url.search": {
                const asked = new URLSearchParams(values.search || window.location.search).get("date");
                const parsed = asked ? need("dates").parseIso(asked) : null;
                return parsed === null ? current : parsed;
            }
            case "date-slider.value":
                return values.slider;
            case "date-input.value":
                return need("dates").parseIso(values.typed);
            case "step-back-month.n_clicks":
                return need("dates").addMonths(current, -1);
            case "step-back-day.n_clicks":
                return current - 1;
            case "step-forward-day.n_clicks":
                return current + 1;
            case "step-forward-month.n_clicks":
                return need("dates").addMonths(current, 1);
            case "previous-change.n_clicks": {
                const i = need("marks").lowerBound(data.changes, current);
                return i > 0 ? data.changes[i - 1] : current;
            }
            case "next-change.n_clicks": {
                const i = need("marks").upperBound(data.changes, current);
                return i < data.changes.length ? data.changes[i] : current;
            }
            case "player":
                return current + 1;
            case "timeline.clickData": {
                const point = values.click && values.click.points && values.click.points[0];
                return point ? need("dates").parseIso(String(point.customdata || "").slice(0, 10)) : null;
            }
            default:
                return current;
        }
    }

    /* The window a URL asks for: `window=all` (cumulative), `window=N` days (1 to 3650),
       else the default. */
    function windowAsked(search, data) {
        const asked = new URLSearchParams(search || window.location.search).get("window");
        if (asked === "all") {
            return null;
        }
        const days = /^\d{1,4}$/.test(asked || "") ? parseInt(asked, 10) : NaN;
        return days >= 1 && days <= 3650 ? days : data.windowDays;
    }

    const MAX_WINDOW = 3650;

    /* A value from a link, cut short and quoted for a notice (shown as text, never HTML). */
    function quoted(raw) {
        const text = String(raw);
        return "“" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "”";
    }

    /* The window parameter of a URL: days as a string, or "all". */
    function windowParam(windowDays) {
        return windowDays === null ? "all" : String(windowDays);
    }

    function windowLabel(windowDays) {
        if (windowDays === null) {
            return "every event up to the day";
        }
        return windowDays === 1 ? "the day alone" : "the " + windowDays + " days up to the day";
    }

    /* The window choices offered: the usual ones, and the link's own number of days. */
    function windowOptions(windowDays) {
        const days = [1, 7, 30, 90, 365];
        if (windowDays !== null && days.indexOf(windowDays) < 0) {
            days.push(windowDays);
            days.sort(function (a, b) { return a - b; });
        }
        const options = days.map(function (n) {
            return {label: n === 1 ? "the day alone" : n + " days", value: String(n)};
        });
        options.push({label: "cumulative", value: "all"});
        return options;
    }

    /* The map view a link asks for ({lat, lon, zoom}), or null: none asked, or not a view
       of the map (a reason is added then). */
    function viewAsked(params, reasons) {
        const names = ["lat", "lon", "zoom"];
        const raw = names.map(function (n) { return params.get(n); });
        if (raw.every(function (v) { return v === null; })) {
            return null;
        }
        const number = /^-?\d{1,3}(\.\d{1,8})?$/;
        const v = raw.map(function (x) { return x !== null && number.test(x) ? parseFloat(x) : NaN; });
        if (v[0] >= -85 && v[0] <= 85 && v[1] >= -180 && v[1] <= 180 && v[2] >= 0 && v[2] <= 18) {
            return {lat: v[0], lon: v[1], zoom: v[2]};
        }
        reasons.push("the map view " + names.map(function (n, k) {
            return n + "=" + (raw[k] === null ? "(none)" : quoted(raw[k]));
        }).join(", ") + " is not a place on the map (lat -85 to 85, lon -180 to 180, zoom 0 to 18)");
        return null;
    }

    /* What a link asks for, checked: {day, windowDays, notice}. A parameter that is not
       what it should be falls back to its default, a day outside the data is clamped to
       it, and `notice` says so in words ("" when all was well). */
    function readUrl(search, current, data) {
        const dates = need("dates");
        const params = new URLSearchParams(search);
        const reasons = [];
        let day = current;
        const rawDate = params.get("date");
        if (rawDate !== null) {
            const parsed = dates.parseIso(rawDate);
            if (parsed === null) {
                reasons.push(quoted(rawDate) + " is not a date (YYYY-MM-DD)");
            } else {
                day = parsed;
            }
        }
        const min = data.range[0];
        const max = data.range[1];
        if (day < min || day > max) {
            reasons.push(dates.isoOf(day) + " is " + (day < min ? "before the first" : "after the last")
                + " day of the data (" + dates.labelOf(day < min ? min : max) + ")");
            day = Math.min(Math.max(day, min), max);
        }
        let windowDays = data.windowDays;
        const rawWindow = params.get("window");
        if (rawWindow !== null) {
            const days = /^\d{1,4}$/.test(rawWindow) ? parseInt(rawWindow, 10) : NaN;
            if (rawWindow === "all") {
                windowDays = null;
            } else if (days >= 1 && days <= MAX_WINDOW) {
                windowDays = days;
            } else {
                reasons.push("window " + quoted(rawWindow) + " is not a number of days (1 to "
                    + MAX_WINDOW + ") or “all”; the window is " + data.windowDays + " days");
            }
        }
        const view = viewAsked(params, reasons);
        let since = null;
        const rawStart = params.get("start");
        if (rawStart !== null && rawStart !== "") {
            since = dates.parseIso(rawStart);
            if (since === null) {
                reasons.push("start " + quoted(rawStart) + " is not a date (YYYY-MM-DD)");
            } else if (rawWindow !== null && windowDays !== null) {
                reasons.push("start applies to the cumulative window (window=all), not to "
                    + windowDays + " days; ignored");
                since = null;
            } else {
                since = Math.min(Math.max(since, min), max);
                windowDays = null; // a start asks for the cumulative window
            }
        }
        let compare = null;
        const rawCompare = params.get("compare");
        if (rawCompare !== null && rawCompare !== "") {
            compare = dates.parseIso(rawCompare);
            if (compare === null) {
                reasons.push("compare " + quoted(rawCompare) + " is not a date (YYYY-MM-DD)");
            } else if (compare < min || compare > max) {
                reasons.push("compare " + dates.isoOf(compare) + " is outside the data");
                compare = Math.min(Math.max(compare, min), max);
            }
        }
        const notice = reasons.length ? reasons.join("; ") + "; showing " + dates.labelOf(day) : "";
        return {day: day, windowDays: windowDays, since: since, view: view, compare: compare, notice: notice};
    }

    /* Why a typed date is refused or moved, in words, or "" when it is a day of the data. */
    function typedProblem(text, data) {
        const dates = need("dates");
        const day = dates.parseIso(text);
        if (day === null) {
            return quoted(text) + " is not a date: type it as YYYY-MM-DD, e.g. " + dates.isoOf(data.range[0] + 731);
        }
        if (day < data.range[0]) {
            return dates.isoOf(day) + " is before the first day of the data; showing " + dates.labelOf(data.range[0]);
        }
        if (day > data.range[1]) {
            return dates.isoOf(day) + " is after the last day of the data; showing " + dates.labelOf(data.range[1]);
        }
        return "";
    }

    /* A day typed in a box ("to compare with", "to count from"): {day} clamped to the
       data (null: the box is empty), or {problem} in words. */
    function dayTyped(text, data, purpose) {
        const dates = need("dates");
        if (!text || !String(text).trim()) {
            return {day: null};
        }
        const day = dates.parseIso(text);
        if (day === null) {
            return {problem: quoted(text) + " is not a date " + purpose + ": type it as YYYY-MM-DD"};
        }
        return {day: Math.min(Math.max(day, data.range[0]), data.range[1])};
    }

    /* The day to compare with, typed. */
    function compareAsked(text, data) {
        return dayTyped(text, data, "to compare with");
    }

    /* The first day of a cumulative window, typed (null: the data's first). */
    function startAsked(text, data) {
        return dayTyped(text, data, "to count from");
    }

    /* How a change goes into the browser's history: "push" (a Back step of its own) for a
       deliberate change, "replace" for the moves of a drag or of the player after their
       first (so a whole drag or playback is one step back), and "replace" too when the
       URL itself moved the view (a link opened, Back, Forward): the entry is only written
       out in full (a link without a date gets the day shown). */
    function historyMode(prop, previousProp) {
        if (prop === null || prop === "url.search") {
            return "replace";
        }
        const continuous = prop === "date-slider.value" || prop === "player";
        return continuous && prop === previousProp ? "replace" : "push";
    }

    const api = {
        dayAsked: dayAsked, windowAsked: windowAsked, readUrl: readUrl, typedProblem: typedProblem,
        windowParam: windowParam, windowLabel: windowLabel, windowOptions: windowOptions, compareAsked: compareAsked, startAsked: startAsked, historyMode: historyMode, MAX_WINDOW: MAX_WINDOW,
    };
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.viewstate = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

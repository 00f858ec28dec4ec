/*
 * Sahel Atlas, the plan of a recording (assets/atlas/record.js records it): which frames,
 * of which days or key moments, how long each is held, the URL that shows each, the GIF
 * delays and the file's name.
 *
 * Owns: recordingPlan, rangeDays, frameTimes, gifDelays, frameSearch and fileName. Pure;
 * unit-tested by tests/js/record.test.js with node --test.
 */
(function (root) {
    "use strict";

    const need = typeof module === "object" && module.exports
        ? function (name) { return require("./" + name + ".js"); }
        : function (name) { return root.SahelAtlas[name]; };

    /* What the dialog accepts, and the longest recording it makes. */
    const LIMITS = {fps: [1, 30], daysPerFrame: [1, 365], secondsPerMoment: [1, 30]};
    const MAX_FRAMES = 2000;
    const FORMATS = ["webm", "gif"];

    /* Days of [first, last], one every `step` days from `first`; `last` always closes it. */
    function rangeDays(first, last, step) {
        const days = [];
        for (let day = first; day < last; day += step) {
            days.push(day);
        }
        days.push(last);
        return days;
    }

    /* A whole number within [lo, hi] from a text field, or null. */
    function whole(text, lo, hi) {
        const s = String(text === undefined || text === null ? "" : text).trim();
        if (!/^\d+$/.test(s)) {
            return null;
        }
        const n = parseInt(s, 10);
        return n >= lo && n <= hi ? n : null;
    }

    /* The recording a dialog asks for: {frames, first, last, format, fps} or {problem},
       a sentence saying what is wrong. `asked` holds the dialog's fields as text: what
       ("range" or "moments"), from, to (YYYY-MM-DD), daysPerFrame, fps, secondsPerMoment,
       format ("webm" or "gif"). Each frame is {day, duration (s)} and, for a key moment,
       {moment}. The moments recorded are those between from and to. */
    function recordingPlan(asked, data) {
        const dates = need("dates");
        if (FORMATS.indexOf(asked.format) < 0) {
            return {problem: "format: choose WebM or GIF"};
        }
        const range = data.range;
        const days = {};
        for (const name of ["from", "to"]) {
            const day = dates.parseIso(asked[name]);
            if (day === null) {
                return {problem: name + ": “" + String(asked[name] || "").slice(0, 20)
                    + "” is not a date (YYYY-MM-DD)"};
            }
            if (day < range[0] || day > range[1]) {
                return {problem: name + ": " + dates.isoOf(day) + " is outside the data ("
                    + dates.isoOf(range[0]) + " to " + dates.isoOf(range[1]) + ")"};
            }
            days[name] = day;
        }
        if (days.to < days.from) {
            return {problem: "to: " + dates.isoOf(days.to) + " comes before from: "
                + dates.isoOf(days.from)};
        }
        let frames;
        let fps = null;
        if (asked.what === "moments") {
            const seconds = whole(asked.secondsPerMoment, LIMITS.secondsPerMoment[0], LIMITS.secondsPerMoment[1]);
            if (seconds === null) {
                return {problem: "seconds per moment: a whole number from " + LIMITS.secondsPerMoment[0]
                    + " to " + LIMITS.secondsPerMoment[1]};
            }
            frames = data.moments.filter(function (m) {
                return m.day >= days.from && m.day <= days.to;
            }).map(function (m) {
                return {day: m.day, duration: seconds, moment: m};
            });
            if (!frames.length) {
                return {problem: "no key moment between " + dates.isoOf(days.from) + " and "
                    + dates.isoOf(days.to)};
            }
        } else if (asked.what === "range") {
            const step = whole(asked.daysPerFrame, LIMITS.daysPerFrame[0], LIMITS.daysPerFrame[1]);
            fps = whole(asked.fps, LIMITS.fps[0], LIMITS.fps[1]);
            if (step === null) {
                return {problem: "days per frame: a whole number from " + LIMITS.daysPerFrame[0]
                    + " to " + LIMITS.daysPerFrame[1]};
            }
            if (fps === null) {
                return {problem: "frames per second: a whole number from " + LIMITS.fps[0] + " to "
                    + LIMITS.fps[1]};
            }
            if (Math.ceil((days.to - days.from) / step) + 1 > MAX_FRAMES) {
                return {problem: "that is more than " + MAX_FRAMES + " frames: shorten the range or "
                    + "take more days per frame"};
            }
            frames = rangeDays(days.from, days.to, step).map(function (day) {
                return {day: day, duration: 1 / fps};
            });
        } else {
            return {problem: "record: choose a date range or the key moments"};
        }
        return {frames: frames, first: frames[0].day, last: frames[frames.length - 1].day,
                format: asked.format, fps: fps};
    }

    /* The start time of each frame, in seconds, and the end of the last (summed in whole
       microseconds, so that five frames of 0.2 s end at 1 s, not 1.0000000000000002). */
    function frameTimes(frames) {
        const micros = [0];
        frames.forEach(function (f) { micros.push(micros[micros.length - 1] + Math.round(f.duration * 1e6)); });
        return micros.map(function (us) { return us / 1e6; });
    }

    /* Each frame's GIF delay in ms: a GIF counts in hundredths of a second, so each frame
       ends at its exact end time rounded to 10 ms, and rounding never adds up to a drift. */
    function gifDelays(frames) {
        const ends = frameTimes(frames).map(function (t) { return Math.round(t * 100) * 10; });
        return frames.map(function (_f, k) { return ends[k + 1] - ends[k]; });
    }

    /* The URL search that shows a frame: the page's own, at the frame's day; a key
       moment's window and view as the presenter shows it (no comparison, no start). */
    function frameSearch(search, frame, data) {
        const isoOf = need("dates").isoOf;
        if (frame.moment) {
            const params = new URLSearchParams(need("moments").momentSearch(search, frame.moment, isoOf, data.windowDays));
            params.delete("compare");
            params.delete("start");
            return "?" + params.toString();
        }
        const params = new URLSearchParams(search);
        params.set("date", isoOf(frame.day));
        return "?" + params.toString();
    }

    /* sahel-atlas-<from>-<to>.webm|gif */
    function fileName(plan) {
        const isoOf = need("dates").isoOf;
        return "sahel-atlas-" + isoOf(plan.first) + "-" + isoOf(plan.last) + "." + plan.format;
    }

    const api = {recordingPlan: recordingPlan, rangeDays: rangeDays, frameTimes: frameTimes,
                 gifDelays: gifDelays, frameSearch: frameSearch, fileName: fileName,
                 LIMITS: LIMITS, MAX_FRAMES: MAX_FRAMES};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.recordplan = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

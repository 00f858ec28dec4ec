/*
 * Sahel Atlas, days: a day is a whole number of days since 1970-01-01 (UTC), as the
 * server's payload counts them.
 *
 * Owns: DAY_MS, isoOf, labelOf, parseIso, addMonths and escapeText (text from the data
 * made safe for HTML). Pure; unit-tested by tests/js/dates.test.js with node --test.
 */
(function (root) {
    "use strict";

    const DAY_MS = 86400000;
    const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    function isoOf(day) {
        return new Date(day * DAY_MS).toISOString().slice(0, 10);
    }

    function labelOf(day) {
        const d = new Date(day * DAY_MS);
        return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
    }

    function parseIso(text) {
        const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || "");
        if (!m) {
            return null;
        }
        const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
        // Reject dates such as 2013-02-30 that Date.UTC would roll over.
        return isoOf(t / DAY_MS) === m[1] + "-" + m[2] + "-" + m[3] ? t / DAY_MS : null;
    }

    /* Text from the data, made safe to place in HTML. */
    function escapeText(text) {
        return String(text).replace(/[&<>"']/g, function (c) {
            return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
        });
    }

    function addMonths(day, n) {
        const d = new Date(day * DAY_MS);
        const y = d.getUTCFullYear();
        const m = d.getUTCMonth() + n;
        const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
        return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS;
    }

    const api = {DAY_MS: DAY_MS, isoOf: isoOf, labelOf: labelOf, parseIso: parseIso, addMonths: addMonths, escapeText: escapeText};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.dates = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

/*
 * Sahel Atlas, the event filters: which events an analyst keeps (groups, event types and
 * sub-types, countries, admin1, a minimum toll, exact place and day only, words in the
 * notes), read from and written to the URL, and turned into a mask over the event rows.
 *
 * Owns: emptyFilters, isActive, readFilters (a link's filter parameters checked, with a
 * reason in words for each value ignored), writeFilters, filterKey, fromControls,
 * controlValues, buildMask (a Uint8Array over the rows, built once per filter change,
 * never per date step), weeklyCounts (the timeline's weekly bars under a mask) and
 * forServer (the state as the situation panel's request carries it). Pure; unit-tested by
 * tests/js/filters.test.js with node --test.
 */
(function (root) {
    "use strict";

    /* The list filters: URL parameter (also the key in the state), the payload dictionary
       its values come from, the column(s) it tests, and what a value is, for notices. */
    const LISTS = [
        {key: "groups", dict: "group", columns: ["group1", "group2"], noun: "a group"},
        {key: "types", dict: "type", columns: ["type"], noun: "an event type"},
        {key: "subtypes", dict: "subtype", columns: ["subtype"], noun: "an event sub-type"},
        {key: "countries", dict: "country", columns: ["country"], noun: "a country"},
        {key: "admin1", dict: "admin1", columns: ["admin1"], noun: "a region (admin1)"},
    ];
    /* Every parameter the filters own, in the order the URL gets them. */
    const PARAMS = LISTS.map(function (l) { return l.key; }).concat(["min_fatalities", "precision", "q"]);
    const MAX_FATALITIES = 1000000;
    const MAX_Q = 100;
    const MAX_VALUES = 200;

    function emptyFilters() {
        return {groups: [], types: [], subtypes: [], countries: [], admin1: [], minFatalities: 0, exact: false, q: ""};
    }

    /* True when the filters keep fewer than all events. */
    function isActive(filters) {
        return Boolean(filters) && (LISTS.some(function (l) { return filters[l.key].length > 0; })
            || filters.minFatalities > 0 || filters.exact || filters.q !== "");
    }

    /* A value from a link, cut short and quoted for a notice (shown as text, never HTML). */
    function quoted(raw) {
        const text = String(raw);
        return "“" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "”";
    }

    /* Split a comma-separated parameter into known labels and unknown pieces. A label
       that holds a comma itself is found by joining neighbouring pieces. */
    function splitKnown(raw, labels) {
        const known = new Set(labels);
        known.delete(""); // the empty label means "no group": never a filter value
        const pieces = raw.split(",");
        const values = [];
        const unknown = [];
        let k = 0;
        while (k < pieces.length && values.length + unknown.length < MAX_VALUES) {
            let taken = 0;
            for (let end = pieces.length; end > k + 1; end--) {
                if (known.has(pieces.slice(k, end).join(","))) {
                    taken = end - k;
                    break;
                }
            }
            const piece = taken ? pieces.slice(k, k + taken).join(",") : pieces[k].trim();
            k += taken || 1;
            if (piece === "") {
                continue;
            }
            if (known.has(piece)) {
                if (values.indexOf(piece) < 0) {
                    values.push(piece);
                }
            } else if (unknown.indexOf(piece) < 0) {
                unknown.push(piece);
            }
        }
        return {values: values, unknown: unknown};
    }

    /* The filters a link asks for, checked: {filters, reasons}. A value the data does not
       know is left out and a reason says so; a malformed number or precision falls back to
       no filter. `labels` are the payload's dictionaries (events.labels). */
    function readFilters(search, labels) {
        const params = new URLSearchParams(search);
        const filters = emptyFilters();
        const reasons = [];
        for (const list of LISTS) {
            const raw = params.get(list.key);
            if (raw === null) {
                continue;
            }
            const split = splitKnown(raw, labels[list.dict] || []);
            filters[list.key] = split.values;
            if (split.unknown.length) {
                reasons.push(list.key + ": " + split.unknown.slice(0, 3).map(quoted).join(", ")
                    + (split.unknown.length > 3 ? " and " + (split.unknown.length - 3) + " more" : "")
                    + (split.unknown.length > 1 ? " are not " : " is not ") + list.noun + " of the data; ignored");
            }
        }
        const rawMin = params.get("min_fatalities");
        if (rawMin !== null && rawMin !== "") {
            const n = /^\d{1,7}$/.test(rawMin) ? parseInt(rawMin, 10) : NaN;
            if (n >= 0 && n <= MAX_FATALITIES) {
                filters.minFatalities = n;
            } else {
                reasons.push("min_fatalities " + quoted(rawMin) + " is not a number of deaths (0 to "
                    + MAX_FATALITIES + "); no minimum");
            }
        }
        const rawPrecision = params.get("precision");
        if (rawPrecision !== null && rawPrecision !== "") {
            if (rawPrecision === "exact") {
                filters.exact = true;
            } else if (rawPrecision !== "all") {
                reasons.push("precision " + quoted(rawPrecision) + " is not “exact” or “all”; showing all precisions");
            }
        }
        const rawQ = params.get("q");
        if (rawQ !== null) {
            const q = rawQ.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
            filters.q = q.slice(0, MAX_Q);
            if (q.length > MAX_Q) {
                reasons.push("the words searched were cut to their first " + MAX_Q + " characters");
            }
        }
        return {filters: filters, reasons: reasons};
    }

    /* Write the filters into URLSearchParams `params` (in place): set what is active,
       delete the rest, so an unfiltered view keeps a short link. */
    function writeFilters(params, filters) {
        for (const key of PARAMS) {
            params.delete(key);
        }
        for (const list of LISTS) {
            if (filters[list.key].length) {
                params.set(list.key, filters[list.key].join(","));
            }
        }
        if (filters.minFatalities > 0) {
            params.set("min_fatalities", String(filters.minFatalities));
        }
        if (filters.exact) {
            params.set("precision", "exact");
        }
        if (filters.q) {
            params.set("q", filters.q);
        }
        return params;
    }

    /* A string that is the same for the same filters, whatever the order of the values. */
    function filterKey(filters) {
        const copy = Object.assign({}, filters);
        for (const list of LISTS) {
            copy[list.key] = filters[list.key].slice().sort();
        }
        return writeFilters(new URLSearchParams(), copy).toString();
    }

    /* The filters the controls hold: dropdown values (arrays or null), the minimum toll
       (digits as typed; anything else is no minimum) and the "exact" checklist. Values the data does not
       know are dropped. */
    function fromControls(values, labels) {
        const filters = emptyFilters();
        for (const list of LISTS) {
            const chosen = Array.isArray(values[list.key]) ? values[list.key] : [];
            const known = new Set(labels[list.dict] || []);
            filters[list.key] = chosen.filter(function (v, k) {
                return v !== "" && known.has(v) && chosen.indexOf(v) === k;
            });
        }
        const typed = String(values.minFatalities === null || values.minFatalities === undefined ? "" : values.minFatalities).trim();
        const min = /^\d{1,7}$/.test(typed) ? parseInt(typed, 10) : 0;
        filters.minFatalities = Math.min(min, MAX_FATALITIES);
        filters.exact = Array.isArray(values.exact) && values.exact.indexOf("exact") >= 0;
        filters.q = String(values.q || "").replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, MAX_Q);
        return filters;
    }

    /* The controls' values for the filters (what fromControls reads back). */
    function controlValues(filters) {
        const out = {};
        for (const list of LISTS) {
            out[list.key] = filters[list.key].slice();
        }
        out.minFatalities = filters.minFatalities > 0 ? String(filters.minFatalities) : "";
        out.exact = filters.exact ? ["exact"] : [];
        out.q = filters.q;
        return out;
    }

    /* Which codes of a dictionary are kept: a Uint8Array over its labels, or null when
       the list filter is off. */
    function codeSet(labels, values) {
        if (!values.length) {
            return null;
        }
        const keep = new Uint8Array(Math.max(labels.length, 1));
        for (const v of values) {
            const code = labels.indexOf(v);
            if (code >= 0) {
                keep[code] = 1;
            }
        }
        return keep;
    }

    /* The mask of the rows the filters keep (1 = kept), or null when they keep every row.
       `qRows` are the rows whose notes hold the words searched (the server's answer),
       needed when filters.q is set. One pass over the columns: built once per filter
       change, then read by every date step. */
    function buildMask(events, filters, qRows) {
        if (!isActive(filters)) {
            return null;
        }
        const n = events.count;
        const mask = new Uint8Array(n);
        if (filters.q) {
            for (let k = 0; k < qRows.length; k++) {
                if (qRows[k] >= 0 && qRows[k] < n) {
                    mask[qRows[k]] = 1;
                }
            }
        } else {
            mask.fill(1);
        }
        const tests = [];
        for (const list of LISTS) {
            const keep = codeSet(events.labels[list.dict] || [], filters[list.key]);
            if (keep) {
                tests.push({keep: keep, a: events[list.columns[0]], b: list.columns[1] ? events[list.columns[1]] : null});
            }
        }
        const min = filters.minFatalities;
        const toll = events.fatalities;
        const exact = filters.exact;
        const geo = events.geo;
        const time = events.time;
        for (let i = 0; i < n; i++) {
            if (!mask[i]) {
                continue;
            }
            let kept = (min <= 0 || toll[i] >= min) && (!exact || (geo[i] === 1 && time[i] === 1));
            for (let t = 0; kept && t < tests.length; t++) {
                const test = tests[t];
                kept = test.keep[test.a[i]] === 1 || (test.b !== null && test.keep[test.b[i]] === 1);
            }
            if (!kept) {
                mask[i] = 0;
            }
        }
        return mask;
    }

    /* The Monday (days since 1970-01-01) of the week of a day: 1970-01-01 was a Thursday. */
    function mondayOf(day) {
        return day - ((((day + 3) % 7) + 7) % 7);
    }

    /* The timeline's weekly bars under a mask: `traces` are [{code, x}] (an event type's
       code, and the days its bars stand on, each the Thursday of its week, as
       dashboard/timeline.py draws them); returns each trace's counts, aligned with its x.
       A week the filters empty counts 0; a bar the server did not draw cannot appear,
       since filtering only removes events. */
    function weeklyCounts(events, mask, traces) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const t of traces) {
            for (const day of t.x) {
                lo = Math.min(lo, mondayOf(day));
                hi = Math.max(hi, mondayOf(day));
            }
        }
        const out = traces.map(function (t) { return new Array(t.x.length).fill(0); });
        if (lo > hi) {
            return out;
        }
        const ncodes = Math.max(events.labels.type.length, 1);
        const weeks = (hi - lo) / 7 + 1;
        const slot = new Int32Array(weeks * ncodes).fill(-1);
        const owner = [];
        traces.forEach(function (t, k) {
            t.x.forEach(function (day, j) {
                slot[((mondayOf(day) - lo) / 7) * ncodes + t.code] = owner.length;
                owner.push([k, j]);
            });
        });
        const counts = new Int32Array(owner.length);
        const start = events.start;
        const type = events.type;
        for (let i = 0; i < events.count; i++) {
            if (mask && !mask[i]) {
                continue;
            }
            const w = (mondayOf(start[i]) - lo) / 7;
            if (w < 0 || w >= weeks) {
                continue;
            }
            const s = slot[w * ncodes + type[i]];
            if (s >= 0) {
                counts[s]++;
            }
        }
        owner.forEach(function (kj, s) { out[kj[0]][kj[1]] = counts[s]; });
        return out;
    }

    /* The filters as the situation panel's request carries them (null when none). */
    function forServer(filters) {
        if (!isActive(filters)) {
            return null;
        }
        const out = {};
        for (const list of LISTS) {
            if (filters[list.key].length) {
                out[list.key] = filters[list.key].slice();
            }
        }
        if (filters.minFatalities > 0) {
            out.min_fatalities = filters.minFatalities;
        }
        if (filters.exact) {
            out.precision = "exact";
        }
        if (filters.q) {
            out.q = filters.q;
        }
        return out;
    }

    const api = {
        LISTS: LISTS, PARAMS: PARAMS, emptyFilters: emptyFilters, isActive: isActive, readFilters: readFilters,
        writeFilters: writeFilters, filterKey: filterKey, fromControls: fromControls, controlValues: controlValues,
        buildMask: buildMask, mondayOf: mondayOf, weeklyCounts: weeklyCounts, forServer: forServer,
    };
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.filters = api;
    }
})(typeof window !== "undefined" ? window : globalThis);

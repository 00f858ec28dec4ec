"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const dates = require("../../assets/atlas/dates.js");

const JAN11 = 15716; // 2013-01-11

test("a day number and its ISO date and label", () => {
    assert.equal(dates.isoOf(JAN11), "2013-01-11");
    assert.equal(dates.labelOf(JAN11), "11 Jan 2013");
    assert.equal(dates.parseIso("2013-01-11"), JAN11);
    assert.equal(dates.parseIso(" 2013-01-11 "), JAN11);
});

test("parseIso refuses what is not a real day", () => {
    for (const bad of ["2012-13-45", "2013-02-30", "<script>", "", null, "2013-1-11", "11/01/2013"]) {
        assert.equal(dates.parseIso(bad), null, String(bad));
    }
    assert.equal(dates.parseIso("2012-02-29"), dates.parseIso("2012-03-01") - 1);
});

test("addMonths keeps the day of the month, or the month's last day", () => {
    assert.equal(dates.isoOf(dates.addMonths(JAN11, 1)), "2013-02-11");
    assert.equal(dates.isoOf(dates.addMonths(dates.parseIso("2013-01-31"), 1)), "2013-02-28");
    assert.equal(dates.isoOf(dates.addMonths(dates.parseIso("2013-03-31"), -1)), "2013-02-28");
    assert.equal(dates.isoOf(dates.addMonths(JAN11, -13)), "2011-12-11");
});

test("escapeText makes data text inert in HTML", () => {
    assert.equal(dates.escapeText('<img src=x onerror="a">&\''), "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;");
    assert.equal(dates.escapeText(42), "42");
});

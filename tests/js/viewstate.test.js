"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const viewstate = require("../../assets/atlas/viewstate.js");
const dates = require("../../assets/atlas/dates.js");

const data = {range: [15340, 20000], windowDays: 30, changes: Int32Array.from([15430, 15517, 15715])};
const JAN11 = 15716;

test("the URL's date, or the current day when it is not a date", () => {
    assert.equal(viewstate.dayAsked("url.search", {search: "?date=2012-08-01"}, JAN11, data), dates.parseIso("2012-08-01"));
    assert.equal(viewstate.dayAsked("url.search", {search: "?date=2012-13-45"}, JAN11, data), JAN11);
    assert.equal(viewstate.dayAsked("url.search", {search: "?date=%3Cscript%3E"}, JAN11, data), JAN11);
});

test("steps, changes of control and a typed date", () => {
    assert.equal(viewstate.dayAsked("step-forward-day.n_clicks", {}, JAN11, data), JAN11 + 1);
    assert.equal(dates.isoOf(viewstate.dayAsked("step-back-month.n_clicks", {}, JAN11, data)), "2012-12-11");
    assert.equal(viewstate.dayAsked("next-change.n_clicks", {}, 15430, data), 15517);
    assert.equal(viewstate.dayAsked("previous-change.n_clicks", {}, 15430, data), 15430);
    assert.equal(viewstate.dayAsked("next-change.n_clicks", {}, 15715, data), 15715);
    assert.equal(viewstate.dayAsked("date-input.value", {typed: "nonsense"}, JAN11, data), null);
});

test("the window: days, all, or the default for anything else", () => {
    assert.equal(viewstate.windowAsked("?window=7", data), 7);
    assert.equal(viewstate.windowAsked("?window=all", data), null);
    for (const bad of ["?window=0", "?window=99999", "?window=-3", "?window=abc", "?window=7.5", "?"]) {
        assert.equal(viewstate.windowAsked(bad, data), 30, bad);
    }
});

test("a link's bad or out-of-range parameters fall back, with a notice in words", () => {
    const good = viewstate.readUrl("?date=2012-08-01&window=7", JAN11, data);
    assert.deepEqual(good, {day: dates.parseIso("2012-08-01"), windowDays: 7, since: null, view: null, compare: null, notice: ""});
    const bad = viewstate.readUrl("?date=2012-13-45", JAN11, data);
    assert.equal(bad.day, JAN11);
    assert.equal(bad.notice, "“2012-13-45” is not a date (YYYY-MM-DD); showing 11 Jan 2013");
    const early = viewstate.readUrl("?date=1900-01-01", JAN11, data);
    assert.equal(early.day, data.range[0]);
    assert.match(early.notice, /^1900-01-01 is before the first day of the data \(1 Jan 2012\); showing 1 Jan 2012$/);
    const win = viewstate.readUrl("?window=9999999", JAN11, data);
    assert.equal(win.windowDays, 30);
    assert.match(win.notice, /window “9999999” is not a number of days/);
    const long = viewstate.readUrl("?date=" + "x".repeat(500), JAN11, data);
    assert.ok(long.notice.length < 120, "a hostile value is cut short");
});

test("why a typed date is refused or moved", () => {
    assert.equal(viewstate.typedProblem("2013-01-11", data), "");
    assert.match(viewstate.typedProblem("abc", data), /^“abc” is not a date: type it as YYYY-MM-DD/);
    assert.match(viewstate.typedProblem("1990-01-01", data), /before the first day of the data; showing 1 Jan 2012/);
});

test("a deliberate change is a history entry; a drag or playback is one in all", () => {
    assert.equal(viewstate.historyMode(null, undefined), "replace");
    assert.equal(viewstate.historyMode("url.search", "step-forward-day.n_clicks"), "replace");
    assert.equal(viewstate.historyMode("step-forward-day.n_clicks", "step-forward-day.n_clicks"), "push");
    assert.equal(viewstate.historyMode("date-slider.value", "url.search"), "push");
    assert.equal(viewstate.historyMode("date-slider.value", "date-slider.value"), "replace");
    assert.equal(viewstate.historyMode("player", "player"), "replace");
    assert.equal(viewstate.historyMode("window-select.value", "window-select.value"), "push");
});

test("window choices include a link's own number of days", () => {
    const values = (w) => viewstate.windowOptions(w).map((o) => o.value);
    assert.deepEqual(values(30), ["1", "7", "30", "90", "365", "all"]);
    assert.deepEqual(values(45), ["1", "7", "30", "45", "90", "365", "all"]);
    assert.deepEqual(values(null), ["1", "7", "30", "90", "365", "all"]);
});

test("a link's map view, or a notice when it is not one", () => {
    const ok = viewstate.readUrl("?date=2013-01-11&lat=16.27&lon=-0.04&zoom=7.5", JAN11, data);
    assert.deepEqual(ok.view, {lat: 16.27, lon: -0.04, zoom: 7.5});
    assert.equal(ok.notice, "");
    for (const bad of ["lat=95&lon=0&zoom=4", "lat=16&lon=0", "lat=16&lon=abc&zoom=4", "lat=1e3&lon=0&zoom=4",
                       "lat=16&lon=0&zoom=40", "lat=<b>&lon=0&zoom=4"]) {
        const out = viewstate.readUrl("?" + bad, JAN11, data);
        assert.equal(out.view, null, bad);
        assert.match(out.notice, /is not a place on the map/, bad);
    }
});

test("a day to compare with, from a link or typed", () => {
    const url = viewstate.readUrl("?date=2013-01-11&compare=2012-03-01", JAN11, data);
    assert.equal(url.compare, dates.parseIso("2012-03-01"));
    assert.equal(url.notice, "");
    const bad = viewstate.readUrl("?date=2013-01-11&compare=soon", JAN11, data);
    assert.equal(bad.compare, null);
    assert.match(bad.notice, /compare “soon” is not a date/);
    assert.deepEqual(viewstate.compareAsked("", data), {day: null});
    assert.deepEqual(viewstate.compareAsked("2012-03-01", data), {day: dates.parseIso("2012-03-01")});
    assert.deepEqual(viewstate.compareAsked("1900-01-01", data), {day: data.range[0]});
    assert.match(viewstate.compareAsked("x", data).problem, /not a date to compare with/);
});

test("a cumulative window from a chosen start", () => {
    const url = viewstate.readUrl("?date=2013-01-11&window=all&start=2012-06-01", JAN11, data);
    assert.equal(url.windowDays, null);
    assert.equal(url.since, dates.parseIso("2012-06-01"));
    assert.equal(url.notice, "");
    const implied = viewstate.readUrl("?date=2013-01-11&start=2012-06-01", JAN11, data);
    assert.equal(implied.windowDays, null);
    const clash = viewstate.readUrl("?date=2013-01-11&window=7&start=2012-06-01", JAN11, data);
    assert.equal(clash.windowDays, 7);
    assert.equal(clash.since, null);
    assert.match(clash.notice, /start applies to the cumulative window/);
    const bad = viewstate.readUrl("?date=2013-01-11&start=soon", JAN11, data);
    assert.match(bad.notice, /start “soon” is not a date/);
    assert.deepEqual(viewstate.startAsked("", data), {day: null});
    assert.deepEqual(viewstate.startAsked("1900-01-01", data), {day: data.range[0]});
    assert.match(viewstate.startAsked("x", data).problem, /not a date to count from/);
});

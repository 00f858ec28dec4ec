"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const record = require("../../assets/atlas/recordplan.js");
const dates = require("../../assets/atlas/dates.js");

const day = dates.parseIso;
const moment = (id, iso, window) => ({id, day: day(iso), lat: 16, lon: -2, zoom: 6, window});
const data = {
    range: [day("2011-10-01"), day("2025-06-30")],
    windowDays: 30,
    moments: [
        moment("coup-2012", "2012-03-22", 30),
        moment("north-falls", "2012-04-01", 7),
        moment("azawad-declared", "2012-04-06", null),
        moment("konna-falls", "2013-01-10", 30),
    ],
};
const asked = (extra) => Object.assign({
    what: "range", from: "2013-01-08", to: "2013-01-12", daysPerFrame: "1", fps: "5",
    secondsPerMoment: "4", format: "webm",
}, extra);

test("a date range: one frame every n days from the first day, the last day closing it", () => {
    assert.deepEqual(record.rangeDays(10, 14, 1), [10, 11, 12, 13, 14]);
    assert.deepEqual(record.rangeDays(10, 20, 3), [10, 13, 16, 19, 20]);
    assert.deepEqual(record.rangeDays(10, 19, 3), [10, 13, 16, 19]);
    assert.deepEqual(record.rangeDays(10, 10, 7), [10]);
});

test("a range's plan: its days at 1/fps seconds each, and the file named after them", () => {
    const plan = record.recordingPlan(asked({}), data);
    assert.equal(plan.problem, undefined);
    assert.deepEqual(plan.frames.map((f) => dates.isoOf(f.day)),
        ["2013-01-08", "2013-01-09", "2013-01-10", "2013-01-11", "2013-01-12"]);
    assert.ok(plan.frames.every((f) => f.duration === 0.2 && !f.moment));
    assert.equal(plan.fps, 5);
    assert.equal(record.fileName(plan), "sahel-atlas-2013-01-08-2013-01-12.webm");
    const weekly = record.recordingPlan(asked({daysPerFrame: "7", to: "2013-02-01", format: "gif"}), data);
    assert.deepEqual(weekly.frames.map((f) => dates.isoOf(f.day)),
        ["2013-01-08", "2013-01-15", "2013-01-22", "2013-01-29", "2013-02-01"]);
    assert.equal(record.fileName(weekly), "sahel-atlas-2013-01-08-2013-02-01.gif");
});

test("the key moments between from and to, in order, each held the seconds asked", () => {
    const plan = record.recordingPlan(asked({what: "moments", from: "2012-03-22", to: "2012-04-30"}), data);
    assert.deepEqual(plan.frames.map((f) => f.moment.id), ["coup-2012", "north-falls", "azawad-declared"]);
    assert.ok(plan.frames.every((f) => f.duration === 4 && f.day === f.moment.day));
    assert.equal(plan.fps, null);
    assert.deepEqual(record.frameTimes(plan.frames), [0, 4, 8, 12]);
    assert.deepEqual(record.frameTimes(record.recordingPlan(asked({}), data).frames), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.equal(record.fileName(plan), "sahel-atlas-2012-03-22-2012-04-06.webm");
});

test("what the dialog cannot record is said in words", () => {
    const problem = (extra) => record.recordingPlan(asked(extra), data).problem;
    assert.match(problem({from: "2013-02-30"}), /^from: “2013-02-30” is not a date/);
    assert.match(problem({to: "<b>x</b>"}), /^to: “<b>x<\/b>” is not a date/);
    assert.match(problem({from: "2030-01-01"}), /^from: 2030-01-01 is outside the data \(2011-10-01 to 2025-06-30\)/);
    assert.match(problem({from: "2013-01-12", to: "2013-01-08"}), /^to: 2013-01-08 comes before from: 2013-01-12/);
    assert.match(problem({fps: "0"}), /^frames per second: a whole number from 1 to 30/);
    assert.match(problem({fps: "2.5"}), /^frames per second/);
    assert.match(problem({daysPerFrame: "abc"}), /^days per frame: a whole number from 1 to 365/);
    assert.match(problem({format: "mp4"}), /^format: choose WebM or GIF/);
    assert.match(problem({what: "both"}), /^record: choose/);
    assert.match(problem({from: "2011-10-01", to: "2025-06-30"}), /more than 2000 frames/);
    assert.equal(problem({from: "2011-10-01", to: "2025-06-30", daysPerFrame: "7"}), undefined);
    assert.match(problem({what: "moments", from: "2014-01-01", to: "2014-12-31"}),
        /^no key moment between 2014-01-01 and 2014-12-31/);
    assert.match(problem({what: "moments", secondsPerMoment: "0"}), /^seconds per moment/);
});

test("GIF delays count in 10 ms and add up to the exact length", () => {
    const frames = (n, d) => Array.from({length: n}, () => ({duration: d}));
    assert.deepEqual(record.gifDelays(frames(5, 0.2)), [200, 200, 200, 200, 200]);
    const third = record.gifDelays(frames(3, 1 / 3));
    assert.deepEqual(third, [330, 340, 330]);
    const thirty = record.gifDelays(frames(30, 1 / 30));
    assert.equal(thirty.reduce((a, b) => a + b, 0), 1000);
    assert.ok(thirty.every((d) => d === 30 || d === 40));
});

test("a frame's URL: the page's own at the frame's day; a moment's window and view", () => {
    const [frame] = record.recordingPlan(asked({}), data).frames;
    const search = "?date=2012-01-01&window=7&types=Battles&compare=2012-06-01&lat=16&lon=-3&zoom=5";
    const params = new URLSearchParams(record.frameSearch(search, frame, data));
    assert.equal(params.get("date"), "2013-01-08");
    assert.equal(params.get("window"), "7");
    assert.equal(params.get("types"), "Battles");
    assert.equal(params.get("compare"), "2012-06-01");
    const moments = record.recordingPlan(asked({what: "moments", from: "2012-04-01", to: "2012-04-06"}), data);
    const first = new URLSearchParams(record.frameSearch(search + "&start=2012-01-01", moments.frames[0], data));
    assert.equal(first.get("date"), "2012-04-01");
    assert.equal(first.get("window"), "7");
    assert.equal(first.get("zoom"), "6");
    assert.equal(first.get("types"), "Battles");
    assert.equal(first.get("compare"), null);
    assert.equal(first.get("start"), null);
    const cumulative = new URLSearchParams(record.frameSearch(search, moments.frames[1], data));
    assert.equal(cumulative.get("window"), "all");
});

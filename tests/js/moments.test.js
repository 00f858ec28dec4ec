"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const moments = require("../../assets/atlas/moments.js");
const dates = require("../../assets/atlas/dates.js");

const list = [
    {day: 15356, lat: 15.9, lon: 2.4, zoom: 6, window: 30},
    {day: 15715, lat: 14.9, lon: -3.9, zoom: 7, window: 7},
    {day: 16000, lat: 17, lon: -2, zoom: 4.3, window: null},
];

test("the moment of a day is the last one on or before it", () => {
    assert.equal(moments.momentIndex(list, 15000), -1);
    assert.equal(moments.momentIndex(list, 15356), 0);
    assert.equal(moments.momentIndex(list, 15714), 0);
    assert.equal(moments.momentIndex(list, 15715), 1);
    assert.equal(moments.momentIndex(list, 99999), 2);
    assert.equal(moments.momentIndex([], 15715), -1);
});

test("a link asks for the presenter and its loop only with =1", () => {
    assert.deepEqual(moments.presentAsked("?present=1&autoplay=1"), {present: true, autoplay: true});
    assert.deepEqual(moments.presentAsked("?present=1"), {present: true, autoplay: false});
    assert.deepEqual(moments.presentAsked("?present=yes"), {present: false, autoplay: false});
});

test("the presenter's keys", () => {
    for (const k of ["PageDown", "ArrowRight", " "]) assert.equal(moments.presenterKey(k), "next");
    for (const k of ["PageUp", "ArrowLeft"]) assert.equal(moments.presenterKey(k), "previous");
    assert.equal(moments.presenterKey("F"), "fullscreen");
    assert.equal(moments.presenterKey("b"), "blackout");
    assert.equal(moments.presenterKey("Escape"), "exit");
    assert.equal(moments.presenterKey("x"), null);
});

test("a moment's URL keeps the link's other parameters", () => {
    const s = new URLSearchParams(moments.momentSearch("?present=1&date=2012-01-01", list[1], dates.isoOf, 30));
    assert.equal(s.get("present"), "1");
    assert.equal(s.get("date"), "2013-01-10");
    assert.equal(s.get("window"), "7");
    assert.equal(s.get("zoom"), "7");
    const all = new URLSearchParams(moments.momentSearch("?window=7", list[2], dates.isoOf, 30));
    assert.equal(all.get("window"), "all");
    const usual = new URLSearchParams(moments.momentSearch("?window=7", list[0], dates.isoOf, 30));
    assert.equal(usual.get("window"), null);
});

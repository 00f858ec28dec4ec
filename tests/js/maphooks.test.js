"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {fitPaddings} = require("../../assets/atlas/maphooks.js");

const map = {width: 958, height: 477};
const edge = 12;

test("nothing over the map: the same room on every side", () => {
    assert.deepEqual(fitPaddings(map, [], edge), [{top: 12, right: 12, bottom: 12, left: 12}]);
});

test("a legend in the top left corner: the bounds go beside it or below it", () => {
    const legend = {left: 8, top: 8, right: 263, bottom: 377};
    assert.deepEqual(fitPaddings(map, [legend], edge), [
        {top: 12, right: 12, bottom: 12, left: 275},
        {top: 389, right: 12, bottom: 12, left: 12},
    ]);
});

test("a side that leaves no room is not offered", () => {
    const phone = {width: 366, height: 490};
    const legend = {left: 8, top: 8, right: 358, bottom: 253}; // almost the whole width
    assert.deepEqual(fitPaddings(phone, [legend], edge), [{top: 265, right: 12, bottom: 12, left: 12}]);
});

test("a box outside the map, or folded to nothing, takes no room", () => {
    const outside = {left: 1000, top: 8, right: 1200, bottom: 200};
    const folded = {left: 8, top: 8, right: 8, bottom: 8};
    assert.deepEqual(fitPaddings(map, [outside, folded], edge), [{top: 12, right: 12, bottom: 12, left: 12}]);
});

test("no room anywhere: no padding at all rather than none that fits", () => {
    const tiny = {width: 20, height: 20};
    assert.deepEqual(fitPaddings(tiny, [], edge), [{top: 0, right: 0, bottom: 0, left: 0}]);
});

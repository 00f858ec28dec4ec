"use strict";
// The fast path's pure parts: where the slider's thumb goes, how steps merge into one
// history entry, and when the player stops.
const test = require("node:test");
const assert = require("node:assert/strict");
const stepper = require("../../assets/atlas/stepper.js");

test("the thumb sits where the slider puts it, inside the track at both ends", () => {
    // at the start: 0% plus half the thumb; at the end: 100% minus half; midway: 50%
    assert.equal(stepper.thumbLeft(100, 100, 300, 16), "calc(0% + 8px)");
    assert.equal(stepper.thumbLeft(300, 100, 300, 16), "calc(100% + -8px)");
    assert.equal(stepper.thumbLeft(200, 100, 300, 16), "calc(50% + 0px)");
    // as read off the page's slider: 99.1488% of the way gives -7.86381 px
    const left = stepper.thumbLeft(99.1488, 0, 100, 16);
    const px = Number(left.match(/\+ (-?[\d.]+)px/)[1]);
    assert.ok(Math.abs(px + 7.86381) < 0.0001, left);
    // one day of data: no division by zero
    assert.equal(stepper.thumbLeft(5, 5, 5, 16), "calc(0% + 8px)");
});

test("steps painted in one frame are one history entry, a push if any of them is", () => {
    assert.equal(stepper.mergeMode("replace", "replace"), "replace");
    assert.equal(stepper.mergeMode("replace", "push"), "push");
    assert.equal(stepper.mergeMode("push", "replace"), "push");
    assert.equal(stepper.mergeMode(null, "replace"), "replace");
});

test("the player moves a day at a time and stops at the last day", () => {
    assert.equal(stepper.playNext(10, 20), 11);
    assert.equal(stepper.playNext(19, 20), 20);
    assert.equal(stepper.playNext(20, 20), null);
    assert.equal(stepper.playNext(25, 20), null);
});

test("every step button is known by the prop Dash knew it by", () => {
    for (const [id, prop] of Object.entries(stepper.STEP_BUTTONS)) {
        assert.equal(prop, id + ".n_clicks");
    }
    assert.equal(Object.keys(stepper.STEP_BUTTONS).length, 6);
});

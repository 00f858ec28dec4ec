"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {keyAction} = require("../../assets/atlas/keys.js");

const none = {};
const page = {typing: false, slider: false, button: false};

test("arrows step a day, with Shift a month", () => {
    assert.deepEqual(keyAction("ArrowLeft", none, page), {click: "step-back-day"});
    assert.deepEqual(keyAction("ArrowRight", none, page), {click: "step-forward-day"});
    assert.deepEqual(keyAction("ArrowLeft", {shift: true}, page), {click: "step-back-month"});
    assert.deepEqual(keyAction("ArrowRight", {shift: true}, page), {click: "step-forward-month"});
});

test("Space plays, Home/End go to the ends, N/P to the changes, ? lists the keys", () => {
    assert.deepEqual(keyAction(" ", none, page), {click: "play"});
    assert.deepEqual(keyAction("Home", none, page), {day: "first"});
    assert.deepEqual(keyAction("End", none, page), {day: "last"});
    assert.deepEqual(keyAction("n", none, page), {click: "next-change"});
    assert.deepEqual(keyAction("P", {shift: true}, page), {click: "previous-change"});
    assert.deepEqual(keyAction("?", {shift: true}, page), {help: "toggle"});
    assert.deepEqual(keyAction("Escape", none, page), {help: "close"});
});

test("keys are left alone while typing, on a focused slider or with Ctrl/Alt/Meta", () => {
    assert.equal(keyAction("ArrowLeft", none, {...page, typing: true}), null);
    assert.equal(keyAction("n", none, {...page, typing: true}), null);
    assert.equal(keyAction("ArrowLeft", none, {...page, slider: true}), null);
    assert.equal(keyAction("Home", none, {...page, slider: true}), null);
    assert.deepEqual(keyAction(" ", none, {...page, slider: true}), {click: "play"});
    assert.equal(keyAction(" ", none, {...page, button: true}), null);
    assert.equal(keyAction("ArrowLeft", {ctrl: true}, page), null);
    assert.equal(keyAction("r", {meta: true}, page), null);
    assert.equal(keyAction("x", none, page), null);
});

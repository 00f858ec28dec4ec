"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const a11y = require("../../assets/atlas/a11y.js");

test("sliderText says the day number as a date", () => {
    assert.deepEqual(a11y.sliderText("15716"), {label: "Date", text: "11 Jan 2013"});
    assert.deepEqual(a11y.sliderText(0), {label: "Date", text: "1 Jan 1970"});
    assert.equal(a11y.sliderText("20147").text, "28 Feb 2025");
});

test("sliderText leaves what is not a day alone", () => {
    for (const bad of [null, "", "abc", "12.5", undefined]) {
        assert.equal(a11y.sliderText(bad), null, String(bad));
    }
});

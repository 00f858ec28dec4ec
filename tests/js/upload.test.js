"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {chunkPlan, reportLines} = require("../../assets/atlas/upload.js");

test("a file is sent in whole chunks and one last part", () => {
    assert.deepEqual(chunkPlan(0, 8), []);
    assert.deepEqual(chunkPlan(8, 8), [[0, 8]]);
    assert.deepEqual(chunkPlan(20, 8), [[0, 8], [8, 16], [16, 20]]);
    const big = chunkPlan(580e6, 8 * 1024 * 1024);
    assert.equal(big.length, 70);
    assert.equal(big[big.length - 1][1], 580e6);
});

test("the report says what was read, imported and rejected, line by line", () => {
    const lines = reportLines({
        file: "acled.csv", format: "acled", rows_read: 1200, imported: 1195, rejected_count: 5,
        rejected: [{line: 7, reason: "bad event_date '2012-13-45'"}],
        actors_matched: {"MNLA": "mnla"}, actors_unmatched: {"Unidentified Armed Group (Mali)": "actor-x"},
    });
    assert.equal(lines[0], "acled.csv (ACLED): 1,200 rows read, 1,195 imported, 5 rejected");
    assert.match(lines[1], /1 matched to the atlas's groups, 1 new \(Unidentified Armed Group \(Mali\)\)/);
    assert.equal(lines[2], "Line 7: bad event_date '2012-13-45'");
    assert.equal(lines[3], "… and 4 more rejected rows");
});

// Durations: milliseconds as a number, or a string with ms, s or m.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDuration } from "../../../lib/scenario/duration";

describe("parseDuration", () => {
  it("reads ms, s and m", () => {
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("5s"), 5000);
    assert.equal(parseDuration("2m"), 120_000);
    assert.equal(parseDuration("1.5s"), 1500);
    assert.equal(parseDuration(" 10 s "), 10_000);
    assert.equal(parseDuration("0s"), 0);
  });

  it("refuses anything else", () => {
    for (const text of ["", "5", "5 sec", "5h", "-1s", "s", "1e3ms", "five seconds"]) assert.equal(parseDuration(text), undefined, text);
  });
});

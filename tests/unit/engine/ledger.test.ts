import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLedger } from "../../../server/engine/ledger";

describe("the run ledger", () => {
  it("counts confirmed ids nobody consumed as pending while they may come, and lost once the run has settled or ended", () => {
    const ledger = createLedger();
    ledger.confirm(["a/p/1", "a/p/2", "a/p/3"]);
    ledger.consume("b/c", ["a/p/1"]);
    assert.deepEqual(ledger.summary(), { confirmed: 3, consumed: 1, pending: 2, lost: 0, duplicated: 0, recovered: 0 });
    assert.deepEqual(ledger.missing(), ["a/p/2", "a/p/3"]);
    ledger.settle(true);
    assert.deepEqual(ledger.summary(), { confirmed: 3, consumed: 1, pending: 0, lost: 2, duplicated: 0, recovered: 0 });
    // A late one after all: consumed, no longer lost; the next drain check says whether the rest still is.
    ledger.consume("b/c", ["a/p/2"]);
    assert.equal(ledger.summary().lost, 1);
    ledger.settle(false);
    assert.deepEqual({ pending: ledger.summary().pending, lost: ledger.summary().lost }, { pending: 1, lost: 0 });
    // At the end the report's contract holds: lost = confirmed ids never consumed, and no pending field.
    ledger.end();
    assert.deepEqual(ledger.summary(), { confirmed: 3, consumed: 2, lost: 1, duplicated: 0, recovered: 0 });
    ledger.consume("b/c", ["a/p/3"]);
    assert.equal(ledger.summary().lost, 0);
    assert.deepEqual(ledger.missing(), []);
  });

  it("counts a second processing by the same consumer as a duplicate, but fan-out to two consumers as none", () => {
    const ledger = createLedger();
    ledger.confirm(["a/p/1"]);
    ledger.consume("archive/store", ["a/p/1"]);
    ledger.consume("monitor/watch", ["a/p/1"]);
    assert.equal(ledger.summary().duplicated, 0);
    ledger.consume("archive/store", ["a/p/1"]);
    assert.deepEqual(ledger.summary(), { confirmed: 1, consumed: 1, pending: 0, lost: 0, duplicated: 1, recovered: 0 });
  });

  it("counts ids consumed but never confirmed as recovered, until their confirm arrives late", () => {
    const ledger = createLedger();
    ledger.consume("b/c", ["a/p/9"]);
    assert.equal(ledger.summary().recovered, 1);
    ledger.confirm(["a/p/9", "a/p/9"]);
    assert.deepEqual(ledger.summary(), { confirmed: 1, consumed: 1, pending: 0, lost: 0, duplicated: 0, recovered: 0 });
  });

  it("tells each consumer's repeats apart when several consume the same ids", () => {
    const ledger = createLedger();
    ledger.confirm(["a/p/1", "a/p/2"]);
    for (const consumer of ["x/c", "y/c", "z/c"]) ledger.consume(consumer, ["a/p/1", "a/p/2"]);
    assert.equal(ledger.summary().duplicated, 0);
    ledger.consume("y/c", ["a/p/1"]);
    ledger.consume("x/c", ["a/p/1"]);
    ledger.consume("z/c", ["a/p/2", "a/p/2"]);
    assert.deepEqual(ledger.summary(), { confirmed: 2, consumed: 2, pending: 0, lost: 0, duplicated: 4, recovered: 0 });
  });
});

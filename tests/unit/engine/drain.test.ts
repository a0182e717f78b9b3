import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDrained, type DrainInput } from "../../../server/engine/drain";
import { zeroConsumer } from "../../../server/engine/aggregator";

const base = (): DrainInput => ({
  producersFinished: true,
  hasConsumers: true,
  ledger: { confirmed: 10, consumed: 10, lost: 0, duplicated: 0, recovered: 0 },
  consumers: { "b/c": zeroConsumer() },
  snapshot: { at: 0, errors: [], queues: [{ broker: "r", name: "q", messages: 0, ready: 0, unacked: 0, consumers: 1 }], lag: [] },
});

describe("drain detection", () => {
  it("is drained when producers are done, nothing is lost or in flight, queues are empty and lag is 0", () => {
    assert.equal(isDrained(base()), true);
  });
  it("is not drained while a producer runs, an id is missing, a message is in flight, a queue holds one, or a group lags", () => {
    assert.equal(isDrained({ ...base(), producersFinished: false }), false);
    assert.equal(isDrained({ ...base(), ledger: { ...base().ledger, lost: 1 } }), false);
    assert.equal(isDrained({ ...base(), consumers: { "b/c": { ...zeroConsumer(), inFlight: 1 } } }), false);
    const full = base();
    full.snapshot!.queues[0]!.messages = 1;
    assert.equal(isDrained(full), false);
    const lagging = base();
    lagging.snapshot!.lag = [{ broker: "k", group: "g", topic: "t", partitions: [], total: 3 }];
    assert.equal(isDrained(lagging), false);
    assert.equal(isDrained({ ...base(), snapshot: undefined }), false);
  });
  it("needs no drain without consumers", () => {
    assert.equal(isDrained({ ...base(), hasConsumers: false, ledger: { ...base().ledger, lost: 10 } }), true);
  });
});

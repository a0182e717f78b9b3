// When a run that ends once drained may end, what it says it waits for meanwhile, and when its
// unconsumed messages count as lost (issue: an auto-ack kill run waited 120 s for them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDrainWatch, lossGraceMs, waitingReasons, type DrainInput } from "../../../server/engine/drain";
import { zeroConsumer } from "../../../server/engine/aggregator";

const base = (): DrainInput => ({
  producersUnfinished: [],
  hasConsumers: true,
  ledger: { confirmed: 10, consumed: 10, lost: 0, pending: 0, duplicated: 0, recovered: 0 },
  consumers: { "b/c": zeroConsumer() },
  snapshot: { at: 0, errors: [], queues: [{ broker: "r", name: "q", messages: 0, ready: 0, unacked: 0, consumers: 1 }], lag: [] },
});
const withUnconsumed = (pending: number): DrainInput => ({ ...base(), ledger: { ...base().ledger, consumed: 10 - pending, pending } });

describe("drain detection", () => {
  it("is drained at once when producers are done, everything confirmed was consumed and nothing waits", () => {
    assert.deepEqual(createDrainWatch()(base(), 0), { drained: true, settled: true, waitingFor: [] });
  });

  it("says what it waits for: producers, messages in flight, queues, lag, an unanswered broker", () => {
    const input = base();
    input.producersUnfinished = ["order-service/orders (120 of 400 sent)"];
    input.consumers = { "b/c": { ...zeroConsumer(), inFlight: 2 } };
    input.snapshot!.queues[0]!.messages = 12;
    input.snapshot!.lag = [{ broker: "k", group: "billing", topic: "orders", partitions: [], total: 3 }];
    input.snapshot!.errors = ["rabbit: timed out"];
    assert.deepEqual(waitingReasons(input), [
      "producer order-service/orders (120 of 400 sent) to finish",
      "2 messages in flight at b/c",
      "the brokers to answer (rabbit: timed out)",
      "12 messages in q",
      "consumer lag 3 on group billing (orders)",
    ]);
    const state = createDrainWatch()(input, 0);
    assert.equal(state.drained, false);
    assert.equal(state.settled, false);
    assert.deepEqual(waitingReasons({ ...base(), snapshot: undefined }), ["the first read of the brokers' queues and lag"]);
  });

  it("counts unconsumed messages found nowhere as lost after a quiet grace period, then ends", () => {
    const watch = createDrainWatch();
    const first = watch(withUnconsumed(3), 1_000);
    assert.equal(first.drained, false);
    assert.match(first.waitingFor[0]!, /^3 confirmed messages consumed by no one and found nowhere: 6 s more/);
    assert.equal(watch(withUnconsumed(3), 1_000 + lossGraceMs - 1).drained, false);
    assert.deepEqual(watch(withUnconsumed(3), 1_000 + lossGraceMs), { drained: true, settled: true, waitingFor: [] });
  });

  it("restarts the grace period whenever something moves, and forgets it while something waits", () => {
    const watch = createDrainWatch();
    watch(withUnconsumed(3), 0);
    // One more consumed at 5 s: the rest may be coming too.
    assert.equal(watch(withUnconsumed(2), 5_000).drained, false);
    assert.equal(watch(withUnconsumed(2), lossGraceMs + 1_000).drained, false);
    assert.equal(watch(withUnconsumed(2), 5_000 + lossGraceMs).drained, true);
    const busy = withUnconsumed(2);
    busy.snapshot!.queues[0]!.messages = 2;
    assert.equal(watch(busy, 20_000).settled, false);
    assert.equal(watch(withUnconsumed(2), 20_500).drained, false, "a new quiet period starts after the queue emptied");
  });

  it("needs no drain without consumers, but still waits for the producers", () => {
    const watch = createDrainWatch();
    assert.equal(watch({ ...withUnconsumed(10), hasConsumers: false }, 0).drained, true);
    assert.equal(watch({ ...base(), hasConsumers: false, producersUnfinished: ["a/p (1 sent)"] }, 0).drained, false);
  });

  it("waits for a replica starting again after a kill (slow on a loaded machine), then drains", () => {
    const starting = { ...withUnconsumed(3), replicasStarting: ["fulfilment/0"] };
    assert.deepEqual(waitingReasons(starting), ["fulfilment/0 to start again"]);
    const watch = createDrainWatch();
    // Long past the grace period while the replica starts: nothing is lost yet.
    assert.equal(watch(starting, 0).settled, false);
    assert.equal(watch(starting, 30_000).drained, false);
    assert.equal(watch(withUnconsumed(0), 31_000).drained, true);
  });

  it("waits as long as a broker that cannot count its backlog may hold a message unseen", () => {
    const blind = (): DrainInput => ({ ...withUnconsumed(2), snapshot: { at: 0, errors: [], queues: [], lag: [], unseenForMs: 15_000 } });
    const watch = createDrainWatch();
    watch(blind(), 0);
    assert.equal(watch(blind(), lossGraceMs + 1).drained, false, "a leased message may come back after its ack deadline");
    assert.match(watch(blind(), 10_000).waitingFor[0]!, /5 s more/);
    assert.deepEqual(watch(blind(), 15_000), { drained: true, settled: true, waitingFor: [] });
  });
});

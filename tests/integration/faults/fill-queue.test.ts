// Filling a queue to its max-length (the fault publishes straight to the queue, with confirms, and
// the ledger counts those messages too). What happens next is the queue's overflow policy:
// reject-publish nacks the producer's messages (failed sends, nothing lost), drop-head silently
// drops the oldest messages (confirmed, then lost: the ledger shows it).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

const scenario = (queue: string, overflow: string) => loadScenario(`
version: 1
name: fill-queue-${overflow}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, maxLength: 50, overflow: ${overflow} } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 100 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 1, work: { ms: 100 } } ]
faults:
  - { at: 1s, fillQueue: ${queue} }
`);

describe("a queue filled to its max-length", { timeout: 180_000 }, () => {
  it("reject-publish: the producer's messages are nacked while it is full; nothing confirmed is lost", async () => {
    const run = await testEngine().start(scenario(unique("faults-fill"), "reject-publish"), { limitMs: 90_000 });
    const report = await run.done();
    const fill = report.timeline?.find((e) => e.kind === "fault" && e.detail.startsWith("filled with"));
    printLedger("fill queue to max-length 50, overflow reject-publish", report, { fill: fill?.detail });
    const orders = report.producers["order-service/orders"]!;
    assert.equal(report.status, "finished");
    assert.ok(fill, "the fill is on the timeline");
    assert.ok(orders.failed > 0, `the broker refused messages while the queue was full (failed=${orders.failed})`);
    assert.equal(orders.confirmed + orders.failed, 100);
    assert.equal(report.ledger.lost, 0);
    assert.equal(report.ledger.consumed, report.ledger.confirmed, "every confirmed message, fill included, was consumed");
    assert.ok(report.ledger.confirmed > orders.confirmed, "the fill's own messages are in the ledger");
  });

  it("drop-head: the oldest messages are dropped to make room, and the ledger reports them lost", async () => {
    const run = await testEngine().start(scenario(unique("faults-fill"), "drop-head"), { durationMs: 20_000 });
    const report = await run.done();
    printLedger("fill queue to max-length 50, overflow drop-head", report);
    assert.equal(report.producers["order-service/orders"]!.failed, 0, "drop-head accepts every publish");
    assert.ok(report.ledger.lost > 0, `confirmed, then dropped by the broker: lost=${report.ledger.lost}`);
    assert.equal(report.ledger.consumed + report.ledger.lost, report.ledger.confirmed);
    assert.equal(report.queues[0]?.messages ?? 0, 0, "the queue was drained: the loss is not a backlog");
  });
});

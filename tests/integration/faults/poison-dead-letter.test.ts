// A poison message injected by a fault: the consumer's rule makes every attempt fail, it is
// retried 3 times through the delay queues, then dead-lettered; exactly one message reaches the
// dead-letter queue, and the flight recorder shows its x-death history.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

describe("poison message → retries → dead-letter queue", { timeout: 120_000 }, () => {
  it("exactly one message in the DLQ, with its x-death history in the flight recorder", async () => {
    const queue = unique("faults-poison");
    const started = await testEngine().start(loadScenario(`
version: 1
name: poison-dead-letter
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    exchanges: [ { name: ${queue}.dlx, type: direct } ]
    queues:
      - { name: ${queue}, deadLetter: { exchange: ${queue}.dlx, routingKey: ${queue}.dead } }
      - { name: ${queue}.dead }
    bindings: [ { exchange: ${queue}.dlx, queue: ${queue}.dead, routingKey: ${queue}.dead } ]
services:
  - name: checkout-service
    producers: [ { name: payments, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 40, payload: { orderId: "{{seq}}", poison: false } } ]
  - name: payment-service
    consumers:
      - name: charge
        broker: rabbit
        from: { queue: ${queue} }
        failures: { poison: { field: poison, equals: true } }
        onError: { retries: 3, backoffMs: [100, 200, 400], then: dead-letter }
faults:
  - { at: 1s, poison: payment-service }
`), { limitMs: 60_000 });
    const report = await started.done();
    printLedger("poison message, 3 retries, then dead-letter", report, { dlq: report.queues.find((q) => q.name === `${queue}.dead`)?.messages });

    const poisonId = "checkout-service/payments/poison-1";
    const charge = report.consumers["payment-service/charge"]!;
    assert.equal(report.status, "finished");
    assert.deepEqual(report.producers["checkout-service/payments"], { published: 41, confirmed: 41, failed: 0, returned: 0 }, "40 orders and the poison message");
    assert.equal(charge.deadLettered, 1);
    assert.equal(charge.retried, 3);
    assert.equal(charge.failed, 4, "the first attempt and three retries");
    assert.deepEqual(report.ledger, { confirmed: 41, consumed: 41, lost: 0, duplicated: 0, recovered: 0 });
    assert.equal(report.queues.find((q) => q.name === `${queue}.dead`)?.messages, 1, "exactly one message in the dead-letter queue");

    const history = started.messages.get(poisonId);
    assert.ok(history, "the flight recorder has the poison message");
    assert.deepEqual(history.events.filter((e) => e.kind === "delivered").map((e) => e.attempt), [1, 2, 3, 4]);
    assert.match(history.events.find((e) => e.kind === "delivered" && e.attempt === 2)?.detail ?? "", /^x-death: expired from .*\.retry\.100 ×1/, "a retry carries the delay queue's x-death");
    const parked = history.events.find((e) => e.kind === "in-dead-letter-queue");
    assert.ok(parked, `the flight recorder shows it in the dead-letter queue: ${JSON.stringify(history.events.map((e) => e.kind))}`);
    assert.equal(parked.destination, `${queue}.dead`);
    assert.equal(parked.detail, `x-death: rejected from ${queue} ×1 (published to the default exchange, routing key ${queue}); expired from ${queue}.retry.400 ×1 (published to the default exchange, routing key ${queue}.retry.400)`);
    console.log(`x-death shown for ${poisonId}: ${parked.detail}`);
    assert.ok(report.timeline?.some((e) => e.kind === "fault" && e.detail.startsWith("poison message (poison = true) published by checkout-service/payments")));
  });
});

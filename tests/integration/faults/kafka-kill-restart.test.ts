// A Kafka consumer killed ~6 s into a 400-message run and started again, in a group that starts
// "from now" with retries (issue 12: 400 sent, lag back to 0, 2 lost, the run never ended). The
// restarted member must pick up where the group stood: nothing lost, and the run ends by itself.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

describe("Kafka consumer killed and started again", { timeout: 180_000 }, () => {
  it("400 messages, killed at 6 s, started at 7 s: lost 0, lag 0, and the run ends by itself", async () => {
    const topic = unique("faults-kafka-restart");
    const limitMs = 120_000;
    const startedAt = Date.now();
    const started = await testEngine().start(loadScenario(`
version: 1
name: kafka-kill-restart
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 3 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic}, key: "{{seq}}" }, rate: { perSecond: 40 }, count: 400, acks: all, idempotent: true } ]
  - name: inventory-service
    consumers:
      - name: stock
        broker: kafka
        from: { topic: ${topic}, group: ${topic}-g, fromBeginning: false }
        ack: manual
        work: { ms: 20, jitterMs: 10 }
        failures: { errorRate: 0.05 }
        onError: { retries: 2, backoffMs: [3000, 3000], then: dead-letter }
faults:
  - { at: 6s, kill: inventory-service }
  - { at: 7s, start: inventory-service }
`), { limitMs });
    const report = await started.done();
    const wallMs = Date.now() - startedAt;
    printLedger("kafka consumer SIGKILL at 6 s, started at 7 s, group from now, retries", report, { lagAtEnd: report.lag.reduce((n, g) => n + g.total, 0), wallMs });
    assert.equal(report.status, "finished");
    assert.ok(report.timeline?.some((e) => e.kind === "replica" && e.detail.startsWith("killed")), "the kill happened");
    assert.equal(report.ledger.confirmed, 400);
    // Where the group starts was fixed before the first member joined; without it the restarted
    // member starts at the then-latest offsets and skips records.
    assert.ok(!report.errors.some((e) => e.includes("could not fix where group")), `the group's start was fixed: ${report.errors.join("; ")}`);
    assert.equal(report.ledger.lost, 0, `lost: ${JSON.stringify(started.missing())}`);
    assert.equal(report.ledger.consumed, 400);
    assert.ok(!report.errors.some((e) => e.startsWith("stopped: no drain")), `the run ended by itself: ${report.errors.join("; ")}`);
    assert.ok(report.durationMs < limitMs - 10_000, `ended well before its limit (${report.durationMs} ms)`);
    for (const group of report.lag) assert.equal(group.total, 0, `no lag left on ${group.topic}`);
    // The final counters agree with the ledger: every consumed id was acked by some process.
    const stock = report.consumers["inventory-service/stock"]!;
    assert.ok(stock.acked >= report.ledger.consumed, `acked ${stock.acked} >= consumed ${report.ledger.consumed}`);
  });
});

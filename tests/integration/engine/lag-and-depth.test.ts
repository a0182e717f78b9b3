// Live broker numbers in a run's frames, on the real brokers: a Kafka consumer slower than its
// producer shows its lag in seconds (the age of the oldest record it has not consumed) and "not
// draining" while the producer outpaces it, then a time to drain once the producer stops; an SQS
// queue with a delivery delay shows its delayed messages, and the run still loses none.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GroupLag, RunFrame } from "../../../lib/run/model";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

describe("lag and depth in live frames", { timeout: 180_000 }, () => {
  it("Kafka: a consumer at ~20/s behind a producer at 60/s shows lag in seconds, not draining, then a time to drain", async (t) => {
    const topic = unique("lag-seconds");
    const run = await testEngine().start(loadScenario(`
version: 1
name: kafka-lag-seconds
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 3 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic}, key: "{{seq}}" }, rate: { perSecond: 60 }, count: 300 } ]
  - name: slow-service
    consumers:
      - { name: slow, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, ack: manual, work: { ms: 50 } }
`), { limitMs: 120_000 });
    const seen: { at: number; group: GroupLag; producing: boolean }[] = [];
    run.events.on("frame", (frame: RunFrame) => {
      const group = frame.lag.find((g) => g.topic === topic);
      const producer = frame.producers["order-service/orders"];
      if (group) seen.push({ at: frame.at, group, producing: (producer?.published ?? 0) < 300 });
    });
    const behind = await waitFor(() => seen.find((s) => s.producing && s.group.total >= 40 && (s.group.seconds ?? 0) >= 1 && s.group.drainSeconds === null), { timeoutMs: 30_000, description: "a frame with lag ≥ 40, ≥ 1 s old, not draining, while producing" });
    t.diagnostic(`LAG while producing: ${JSON.stringify(behind.group)}`);
    assert.ok(behind.group.produceRate! > behind.group.consumeRate!, `produce ${behind.group.produceRate}/s > consume ${behind.group.consumeRate}/s`);
    // Every lagging partition has its own age, and the group's is the oldest of them.
    const lagging = behind.group.partitions.filter((p) => p.lag > 0);
    assert.ok(lagging.every((p) => p.seconds !== undefined), JSON.stringify(behind.group.partitions));
    assert.equal(behind.group.seconds, Math.max(...lagging.map((p) => p.seconds!)));
    const draining = await waitFor(() => seen.find((s) => !s.producing && s.group.total > 0 && s.group.produceRate === 0 && typeof s.group.drainSeconds === "number" && s.group.drainSeconds > 0), { timeoutMs: 60_000, description: "a frame with a time to drain once the producer stopped (and its rate window passed)" });
    t.diagnostic(`LAG draining: ${JSON.stringify(draining.group)}`);
    // The time to drain agrees with the lag and the consume rate (no producer any more).
    assert.ok(Math.abs(draining.group.drainSeconds! - draining.group.total / draining.group.consumeRate!) <= 0.2 + draining.group.drainSeconds! * 0.05, JSON.stringify(draining.group));
    // The oldest waiting record got older than the run has been producing for at most: a real age, not a guess.
    const maxAge = Math.max(...seen.map((s) => s.group.seconds ?? 0));
    const report = await run.done();
    assert.ok(maxAge <= report.durationMs / 1000 + 2, `max age ${maxAge} s within the run's ${report.durationMs} ms`);
    assert.equal(report.ledger.lost, 0);
    const end = report.lag.find((g) => g.topic === topic);
    assert.equal(end?.total, 0);
    assert.equal(end?.seconds, 0);
  });

  it("SQS: a queue with a 3 s delivery delay shows delayed messages, then delivers them all", async (t) => {
    const queue = unique("delayed");
    const run = await testEngine().start(loadScenario(`
version: 1
name: sqs-delayed
brokers: { aws: { kind: aws } }
resources: { aws: { queues: [ { name: ${queue}, delay: 3s } ] } }
services:
  - name: sender
    producers: [ { name: jobs, broker: aws, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 20 } ]
  - name: worker
    consumers: [ { name: work, broker: aws, from: { queue: ${queue}, waitSeconds: 1 }, ack: manual } ]
`), { limitMs: 60_000 });
    let delayedPeak = 0;
    run.events.on("frame", (frame: RunFrame) => {
      const depth = frame.queues.find((q) => q.name === queue);
      delayedPeak = Math.max(delayedPeak, depth?.delayed ?? 0);
    });
    await waitFor(() => delayedPeak > 0, { timeoutMs: 20_000, description: "a frame with delayed > 0" });
    const report = await run.done();
    t.diagnostic(`SQS delayed peak ${delayedPeak}, ledger ${JSON.stringify(report.ledger)}`);
    assert.equal(report.status, "finished");
    assert.equal(report.ledger.confirmed, 20);
    assert.equal(report.ledger.consumed, 20);
    assert.equal(report.ledger.lost, 0);
    assert.equal(report.queues.find((q) => q.name === queue)?.delayed, 0);
  });
});

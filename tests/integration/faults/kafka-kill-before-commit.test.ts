// A Kafka consumer killed after processing records whose offsets it had not committed yet
// (kafkajs auto-commit commits once per fetched batch, and a burst arrives as one big batch): the
// group hands the partition to the restarted member, which starts at the last committed offset.
// Those records are processed twice: the ledger counts the duplicates and loses nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

describe("Kafka consumer killed before its commit", { timeout: 180_000 }, () => {
  it("records processed but not committed come again: duplicates counted, nothing lost", async () => {
    const topic = unique("faults-kafka-kill");
    const started = await testEngine().start(loadScenario(`
version: 1
name: kafka-kill-before-commit
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 1 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic} }, rate: { burst: 300 }, acks: all } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, ack: auto, work: { ms: 30 } } ]
faults:
  - { at: 3s, kill: inventory-service }
  - { at: 4s, start: inventory-service }
`), { limitMs: 120_000 });
    const report = await started.done();
    printLedger("kafka consumer SIGKILL before commit (auto-commit per batch)", report, { lagAtEnd: report.lag.reduce((n, g) => n + g.total, 0) });
    assert.equal(report.status, "finished");
    assert.equal(report.ledger.confirmed, 300);
    assert.equal(report.ledger.consumed, 300);
    assert.equal(report.ledger.lost, 0);
    assert.ok(report.ledger.duplicated > 0, `duplicates counted (${report.ledger.duplicated})`);
    // The new process remembers nothing of the old one: only the run's ledger sees these duplicates
    // (an idempotent consumer would need its memory outside the process, e.g. in a database).
    assert.equal(report.consumers["inventory-service/stock"]!.duplicates, 0);
    assert.ok(report.timeline?.some((e) => e.kind === "replica" && e.detail.startsWith("killed")));
    for (const group of report.lag) assert.equal(group.total, 0, "the restarted member caught up and committed");
  });
});

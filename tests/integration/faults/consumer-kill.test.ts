// A consumer SIGKILLed while it holds delivered messages, on RabbitMQ: with manual acks the broker
// redelivers them (nothing lost, the redelivered flag on the CONSUMER span in Jaeger); with auto
// ack the broker had already forgotten them, and the ledger says so; run until drained, such a run
// still ends in seconds (it waited 122 s for its limit), saying meanwhile what it waits for.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunFrame, RunReport } from "../../../lib/run/model";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";
import { printLedger } from "./support";

const scenario = (queue: string, ack: "manual" | "auto") => loadScenario(`
version: 1
name: consumer-kill-${ack}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, durable: true } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 40 }, count: 200 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, ack: ${ack}, prefetch: 20, work: { ms: 40, jitterMs: 5 } } ]
faults:
  - { at: 2s, kill: inventory-service }
  - { at: 4s, start: inventory-service }
`);

async function run(ack: "manual" | "auto") {
  const engine = testEngine();
  const started = await engine.start(scenario(unique("faults-kill"), ack), ack === "auto" ? { durationMs: 14_000 } : { limitMs: 60_000 });
  const report = await started.done();
  return { run: started, report };
}

const killed = (report: RunReport) => report.timeline?.filter((e) => e.kind === "replica" && e.detail.startsWith("killed")) ?? [];

describe("a consumer killed while holding messages (RabbitMQ)", { timeout: 180_000 }, () => {
  it("manual ack: the broker redelivers what the dead process held; nothing is lost; spans say redelivered", async () => {
    const { run: started, report } = await run("manual");
    printLedger("rabbitmq consumer SIGKILL, manual ack", report);
    const stock = report.consumers["inventory-service/stock"]!;
    assert.equal(report.status, "finished");
    assert.equal(killed(report).length, 1, "the timeline shows the kill");
    assert.ok(report.timeline?.some((e) => e.kind === "fault-ended" && e.detail.includes("ended by start")), "start ended the kill fault");
    assert.equal(report.ledger.confirmed, 200);
    assert.equal(report.ledger.lost, 0, `lost: ${JSON.stringify(started.missing().map((id) => started.messages.get(id) ?? id))}`);
    assert.equal(report.ledger.consumed, 200);
    assert.ok(stock.redelivered > 0, `redelivered > 0 (${stock.redelivered})`);

    const redelivered = started.messages.recent(2_000).find((m) => m.events.some((e) => e.kind === "delivered" && e.redelivered) && m.traceId);
    assert.ok(redelivered, "the message log holds a redelivered message");
    const spans = await waitFor(async () => {
      const trace = await fetchTrace(redelivered.traceId!);
      return trace?.some((s) => s.kind === "consumer" && s.tags["brokerlab.redelivered"] === true) ? trace : undefined;
    }, { timeoutMs: 20_000, description: `the redelivered CONSUMER span of ${redelivered.id} in Jaeger` });
    const consumer = spans.find((s) => s.kind === "consumer" && s.tags["brokerlab.redelivered"] === true)!;
    assert.equal(consumer.tags["messaging.rabbitmq.message.redelivered"], true);
    assert.equal(consumer.service, "inventory-service");
  });

  it("auto ack: what the killed process held is gone, and the ledger reports it lost", async () => {
    const { report } = await run("auto");
    printLedger("rabbitmq consumer SIGKILL, auto ack", report);
    assert.equal(killed(report).length, 1);
    assert.equal(report.ledger.confirmed, 200);
    assert.ok(report.ledger.lost > 0, `lost > 0 (${report.ledger.lost}): the broker forgot them on delivery`);
    assert.equal(report.ledger.consumed + report.ledger.lost, 200, "every confirmed message is either consumed or lost");
    assert.equal(report.consumers["inventory-service/stock"]!.redelivered, 0, "auto ack never redelivers");
    assert.equal(report.queues.find((q) => q.name.startsWith("faults-kill"))?.messages ?? 0, 0, "the queue is empty: the loss is not a backlog");
  });

  it("auto ack, run until drained: ends by itself in seconds with lost > 0, says what it waited for, and its last frame matches the report", async () => {
    // Until drained, not for a fixed duration: a run with real loss waited 122 s for its limit.
    const started = await testEngine().start(scenario(unique("faults-kill"), "auto"), { limitMs: 90_000 });
    const frames: RunFrame[] = [];
    started.events.on("frame", (frame) => frames.push(frame));
    const report = await started.done();
    printLedger("rabbitmq auto-ack consumer SIGKILL, run until drained", report, { durationMs: report.durationMs });
    assert.equal(report.status, "finished");
    assert.ok(!report.errors.some((e) => e.startsWith("stopped: no drain")), `ended by itself: ${report.errors.join("; ")}`);
    assert.ok(report.durationMs < 25_000, `ended in seconds (${report.durationMs} ms), not at its limit`);
    assert.equal(report.ledger.confirmed, 200);
    assert.ok(report.ledger.lost > 0, `lost > 0 (${report.ledger.lost})`);
    assert.equal(report.ledger.consumed + report.ledger.lost, 200);
    // Live, the unconsumed ones were pending first; the run said what it waited for.
    assert.ok(frames.some((f) => f.status === "running" && (f.ledger.pending ?? 0) > 0 && f.ledger.lost === 0), "pending while they might still come");
    assert.ok(frames.some((f) => f.waitingFor?.some((w) => /consumed by no one and found nowhere/.test(w))), "said it waited for the unconsumed messages");
    const last = frames.at(-1)!;
    assert.equal(last.status, "finished");
    assert.deepEqual(last.ledger, report.ledger, "the final frame carries the report's ledger");
    const stock = report.consumers["inventory-service/stock"]!;
    assert.equal(last.consumers["inventory-service/stock"]!.received, stock.received);
    assert.equal(last.consumers["inventory-service/stock"]!.acked, stock.acked);
  });
});

// A consumer SIGKILLed while it holds delivered messages, on RabbitMQ: with manual acks the broker
// redelivers them (nothing lost, the redelivered flag on the CONSUMER span in Jaeger); with auto
// ack the broker had already forgotten them, and the ledger says so.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
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
});

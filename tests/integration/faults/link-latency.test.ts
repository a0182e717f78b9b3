// 200 ms of latency on the consumer's link (the TCP proxy between inventory-service and the
// broker): end-to-end latency rises by about that much, nothing is lost, and the consumer's spans
// carry a brokerlab.fault event. For Kafka the proxy covers the advertised broker addresses too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";
import { printLedger, spanEvents } from "./support";

const rabbit = (queue: string, fault: string) => `
version: 1
name: link-latency
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 100 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 50, work: { ms: 5 } } ]
${fault}`;

const kafka = (topic: string, fault: string) => `
version: 1
name: link-latency-kafka
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 1 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic} }, rate: { perSecond: 20 }, count: 100 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, work: { ms: 5 } } ]
${fault}`;

const latencyFault = "faults:\n  - { at: 0s, latency: inventory-service, ms: 200 }\n";

async function run(text: string) {
  const started = await testEngine().start(loadScenario(text), { limitMs: 60_000 });
  const report = await started.done();
  return { started, report };
}

function assertNothingLost(report: RunReport) {
  assert.equal(report.status, "finished");
  assert.equal(report.ledger.confirmed, 100);
  assert.equal(report.ledger.consumed, 100);
  assert.equal(report.ledger.lost, 0);
}

describe("latency on a service↔broker link", { timeout: 300_000 }, () => {
  it("RabbitMQ: +200 ms on the consumer's link raises end-to-end p50 by about 200 ms, loses nothing", async () => {
    const queue = unique("faults-latency");
    const baseline = (await run(rabbit(queue, ""))).report;
    const { started, report } = await run(rabbit(unique("faults-latency"), latencyFault));
    const rise = report.latencyMs.p50 - baseline.latencyMs.p50;
    printLedger("rabbitmq +200 ms on the consumer link", report, { baselineP50Ms: baseline.latencyMs.p50, riseMs: Math.round(rise) });
    assertNothingLost(baseline);
    assertNothingLost(report);
    assert.ok(rise > 150 && rise < 300, `p50 rose by about 200 ms: ${baseline.latencyMs.p50} → ${report.latencyMs.p50}`);
    assert.ok(report.timeline?.some((e) => e.kind === "fault" && e.detail === "latency 200 ms on inventory-service↔rabbit"), "the fault is on the timeline");
    assert.ok(started.linkStats("inventory-service", "rabbit")!.accepted > 0, "the consumer connected through its link's proxy");

    // A message processed a good while after the fault began (the first ones may race its notice).
    const since = report.timeline!.find((e) => e.kind === "fault")!.at;
    const traceId = started.messages.recent(2_000).find((m) => m.traceId && m.events.some((e) => e.kind === "processed" && e.at > since + 1_000))!.traceId!;
    const spans = await waitFor(async () => {
      const found = await spanEvents(traceId);
      return found?.some((s) => s.kind === "consumer") ? found : undefined;
    }, { timeoutMs: 20_000, description: "the sample trace in Jaeger" });
    const consumer = spans.find((s) => s.kind === "consumer")!;
    const fault = consumer.events.find((e) => e.event === "brokerlab.fault");
    assert.ok(fault, `the CONSUMER span has a brokerlab.fault event: ${JSON.stringify(consumer.events)}`);
    assert.equal(fault["brokerlab.fault.action"], "latency");
    assert.equal(spans.find((s) => s.kind === "producer")?.events.some((e) => e.event === "brokerlab.fault"), false, "the producer's link was not touched");
  });

  it("Kafka: the proxy covers bootstrap and advertised brokers; +200 ms shows in end-to-end latency, nothing lost", async () => {
    const baseline = (await run(kafka(unique("faults-latency"), ""))).report;
    const { started, report } = await run(kafka(unique("faults-latency"), latencyFault));
    const rise = report.latencyMs.p50 - baseline.latencyMs.p50;
    printLedger("kafka +200 ms on the consumer link", report, { baselineP50Ms: baseline.latencyMs.p50, riseMs: Math.round(rise) });
    assertNothingLost(baseline);
    assertNothingLost(report);
    // Every record crosses the slow link on its way to the consumer, and a fetch loop pays whole
    // round trips: at least the link's 200 ms, often more (Kafka's own baseline is noisier).
    assert.ok(report.latencyMs.p50 >= 200 && report.latencyMs.p50 > baseline.latencyMs.p50, `p50 rose past the link's latency: ${baseline.latencyMs.p50} → ${report.latencyMs.p50}`);
    assert.ok(!report.errors.some((e) => e.includes("has no fault proxy")), `every broker address went through a proxy: ${report.errors.join("; ")}`);
    assert.ok(started.linkStats("inventory-service", "kafka")!.accepted >= 2, "bootstrap and broker connections both went through the proxies");
  });

  it("without link proxies (BROKERLAB_LINK_PROXIES=off) services reach the broker directly and a link fault is refused with what to do", async () => {
    const engine = createEngine({ ...engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), linkProxies: false });
    const started = await engine.start(loadScenario(rabbit(unique("faults-direct"), "")), { limitMs: 60_000 });
    await assert.rejects(started.applyFault({ action: "latency", service: "inventory-service", ms: 200 }), (error: Error) => {
      assert.match(error.message, /no fault proxy.*BROKERLAB_LINK_PROXIES=off/);
      return true;
    });
    const report = await started.done();
    assertNothingLost(report);
    assert.equal(started.linkStats("inventory-service", "rabbit"), undefined, "no proxy was started");
  });
});

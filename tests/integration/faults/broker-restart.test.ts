// A broker of the local stack stopped and started in the middle of a run, through the stack
// command, by the run's own stopBroker fault. With durable queues, persistent messages and
// publisher confirms (RabbitMQ), or acks=all and idempotence (Kafka), nothing confirmed is lost,
// and the service processes reconnect on their own: no process restarts.
// These tests stop a real broker: see brokerStopSkip. They always start it again in `finally`, and
// skip, saying why, when this checkout's stack did not start the broker (stack:down leaves it alone).
// The Kafka producer (acks=all) retries until the broker answers, however long the restart takes.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { brokerStopSkip, cannotStopBroker, printLedger, stackUp } from "./support";

const republished = (frame: { producers: Record<string, { republished?: number }> }) => Object.values(frame.producers).reduce((n, p) => n + (p.republished ?? 0), 0);

/** The run's faults and connection changes, short enough for an assertion message. */
function timelineText(report: RunReport): string {
  const start = Date.parse(report.startedAt);
  return (report.timeline ?? []).slice(0, 30).map((e) => `${((e.at - start) / 1000).toFixed(1)}s ${e.target}: ${e.detail}`).join("; ");
}

/** The last error lines a service wrote to its logs in the run's directory. */
function serviceErrors(report: RunReport, service: string): string {
  const files = existsSync(report.logsDir) ? readdirSync(report.logsDir).filter((f) => f.startsWith(service) && f.endsWith(".log")) : [];
  const lines = files.flatMap((f) => readFileSync(path.join(report.logsDir, f), "utf8").split("\n")).filter((l) => /error|fail/i.test(l));
  return lines.slice(-5).join(" | ") || `none in ${files.length} log files`;
}

function assertRecoveredOnTheirOwn(report: RunReport, broker: string) {
  const services = ["order-service", "inventory-service"];
  for (const service of services) {
    const link = `${service}[0]↔${broker}`;
    const states = report.timeline!.filter((e) => e.kind === "connection" && e.target === link).map((e) => e.detail.split(":")[0]);
    const down = states.indexOf("reconnecting");
    assert.ok(down >= 0, `${link} went reconnecting: ${states.join(" → ")}`);
    assert.ok(states.indexOf("connected", down) > down, `${link} came back connected by itself: ${states.join(" → ")}`);
    assert.equal(report.services[service]![0]!.restarts, 0, `${service} was never restarted`);
  }
  assert.ok(!report.timeline!.some((e) => e.kind === "replica" && /crashed|killed/.test(e.detail)), "no process crashed");
  assert.ok(report.timeline!.some((e) => e.kind === "broker" && e.detail.startsWith("stopped")), "the broker was stopped");
  assert.ok(report.timeline!.some((e) => e.kind === "broker" && e.detail.startsWith("up and healthy")), "and started again");
}

describe("a broker stopped and started mid-run", { timeout: 600_000, skip: brokerStopSkip }, () => {
  after(async () => {
    // Whatever happened, the stack is left up.
    await stackUp("rabbitmq");
    await stackUp("kafka");
  });

  it("RabbitMQ (durable queue, persistent, confirms): nothing lost, clients reconnect by themselves", async (t) => {
    const unable = await cannotStopBroker("rabbitmq");
    if (unable) return t.skip(unable);
    const queue = unique("faults-rabbit-restart");
    try {
      const started = await testEngine().start(loadScenario(`
version: 1
name: rabbitmq-restart
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, durable: true } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 50 }, count: 500, persistent: true, confirm: true } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, ack: manual, prefetch: 20, work: { ms: 5 } } ]
faults:
  - { at: 3s, stopBroker: rabbit, for: 3s }
`), { limitMs: 180_000 });
      const report = await started.done();
      printLedger("rabbitmq stopped and started mid-run", report, { republished: republished(started.latestFrame()) });
      assert.equal(report.status, "finished");
      assert.equal(report.ledger.confirmed, 500);
      assert.equal(report.ledger.consumed, 500);
      assert.equal(report.ledger.lost, 0);
      assertRecoveredOnTheirOwn(report, "rabbit");
    } finally {
      await stackUp("rabbitmq");
    }
  });

  it("Kafka (acks=all, idempotent): nothing lost, clients reconnect by themselves", async (t) => {
    const unable = await cannotStopBroker("kafka");
    if (unable) return t.skip(unable);
    const topic = unique("faults-kafka-restart");
    try {
      const started = await testEngine().start(loadScenario(`
version: 1
name: kafka-restart
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 2 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic}, key: "{{seq}}" }, rate: { perSecond: 50 }, count: 500, acks: all, idempotent: true } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, ack: manual, work: { ms: 5 } } ]
faults:
  - { at: 3s, stopBroker: kafka, for: 3s }
`), { limitMs: 240_000 });
      const report = await started.done();
      printLedger("kafka stopped and started mid-run", report, { republished: republished(started.latestFrame()) });
      assert.equal(report.status, "finished");
      assert.equal(report.ledger.confirmed, 500, `confirmed; the run's errors: ${report.errors.slice(0, 5).join(" | ") || "none"}; order-service: ${serviceErrors(report, "order-service")}; timeline: ${timelineText(report)}`);
      assert.equal(report.ledger.consumed, 500);
      assert.equal(report.ledger.lost, 0);
      assertRecoveredOnTheirOwn(report, "kafka");
    } finally {
      await stackUp("kafka");
    }
  });
});

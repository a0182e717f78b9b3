// Google Cloud Pub/Sub scenarios run headless by the scenario CLI against the local emulator, each
// with topics and subscriptions of its own: fan-out to two subscriptions and two replicas sharing
// one (a fixed duration: the emulator reports no backlog to wait on), in one trace from the
// publisher to both consumers; work longer than the ack deadline
// redelivered and counted duplicated; dead-lettering after maxDeliveryAttempts. Skipped only when
// the emulator is not installed on this machine (the reason says how to install it).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { installedEmulatorVersion, installHint } from "../../../server/brokers/pubsub/probe";
import { repoRoot } from "../../support/engine";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

const skip = installedEmulatorVersion() || process.env.PUBSUB_EMULATOR_HOST ? false : `the Pub/Sub emulator is not installed: ${installHint}`;

/** `args`: e.g. a fixed --duration, for fan-out: the emulator reports no backlog, so the drain check cannot see a subscription that still holds messages. */
function run(scenario: string, args: string[] = []): RunReport {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "brokerlab-pubsub-")), "scenario.yaml");
  writeFileSync(file, scenario);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/cli/scenario.ts"), "run", file, "--json", ...args], { cwd: repoRoot, env: process.env, encoding: "utf8", timeout: 180_000 });
  assert.equal(result.status, 0, `the run exits 0:\n${result.stderr.slice(-3_000)}`);
  return JSON.parse(result.stdout) as RunReport;
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe("Google Cloud Pub/Sub scenarios", { skip, timeout: 300_000 }, () => {
  it("fan-out: both subscriptions get all 60 orders (streaming pull and pull); two pull replicas share one subscription; lost 0; one trace from publisher to both consumers", async (t) => {
    const id = unique();
    const report = run(`
version: 1
name: pubsub-fanout-${id}
brokers: { gcp: { kind: pubsub } }
resources:
  gcp:
    topics: [{ name: orders-${id} }]
    subscriptions:
      - { name: billing-${id}, topic: orders-${id}, ackDeadline: 30s }
      - { name: shipping-${id}, topic: orders-${id}, ackDeadline: 30s }
services:
  - name: order-service
    producers:
      - { name: orders, broker: gcp, to: { pubsubTopic: orders-${id} }, rate: { perSecond: 30 }, count: 60, payload: { orderId: "{{seq}}" } }
  - name: billing-service
    consumers:
      - { name: charge, broker: gcp, from: { subscription: billing-${id} }, concurrency: 5, work: { ms: 20 } }
  - name: shipping-service
    replicas: 2
    consumers:
      - { name: ship, broker: gcp, from: { subscription: shipping-${id}, mode: pull }, concurrency: 2, work: { ms: 100 } }
`, ["--duration", "12"]);
    t.diagnostic(`run ${report.durationMs} ms; shipping replicas ${JSON.stringify(report.consumers["shipping-service/ship"]?.replicas)}`);
    assert.equal(report.status, "finished");
    assert.deepEqual(report.producers["order-service/orders"], { published: 60, confirmed: 60, failed: 0, returned: 0 });
    for (const key of ["billing-service/charge", "shipping-service/ship"]) {
      assert.equal(report.consumers[key]?.received, 60, `${key} received every order once`);
      assert.equal(report.consumers[key]?.duplicates, 0);
    }
    const replicas = report.consumers["shipping-service/ship"]!.replicas;
    assert.equal(replicas.length, 2);
    assert.ok(replicas.every((r) => r.received > 0), `both replicas of the shared subscription got orders: ${JSON.stringify(replicas)}`);
    assert.equal(replicas.reduce((sum, r) => sum + r.received, 0), 60, "the replicas split the orders between them, none twice");
    assert.deepEqual(report.ledger, { confirmed: 60, consumed: 60, lost: 0, duplicated: 0, recovered: 0 });
    assert.equal(report.errors.length, 0, JSON.stringify(report.errors));

    const traceId = report.traces.sample[0];
    assert.ok(traceId, "the report names sample traces");
    const spans = await waitFor(async () => {
      const trace = await fetchTrace(traceId);
      const has = (service: string, kind: string) => trace?.some((s) => s.service === service && s.kind === kind);
      return has("order-service", "producer") && has("billing-service", "consumer") && has("shipping-service", "consumer") ? trace : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, description: `trace ${traceId} with the publisher and both subscriptions' consumers` });
    const producer = spans.find((s) => s.service === "order-service" && s.kind === "producer" && s.tags["messaging.system"] === "gcp_pubsub");
    assert.ok(producer, "Brokerlab's PRODUCER span names the messaging system gcp_pubsub");
    for (const service of ["billing-service", "shipping-service"]) {
      const consumer = spans.find((s) => s.service === service && s.kind === "consumer" && s.operation.startsWith("process "));
      assert.ok(consumer, `${service} has a CONSUMER span process <subscription> in the producer's trace`);
    }
  });

  it("ack deadline: work longer than the 10 s deadline, without extension, gets each message delivered again, counted duplicated", () => {
    const id = unique();
    const report = run(`
version: 1
name: pubsub-deadline-${id}
brokers: { gcp: { kind: pubsub } }
resources:
  gcp:
    topics: [{ name: jobs-${id} }]
    subscriptions: [{ name: slow-${id}, topic: jobs-${id}, ackDeadline: 10s }]
services:
  - name: producer
    producers:
      - { name: jobs, broker: gcp, to: { pubsubTopic: jobs-${id} }, rate: { burst: 2 }, count: 2, payload: { job: "{{seq}}" } }
  - name: worker
    consumers:
      - { name: work, broker: gcp, from: { subscription: slow-${id}, mode: pull, extendDeadline: false }, concurrency: 4, work: { ms: 13000 } }
`, ["--duration", "30"]); // Every delivery outlasts the deadline, so the redeliveries go on until the run ends.
    assert.equal(report.status, "finished");
    const work = report.consumers["worker/work"]!;
    assert.ok(work.received > 2, `the 2 jobs came back after the deadline lapsed: received ${work.received}`);
    assert.ok(work.duplicates > 0, "a redelivery after the ack deadline is a duplicate delivery");
    assert.equal(report.ledger.lost, 0);
    assert.ok(report.ledger.duplicated > 0, `the ledger counts them duplicated: ${JSON.stringify(report.ledger)}`);
  });

  it("dead letter: a message that always fails goes to the dead-letter topic after 5 delivery attempts, read there; lost 0", () => {
    const id = unique();
    const report = run(`
version: 1
name: pubsub-dlq-${id}
brokers: { gcp: { kind: pubsub } }
resources:
  gcp:
    topics: [{ name: payments-${id} }, { name: payments-dlq-${id} }]
    subscriptions:
      - { name: pay-${id}, topic: payments-${id}, deadLetter: { topic: payments-dlq-${id}, maxDeliveryAttempts: 5 } }
      - { name: parked-${id}, topic: payments-dlq-${id} }
services:
  - name: shop
    producers:
      - { name: payments, broker: gcp, to: { pubsubTopic: payments-${id} }, rate: { burst: 3 }, count: 3, payload: { paymentId: "{{seq}}" } }
  - name: payments
    consumers:
      - { name: pay, broker: gcp, from: { subscription: pay-${id}, mode: pull }, failures: { errorRate: 1 }, onError: { retries: 0, then: dead-letter } }
  - name: audit
    consumers:
      - { name: parked, broker: gcp, from: { subscription: parked-${id}, mode: pull } }
`);
    assert.equal(report.status, "finished");
    const pay = report.consumers["payments/pay"]!;
    assert.equal(pay.received, 15, "each of the 3 payments was delivered 5 times");
    assert.equal(pay.deadLettered, 3);
    assert.equal(report.consumers["audit/parked"]?.received, 3, "the dead-letter topic's subscription got the 3 payments");
    assert.equal(report.ledger.lost, 0);
  });
});

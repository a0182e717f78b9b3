// The Amazon examples, run headless by the scenario CLI against the local emulator (their topics,
// queues and buses renamed per run): the SNS → SQS fan-out delivers every order to both
// subscribers with lost 0, raw or enveloped, in one trace from the SNS publisher to both SQS
// consumers; the EventBridge rule routes only the events it matches; redrive keeps the ledger exact.
// And a run through the link proxies: latency, cuts of both links and a consumer kill lose nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { repoRoot } from "../../support/engine";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

/** The example with its topic and queues renamed, so the run creates (and removes) its own. */
function renamedExample(name: string, resources: string[], edit: (text: string) => string = (text) => text): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  let text = readFileSync(path.join(repoRoot, "examples", `${name}.yaml`), "utf8");
  for (const resource of resources) text = text.replace(new RegExp(`\\b${resource}\\b(?![-.])`, "g"), `${resource}-${suffix}`);
  return scenarioFile(edit(text));
}

function scenarioFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "brokerlab-aws-")), "scenario.yaml");
  writeFileSync(file, text);
  return file;
}

function runCli(file: string): RunReport {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/cli/scenario.ts"), "run", file, "--json"], {
    cwd: repoRoot, env: process.env, encoding: "utf8", timeout: 180_000,
  });
  assert.equal(run.status, 0, `the run exits 0:\n${run.stderr.slice(-3_000)}`);
  return JSON.parse(run.stdout) as RunReport;
}

describe("the Amazon examples run headless", { timeout: 300_000 }, () => {
  for (const raw of [true, false]) {
    it(`sns-fanout${raw ? "" : " with the shipping subscription enveloped (raw: false)"}: every order reaches both SQS subscribers, lost 0, one trace from the SNS publisher to both consumers`, async () => {
      const enveloped = (text: string) => {
        if (raw) return text;
        const edited = text.replace(/(queue: shipping-\w+), raw: true/, "$1, raw: false");
        assert.notEqual(edited, text, "the shipping subscription is switched to enveloped delivery");
        return edited;
      };
      const report = runCli(renamedExample("sns-fanout", ["order-events", "billing", "shipping"], enveloped));
      assert.equal(report.status, "finished");
      assert.deepEqual(report.producers["order-service/orders"], { published: 100, confirmed: 100, failed: 0, returned: 0 });
      for (const key of ["billing-service/charge", "shipping-service/ship"]) {
        const counters = report.consumers[key];
        assert.ok(counters, `the report has ${key}`);
        assert.equal(counters.received, 100, `${key} received every order`);
        assert.equal(counters.acked, 100);
        assert.equal(counters.duplicates, 0);
      }
      assert.deepEqual(report.ledger, { confirmed: 100, consumed: 100, lost: 0, duplicated: 0, recovered: 0 });
      assert.equal(report.errors.length, 0, JSON.stringify(report.errors));
      await assertFanOutTrace(report);
    });
  }

  it("eventbridge-routing: the rule routes the 60 orders to billing; the 60 views match no rule and are returned, not lost", () => {
    const bus = `shop-${Date.now().toString(36)}`;
    const renameBus = (text: string) => text.replace("{ name: shop }", `{ name: ${bus} }`).replace(/bus: shop\b/g, `bus: ${bus}`);
    const report = runCli(renamedExample("eventbridge-routing", ["billing", "route-orders"], renameBus));
    assert.equal(report.status, "finished");
    assert.deepEqual(report.producers["shop/orders"], { published: 60, confirmed: 60, failed: 0, returned: 0 });
    assert.deepEqual(report.producers["shop/views"], { published: 60, confirmed: 0, failed: 0, returned: 60 });
    assert.equal(report.consumers["billing-service/charge"]?.received, 60);
    assert.deepEqual(report.ledger, { confirmed: 60, consumed: 60, lost: 0, duplicated: 0, recovered: 0 });
  });

  it("sqs-work-queue-dlq: failures come back after the visibility timeout; every job is processed or dead-lettered, lost 0", () => {
    const report = runCli(renamedExample("sqs-work-queue-dlq", ["thumbnails"]));
    assert.equal(report.status, "finished");
    const resize = report.consumers["image-service/resize"]!;
    assert.ok(resize.failed > 0, "the error rate made some jobs fail");
    assert.ok(resize.redelivered > 0, "failed jobs came back after the visibility timeout");
    // At least once: a job may be processed twice (a lapsed visibility), never skipped.
    assert.ok(resize.acked + resize.deadLettered >= 100, `every job processed or redriven (${resize.acked} + ${resize.deadLettered})`);
    assert.equal(report.ledger.confirmed, 100);
    assert.equal(report.ledger.lost, 0, `lost 0 (${JSON.stringify(report.ledger)}; errors: ${JSON.stringify(report.errors)})`);
  });

  it("link faults on the emulator's HTTP link: latency, a cut of each link and a consumer kill lose nothing", () => {
    const queue = `link-${Date.now().toString(36)}`;
    const report = runCli(scenarioFile(`
version: 1
name: aws-link-faults
brokers: { aws: { kind: aws } }
resources: { aws: { queues: [ { name: ${queue}, visibilityTimeout: 2s } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: aws, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 160, payload: { orderId: "{{seq}}" } } ]
  - name: billing-service
    consumers: [ { name: charge, broker: aws, from: { queue: ${queue} }, concurrency: 4, work: { ms: 5 } } ]
faults:
  - { at: 1s, latency: billing-service, ms: 200, forMs: 1500 }
  - { at: 3s, cut: order-service, forMs: 2000 }
  - { at: 5500ms, cut: billing-service, forMs: 2000 }
  - { at: 8s, kill: billing-service }
  - { at: 9s, start: billing-service }
`));
    assert.equal(report.status, "finished");
    const reconnects = (report.timeline ?? []).filter((e) => e.kind === "connection" && /^reconnecting/.test(e.detail));
    assert.ok(reconnects.length >= 2, `both cuts were felt: ${JSON.stringify(reconnects)}`);
    assert.deepEqual(report.producers["order-service/orders"], { published: 160, confirmed: 160, failed: 0, returned: 0 });
    assert.equal(report.ledger.lost, 0, "every confirmed message was consumed");
    assert.equal(report.ledger.consumed, 160);
  });
});

/** One trace from the SNS PRODUCER span to both SQS CONSUMER spans, each its child. */
async function assertFanOutTrace(report: RunReport): Promise<void> {
  const traceId = report.traces.sample[0];
  assert.ok(traceId, "the report names sample traces");
  const spans = await waitFor(async () => {
    const trace = await fetchTrace(traceId);
    const has = (service: string, kind: string) => trace?.some((s) => s.service === service && s.kind === kind);
    return has("order-service", "producer") && has("billing-service", "consumer") && has("shipping-service", "consumer") ? trace : undefined;
  }, { timeoutMs: 30_000, intervalMs: 500, description: `trace ${traceId} with the publisher and both consumers` });
  const producer = spans.find((s) => s.service === "order-service" && s.kind === "producer")!;
  assert.equal(producer.tags["messaging.system"], "aws.sns");
  assert.equal(producer.tags["messaging.operation.type"], "send");
  for (const service of ["billing-service", "shipping-service"]) {
    const consumer = spans.find((s) => s.service === service && s.kind === "consumer")!;
    assert.equal(consumer.tags["messaging.system"], "aws_sqs");
    assert.ok(consumer.references.some((r) => r.refType === "CHILD_OF" && r.spanID === producer.spanId), `${service}'s CONSUMER span is a child of the SNS PRODUCER span`);
  }
}

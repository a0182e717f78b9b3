// The SNS → SQS fan-out example, run headless by the scenario CLI against the local emulator:
// every order reaches both subscribers with lost 0, and one trace in Jaeger goes from the SNS
// publisher's PRODUCER span to both SQS consumers' CONSUMER spans.
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
function renamedExample(name: string, resources: string[]): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  let text = readFileSync(path.join(repoRoot, "examples", `${name}.yaml`), "utf8");
  for (const resource of resources) text = text.replace(new RegExp(`\\b${resource}\\b(?![-.])`, "g"), `${resource}-${suffix}`);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "brokerlab-aws-")), `${name}.yaml`);
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
  it("sns-fanout: every order reaches both SQS subscribers, lost 0, one trace from the SNS publisher to both consumers", async () => {
    const report = runCli(renamedExample("sns-fanout", ["order-events", "billing", "shipping"]));
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
  });
});

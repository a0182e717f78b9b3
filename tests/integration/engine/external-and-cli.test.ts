// Messages from programs outside Brokerlab (an HTTP publish to RabbitMQ, a boto3 send to SQS) are
// consumed and counted; the headless runner keeps its contract (report shape, exit codes 0 / 2 / 3).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import { loadConfig } from "../../../server/config";
import { boto3Missing, sendWithBoto3 } from "../../support/boto3";
import { waitFor } from "../../support/wait-for";
import { loadScenario, repoRoot, testEngine, unique } from "../../support/engine";

const config = loadConfig();

/** Publishes through RabbitMQ's management HTTP API, like a program that knows nothing of Brokerlab. */
async function publishFromOutside(queue: string, body: string) {
  const url = new URL(config.RABBITMQ_MANAGEMENT_URL);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
  const response = await fetch(`${url.origin}/api/exchanges/%2F/amq.default/publish`, {
    method: "POST",
    headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
    body: JSON.stringify({ properties: {}, routing_key: queue, payload: body, payload_encoding: "string" }),
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { routed: true });
}

/** What the programs outside Brokerlab send: three JSON orders without an id, then plain text. */
const outsideBodies = [...[1, 2, 3].map((orderId) => JSON.stringify({ orderId, from: "legacy-shop" })), "plain text, not even JSON"];

/** Runs the scenario (one consumer, inventory-service/update-stock), sends from outside, and returns the report once all four are acked. */
async function consumeFromOutside(scenario: Scenario, timeoutMs: number, send: () => Promise<void>): Promise<RunReport> {
  const run = await testEngine().start(scenario, { durationMs: 60_000 });
  try {
    await send();
    await waitFor(() => (run.frame().consumers["inventory-service/update-stock"]?.acked ?? 0) >= 4, { timeoutMs, description: "4 external messages acked" });
  } finally {
    await run.stop();
  }
  return run.done();
}

function assertOutsideMessagesCounted(report: RunReport): void {
  const stock = report.consumers["inventory-service/update-stock"]!;
  assert.equal(stock.received, 4);
  assert.equal(stock.acked, 4);
  assert.equal(stock.failed, 0);
  assert.equal(report.services["inventory-service"]![0]!.state, "stopped");
  assert.deepEqual(report.ledger, { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 });
}

const runner = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/cli/scenario.ts"), ...args], {
    cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 180_000,
  });

describe("the engine and the outside world", { timeout: 300_000 }, () => {
  it("consumes a message published by another program (no id, no trace headers) without error and counts it", async () => {
    const queue = unique("external-orders");
    const scenario = loadScenario(`
version: 1
name: external-input
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} }, ack: manual } ]
`);
    const report = await consumeFromOutside(scenario, 15_000, async () => {
      for (const body of outsideBodies) await publishFromOutside(queue, body);
    });
    assertOutsideMessagesCounted(report);
  });

  it("consumes messages a boto3 program sends to the scenario's SQS queue (no Brokerlab or trace attributes) and counts them", { skip: boto3Missing() }, async () => {
    const queue = unique("external-orders");
    const scenario = loadScenario(`
version: 1
name: external-input-sqs
brokers: { aws: { kind: aws } }
resources: { aws: { queues: [ { name: ${queue} } ] } }
services:
  - name: inventory-service
    consumers: [ { name: update-stock, broker: aws, from: { queue: ${queue}, waitSeconds: 1 } } ]
`);
    const report = await consumeFromOutside(scenario, 20_000, async () => {
      const sent = await sendWithBoto3({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION }, queue, outsideBodies);
      assert.equal(sent.length, 4, "SQS answered every send with a MessageId");
    });
    assertOutsideMessagesCounted(report);
    assert.equal(report.consumers["inventory-service/update-stock"]!.duplicates, 0);
  });

  it("run --json prints exactly one JSON report with the contract's fields", () => {
    const result = runner(["run", "examples/order-inventory.yaml", "--json"]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    for (const field of ["runId", "durationMs", "producers", "consumers", "ledger", "latencyMs", "traces"]) assert.ok(field in report, `report has ${field}`);
    assert.equal(report.ledger.lost, 0);
    assert.equal(report.producers["order-service/new-orders"].published, 200);
    assert.match(report.traces.searchUrl, /\/search\?service=order-service&tags=/);
    assert.match(report.traces.sample[0], /^[0-9a-f]{32}$/);
  });

  it("an invalid scenario exits 2 with path-named errors and touches nothing", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "brokerlab-"));
    const file = path.join(dir, "bad.yaml");
    const queue = unique("never-declared");
    writeFileSync(file, `version: 1
name: bad
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: a
    producers: [ { name: p, broker: rabbit, to: { queue: ${queue}x }, rate: { perSecond: -1 } } ]
`);
    const result = runner(["run", file]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /services\[0\]\.producers\[0\]\.rate\.perSecond: must be greater than 0/);
    assert.equal(result.stdout, "");
  });

  it("an unreachable broker exits 3, naming the part that is down and the command that starts it", () => {
    const result = runner(["run", "examples/order-inventory.yaml", "--json"], { RABBITMQ_URL: "amqp://guest:guest@127.0.0.1:5999" });
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr, /RabbitMQ/);
    assert.match(result.stderr, /npm run stack:up/);
    assert.equal(result.stdout, "");
  });
});

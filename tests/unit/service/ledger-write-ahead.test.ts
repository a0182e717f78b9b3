// Write-ahead ledger ids: batched into few IPC messages, and an ack waits until its id is handed over.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LedgerDelta, ServiceLaunch } from "../../../lib/run/ipc";
import { serviceSchema } from "../../../lib/scenario/schema";
import { createServiceMetrics } from "../../../server/service/metrics";

const launch: ServiceLaunch = {
  runId: "r1", scenarioName: "s", replica: 0, replicas: 1, brokers: {}, resources: {}, propagation: "parent",
  service: serviceSchema.parse({ name: "svc", consumers: [{ name: "c", broker: "b", from: { queue: "q" } }] }),
  tracing: { enabled: false, otlpEndpoint: "http://127.0.0.1:4318" }, frameIntervalMs: 100, logSampleEvery: 1, ledgerWriteAhead: true,
};

function harness() {
  const deltas: LedgerDelta[] = [];
  const metrics = createServiceMetrics(launch, async (delta) => { deltas.push(delta); });
  return { deltas, metrics };
}

describe("write-ahead ledger", () => {
  it("sends ids consumed close together in one message, and resolves ledgerWritten after it", async () => {
    const { deltas, metrics } = harness();
    for (let i = 1; i <= 30; i++) metrics.consumed("c", `p/x/${i}`);
    const written = metrics.ledgerWritten();
    assert.equal(deltas.length, 0, "nothing is written synchronously below a full batch");
    await written;
    assert.equal(deltas.length, 1);
    assert.equal(deltas[0]!.consumedIds.c!.length, 30);
  });

  it("sends a full batch at once, without waiting for the timer", () => {
    const { deltas, metrics } = harness();
    for (let i = 1; i <= 500; i++) metrics.consumed("c", `p/x/${i}`);
    assert.equal(deltas.length, 1);
    assert.equal(deltas[0]!.consumedIds.c!.length, 500);
  });

  it("loses no id across batches", async () => {
    const { deltas, metrics } = harness();
    for (let i = 1; i <= 1_234; i++) {
      if (i % 2) metrics.consumed("c", `p/x/${i}`);
      else metrics.confirmed(`p/y/${i}`);
    }
    await metrics.ledgerWritten();
    const consumed = deltas.flatMap((d) => d.consumedIds.c ?? []);
    const confirmed = deltas.flatMap((d) => d.confirmedIds);
    assert.equal(consumed.length + confirmed.length, 1_234);
    assert.equal(new Set(consumed).size, 617);
    assert.ok(deltas.length <= 4, `${deltas.length} messages for 1,234 ids`);
  });
});

// `npm run scenario -- diff RUN_A RUN_B` over a real run store file: what differs between a clean
// run and one with a kill, and exit 2 naming an unknown run id.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { openRunStore, runStoreFile } from "../../../server/runs/store";

const root = join(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "brokerlab-diff-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const startedAt = "2026-12-01T10:00:00.000Z";
const start = Date.parse(startedAt);
const latency = { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
const consumer = (received: number, redelivered: number) => ({
  received, acked: received, nacked: 0, requeued: 0, redelivered, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0,
  latencyMs: { endToEnd: latency, queueWait: latency, processing: latency }, replicas: [],
});
const report = (runId: string, lost: number, redelivered: number, kill: boolean): RunReport => ({
  runId, scenario: "crash-redelivery", status: "finished", startedAt, durationMs: 10_000,
  producers: { "shop/orders": { published: 100, confirmed: 100, failed: 0, returned: 0 } },
  consumers: { "worker/process": consumer(100 - lost + redelivered, redelivered) },
  ledger: { confirmed: 100, consumed: 100 - lost, lost, duplicated: 0, recovered: 0 },
  latencyMs: { p50: 12, p90: 30, p99: kill ? 900 : 45, max: kill ? 1200 : 60 },
  queues: [], lag: [], services: {}, traces: { sample: [], searchUrl: "", droppedSpans: 0 }, errors: [], logsDir: "",
  timeline: kill ? [{ at: start + 3000, kind: "fault", target: "worker[0]", detail: "killed (SIGKILL)" }] : [],
});

const store = openRunStore(runStoreFile(dataDir), { maxBytes: 64 * 1024 * 1024 });
for (const [id, lost, redelivered, kill] of [["run-clean", 0, 0, false], ["run-killed", 0, 7, true]] as const) {
  store.begin({ runId: id, scenario: "crash-redelivery", origin: "headless", brokers: ["rabbitmq"], startedAt, scenarioText: "name: crash-redelivery\n" });
  store.finish(report(id, lost, redelivered, kill));
}
store.close();

const diff = (...ids: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(root, "server/cli/scenario.ts"), "diff", ...ids], {
  encoding: "utf8", timeout: 60_000, env: { ...process.env, BROKERLAB_DATA_DIR: dataDir },
});

describe("scenario diff", () => {
  it("prints the percentiles, counters and faults that differ, and only those", () => {
    const result = diff("run-clean", "run-killed");
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.match(lines[0]!, /^A: run-clean/);
    assert.ok(lines.some((l) => /^latency ms: p99\s+45\s+900$/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^consumer: worker\/process redelivered\s+0\s+7$/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^faults: #1\s+-\s+\+3\.0 s worker\[0\]: killed \(SIGKILL\)$/.test(l)), result.stdout);
    assert.ok(!result.stdout.includes("ledger: lost"), "an equal figure was printed as a difference");
  });

  it("says so when two runs do not differ", () => {
    const result = diff("run-clean", "run-clean");
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no differences/);
  });

  it("exits 2 naming an unknown run id", () => {
    const result = diff("run-clean", "run-nope");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no run "run-nope" in the run history/);
    assert.equal(result.stdout, "");
    assert.equal(diff("run-clean").status, 2);
  });
});

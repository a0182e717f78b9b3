// The comparison table of lesson 34: each row from the learner's latest finished run of its step,
// measured from that run's report; a step not run yet keeps only the broker's properties.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import { latestRunPerStep, measuredRow } from "../../../lib/lessons/measured-table";
import { lessonSchema } from "../../../lib/lessons/schema";
import type { RunReport } from "../../../lib/run/model";
import type { StoredRunSummary } from "../../../lib/runs/history";

const summary = (runId: string, stepId: string, startedAt: string, status: StoredRunSummary["status"] = "finished"): StoredRunSummary => ({
  runId, stepId, startedAt, status, scenario: "s", origin: "lesson", lessonId: "l", brokers: [], pinned: false, outcomes: [], frames: 0, bytes: 0,
});
const row = { step: "kafka", broker: "Kafka", replay: "Yes", order: "per partition" };
const consumer = (redelivered: number) => ({ received: 0, acked: 0, nacked: 0, requeued: 0, redelivered, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, latencyMs: {} as never, replicas: [] });

describe("the measured comparison table", () => {
  it("takes each step's latest finished run, ignoring failed runs and other steps", () => {
    const latest = latestRunPerStep([
      summary("old", "kafka", "2026-01-01T10:00:00Z"),
      summary("new", "kafka", "2026-01-01T11:00:00Z"),
      summary("broken", "kafka", "2026-01-01T12:00:00Z", "failed"),
      summary("other", "elsewhere", "2026-01-01T12:00:00Z"),
    ], ["kafka", "pubsub"]);
    assert.deepEqual([...latest].map(([step, run]) => [step, run.runId]), [["kafka", "new"]]);
  });

  it("measures throughput over the run, latency, the crash's cost and redeliveries from the report", () => {
    const report = { durationMs: 12_500, latencyMs: { p50: 4, p90: 9, p99: 31.5, max: 40 }, ledger: { confirmed: 200, consumed: 200, lost: 0, duplicated: 7, recovered: 0 }, consumers: { "f/o": consumer(9), "g/o": consumer(1) } } as unknown as RunReport;
    assert.deepEqual(measuredRow(row, { runId: "r1", report }), { ...row, runId: "r1", throughput: 16, p50: 4, p99: 31.5, consumed: 200, confirmed: 200, lost: 0, duplicated: 7, redelivered: 10 });
    assert.deepEqual(measuredRow(row, undefined), row);
  });

  it("is declared in lesson 34 with one row per broker step, and a row naming a missing step is refused", () => {
    const lesson = lessons.find((l) => l.number === 34)!;
    assert.deepEqual(lesson.comparison?.map((r) => r.step), lesson.steps.map((s) => s.id));
    const parsed = lessonSchema.safeParse({ ...lesson, comparison: [...lesson.comparison!, { ...row, step: "nats" }] });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /no step \\"nats\\" in this lesson/);
  });
});

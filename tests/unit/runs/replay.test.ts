// Replay and comparison logic: the frame for a scrubbed moment, the events seen up to it, the
// timeline carried over, fault marks, playback, alignment on a fault, overlaid series and diffs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunFrame, RunReport, TimelineEntry } from "../../../lib/run/model";
import { advance, alignmentOffset, eventsUntil, faultMarks, frameIndexAt, frameWithTimeline, ledgerDiff, overlay, percentileDiff, runStartAt } from "../../../lib/runs/replay";

const frame = (elapsedMs: number, change: Partial<RunFrame> = {}): RunFrame => ({
  runId: "r", at: 10_000 + elapsedMs, status: "running", elapsedMs, producers: {}, consumers: {}, services: {}, queues: [], lag: [],
  ledger: { confirmed: elapsedMs / 100, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, droppedSpans: 0,
  tail: [{ id: `m${elapsedMs}`, kind: "published", at: elapsedMs, actor: "p" } as unknown as RunFrame["tail"][number]], ...change,
});
const frames = [0, 100, 200, 300, 1_000].map((t) => frame(t));

describe("frameIndexAt", () => {
  it("answers the last frame at or before the moment", () => {
    assert.equal(frameIndexAt(frames, 0), 0);
    assert.equal(frameIndexAt(frames, 150), 1);
    assert.equal(frameIndexAt(frames, 300), 3);
    assert.equal(frameIndexAt(frames, 999), 3);
    assert.equal(frameIndexAt(frames, 5_000), 4);
  });
  it("answers the first frame before the recording starts and -1 without frames", () => {
    assert.equal(frameIndexAt(frames, -50), 0);
    assert.equal(frameIndexAt([], 10), -1);
  });
});

describe("eventsUntil", () => {
  it("collects the tails up to the frame, newest last, bounded", () => {
    assert.deepEqual(eventsUntil(frames, 2).map((e) => e.id), ["m0", "m100", "m200"]);
    assert.deepEqual(eventsUntil(frames, 4, 2).map((e) => e.id), ["m300", "m1000"]);
  });
});

describe("frameWithTimeline", () => {
  it("carries the last timeline seen onto a frame without one", () => {
    const entry: TimelineEntry = { at: 10_100, kind: "fault", target: "consumer", detail: "killed" };
    const withTimeline = [frame(0), frame(100, { timeline: [entry] }), frame(200)];
    assert.deepEqual(frameWithTimeline(withTimeline, 2)?.timeline, [entry]);
    assert.equal(frameWithTimeline(withTimeline, 0)?.timeline, undefined);
  });
});

describe("faultMarks", () => {
  it("places faults at their elapsed time, clamped to the run, and leaves replica changes out", () => {
    const start = runStartAt(frames);
    assert.equal(start, 10_000);
    const marks = faultMarks([
      { at: 10_500, kind: "fault", target: "consumer", detail: "killed" },
      { at: 10_600, kind: "replica", target: "consumer", detail: "replica 1 up" },
      { at: 99_000, kind: "fault-ended", target: "consumer", detail: "restarted" },
    ], start, 1_000);
    assert.deepEqual(marks, [
      { elapsedMs: 500, kind: "fault", label: "consumer: killed" },
      { elapsedMs: 1_000, kind: "fault-ended", label: "consumer: restarted" },
    ]);
    assert.equal(alignmentOffset(marks, "fault"), 500);
    assert.equal(alignmentOffset(marks, "start"), 0);
    assert.equal(alignmentOffset([], "fault"), 0);
  });
});

describe("advance", () => {
  it("moves at the chosen speed and stops at the end", () => {
    assert.equal(advance(0, 100, 1, 10_000), 100);
    assert.equal(advance(0, 100, 16, 10_000), 1_600);
    assert.equal(advance(9_900, 100, 4, 10_000), 10_000);
  });
});

describe("overlay", () => {
  it("puts both runs on one axis with gaps where a run has no point", () => {
    assert.deepEqual(overlay({ x: [0, 1], y: [5, 6] }, { x: [0.5, 1], y: [7, 8] }), { x: [0, 0.5, 1], a: [5, null, 6], b: [null, 7, 8] });
  });
});

describe("ledgerDiff and percentileDiff", () => {
  it("answers B − A per row, and nothing where a side is unknown", () => {
    const rows = ledgerDiff({ confirmed: 100, consumed: 100, lost: 0, duplicated: 0, recovered: 0 }, { confirmed: 100, consumed: 88, lost: 12, duplicated: 3, recovered: 0 });
    assert.deepEqual(rows.find((r) => r.key === "lost"), { key: "lost", a: 0, b: 12, delta: 12 });
    assert.deepEqual(rows.find((r) => r.key === "consumed"), { key: "consumed", a: 100, b: 88, delta: -12 });
    const latency = (p50: number) => ({ latencyMs: { p50, p90: p50 * 2, p99: p50 * 3, max: p50 * 4 } }) as RunReport;
    assert.deepEqual(percentileDiff(latency(2), latency(5))[0], { key: "p50", a: 2, b: 5, delta: 3 });
    assert.equal(percentileDiff(undefined, latency(5))[2]?.delta, undefined);
  });
});

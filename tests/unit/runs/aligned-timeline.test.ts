// Two runs' timelines on one axis: moments from each run's start shifted by its alignment, merged
// in time order, bounded, and the span the lanes are drawn over.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelineEntry } from "../../../lib/run/model";
import { alignedTimeline, timelineSpan } from "../../../lib/runs/aligned-timeline";

const entry = (at: number, kind: TimelineEntry["kind"], target: string, detail = ""): TimelineEntry => ({ at, kind, target, detail });

describe("alignedTimeline", () => {
  const a = { timeline: [entry(1_500, "replica", "svc", "started")], startAt: 1_000, offsetMs: 0 };
  const b = { timeline: [entry(50_000, "fault", "svc", "kill"), entry(50_400, "replica", "svc", "killed"), entry(45_500, "broker", "rabbitmq", "down")], startAt: 40_000, offsetMs: 10_000 };

  it("times each entry from its run's start minus the alignment, merged in time order", () => {
    const rows = alignedTimeline(a, b);
    assert.deepEqual(rows.map((r) => [r.side, r.atMs, r.kind]), [
      ["B", -4_500, "broker"],
      ["B", 0, "fault"],
      ["B", 400, "replica"],
      ["A", 500, "replica"],
    ]);
    assert.equal(rows[1]!.target, "svc");
    assert.equal(rows[1]!.detail, "kill");
  });

  it("puts A before B at the same moment, and keeps at most max entries", () => {
    const same = { timeline: [entry(2_000, "fault", "x")], startAt: 1_000, offsetMs: 0 };
    assert.deepEqual(alignedTimeline(same, same).map((r) => r.side), ["A", "B"]);
    assert.equal(alignedTimeline(a, b, 2).length, 2);
  });

  it("leaves out a run without a timeline or without a start", () => {
    assert.deepEqual(alignedTimeline({ timeline: undefined, startAt: 0, offsetMs: 0 }, { ...b, startAt: undefined }), []);
  });
});

describe("timelineSpan", () => {
  it("runs from the earliest entry (or 0) to the latest of the entries and the runs' ends", () => {
    const rows = alignedTimeline({ timeline: [entry(500, "fault", "x")], startAt: 1_000, offsetMs: 0 }, { timeline: [entry(9_000, "fault", "y")], startAt: 1_000, offsetMs: 0 });
    assert.deepEqual(timelineSpan(rows, [4_000, 6_000]), { from: -500, to: 8_000 });
    assert.deepEqual(timelineSpan([], [3_000]), { from: 0, to: 3_000 });
    assert.deepEqual(timelineSpan([], []), { from: 0, to: 1 });
  });
});

// Picking one trace of each run for the trace comparison, and the search window that reaches a run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lookbackFor, representativePair } from "../../../lib/runs/representative-trace";
import type { TraceSummary } from "../../../lib/trace/trace-search";

const trace = (traceId: string, root: string, duration: number, services = ["order-service", "inventory-service"]): TraceSummary =>
  ({ traceId, root, services, start: 0, duration, spans: services.length * 2, errors: 0 });

describe("representativePair", () => {
  it("takes the root operation both runs share most, the widest traces of it, the median duration", () => {
    const a = [trace("a1", "send order_queue", 30), trace("a2", "send order_queue", 10), trace("a3", "send order_queue", 20), trace("a4", "send audit", 1, ["audit"])];
    const b = [trace("b1", "send order_queue", 90, ["order-service"]), trace("b2", "send order_queue", 40), trace("b3", "send order_queue", 50), trace("b4", "send audit", 2, ["audit"])];
    const pair = representativePair(a, b);
    assert.equal(pair.a?.traceId, "a3");
    // b1 reached one service only: a stray, not the pipeline.
    assert.equal(pair.b?.traceId, "b2");
  });

  it("prefers a shared root over one only a single run has many of", () => {
    const a = [trace("a1", "only-a", 5), trace("a2", "only-a", 6), trace("a3", "shared", 7)];
    const b = [trace("b1", "shared", 8)];
    assert.deepEqual([representativePair(a, b).a?.traceId, representativePair(a, b).b?.traceId], ["a3", "b1"]);
  });

  it("falls back to each run's own typical trace when they share no root, and to none without traces", () => {
    const pair = representativePair([trace("a1", "x", 1)], [trace("b1", "y", 2)]);
    assert.deepEqual([pair.a?.traceId, pair.b?.traceId], ["a1", "b1"]);
    assert.deepEqual(representativePair([], [trace("b1", "y", 2)]), { b: trace("b1", "y", 2) });
  });
});

describe("lookbackFor", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");
  const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  it("answers the shortest window reaching back to the run's start, with a margin", () => {
    assert.equal(lookbackFor(ago(5), now), "15m");
    assert.equal(lookbackFor(ago(14), now), "1h");
    assert.equal(lookbackFor(ago(90), now), "6h");
    assert.equal(lookbackFor(ago(23 * 60), now), "24h");
    assert.equal(lookbackFor(ago(47 * 60), now), "48h");
  });
  it("answers none for a run older than two days (Jaeger's search does not reach it)", () => {
    assert.equal(lookbackFor(ago(49 * 60), now), undefined);
  });
});

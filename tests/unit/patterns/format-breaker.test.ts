// The terminal report of a run names a requester's circuit breaker figures, and only when it has one.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { PatternsReport } from "../../../lib/run/patterns";
import { formatPatterns } from "../../../server/cli/format-patterns";

const rtt = { count: 4, p50: 3, p90: 4, p99: 5, max: 5 } as never;
const counters = { sent: 10, confirmed: 10, failed: 0, replied: 4, errors: 0, timedOut: 6, late: 0, unmatched: 0, pending: 0, done: true };

it("prints the breaker's fast failures and transitions for a requester that has one", () => {
  const report = { requests: { "shop/ask": { counters: { ...counters, fastFailed: 20, breakerOpened: 2, breakerHalfOpened: 2, breakerClosed: 1, breakerOpen: 0, breakerHalfOpen: 0 }, rtt, window: rtt, recent: [] } } } as PatternsReport;
  assert.ok(formatPatterns(report).includes("  circuit breaker: fast failures 20, opened 2, half-opened 2, closed again 1"));
});

it("prints no breaker line for a requester without one", () => {
  const report = { requests: { "shop/ask": { counters, rtt, window: rtt, recent: [] } } } as PatternsReport;
  assert.ok(!formatPatterns(report).some((line) => line.includes("circuit breaker")));
});

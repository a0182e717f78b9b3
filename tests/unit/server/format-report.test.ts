// The terminal report's broker lines: an SQS queue's delayed messages, a group's lag with the age
// of its oldest unconsumed message, and the resources a run used by their own kinds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { formatReport } from "../../../server/cli/format-report";

const report = (change: Partial<RunReport>): RunReport => ({
  runId: "r1", scenario: "s", status: "finished", startedAt: "2026-12-06T12:00:00.000Z", durationMs: 5_000, producers: {}, consumers: {},
  ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 },
  queues: [], lag: [], services: {}, traces: { sample: [], searchUrl: "http://jaeger/search", droppedSpans: 0 }, errors: [], logsDir: "logs", ...change,
});

describe("formatReport's broker lines", () => {
  it("names delayed messages and the age of the oldest unconsumed message", () => {
    const text = formatReport(report({
      queues: [{ broker: "aws", name: "jobs", messages: 5, ready: 2, unacked: 0, delayed: 3, consumers: 0 }, { broker: "rabbit", name: "q", messages: 1, ready: 1, unacked: 0, consumers: 1 }],
      lag: [
        { broker: "kafka", group: "g", topic: "t", partitions: [], total: 40, seconds: 6.5 },
        { broker: "kafka", group: "h", topic: "t", partitions: [], total: 0, seconds: 0 },
      ],
    }));
    assert.match(text, /^Queues at the end: jobs=5 \(3 delayed\), q=1$/m);
    assert.match(text, /^Kafka lag at the end: g\/t=40 \(oldest 6\.5 s old\), h\/t=0$/m);
  });

  it("lists SNS subscriptions, EventBridge buses and rules by their kinds", () => {
    const text = formatReport(report({ resources: { created: [{ broker: "aws", kind: "subscription", name: "orders → billing" }, { broker: "aws", kind: "bus", name: "shop" }, { broker: "aws", kind: "rule", name: "paid on shop" }], existed: [] } }));
    assert.match(text, /Created by the run \(deleted at the end\): subscription orders → billing \(aws\), bus shop \(aws\), rule paid on shop \(aws\)/);
  });
});

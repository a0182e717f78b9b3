// The explorer's logic: the search query (valid, and each bad field named), the Jaeger search it
// becomes, trace summaries, the critical path, comparing two traces (matched pairs, spans only in
// one, a span that moved) and the service graph's counts and latency split.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareTraces } from "../../../lib/trace/compare-traces";
import { serviceGraph } from "../../../lib/trace/service-graph";
import { jaegerSearch, mergeTraces, parseTraceSearch, sortTraces, summarizeTrace } from "../../../lib/trace/trace-search";
import { criticalPath, spanDepths } from "../../../lib/trace/trace-tree";
import type { TreeSpan, TreeTrace } from "../../../lib/trace/trace-tree";

const span = (spanID: string, operationName: string, processID: string, startTime: number, duration: number, parent?: string, tags: Record<string, unknown> = {}, traceID = "t1"): TreeSpan => ({
  spanID, traceID, operationName, processID, startTime, duration,
  references: parent ? [{ refType: "CHILD_OF", traceID, spanID: parent }] : [],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});
const processes = { p1: { serviceName: "order-service" }, p2: { serviceName: "inventory-service" } };
const msg = (type: string, destination: string) => ({ "messaging.operation.type": type, "messaging.destination.name": destination });

// Parent mode: send (1 ms), then process (10 ms, a child of send) with an ack and a db call under it.
const before: TreeTrace = {
  traceID: "aaa1", processes,
  spans: [
    span("s", "send orders", "p1", 1_000, 1_000, undefined, msg("send", "orders")),
    span("p", "process orders", "p2", 5_000, 10_000, "s", msg("process", "orders")),
    span("d", "db write", "p2", 6_000, 3_000, "p"),
    span("a", "ack orders", "p2", 13_000, 500, "p"),
  ],
};

describe("parseTraceSearch", () => {
  it("takes a full query, blank fields as absent, with defaults", () => {
    const parsed = parseTraceSearch(new URLSearchParams({ run: "r-1", service: "order-service", destination: "orders", minDurationMs: "2.5", errorOnly: "true", messageId: "", limit: "" }));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.query, { run: "r-1", service: "order-service", destination: "orders", minDurationMs: 2.5, errorOnly: true, limit: 50, lookback: "1h" });
  });

  it("names every bad field, an unknown one and a repeated one", () => {
    const parsed = parseTraceSearch(new URLSearchParams("minDurationMs=fast&limit=0&errorOnly=yes&colour=red&run=a&run=b"));
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.problems.map((p) => p.path).sort(), ["colour", "errorOnly", "limit", "minDurationMs", "run"]);
    assert.match(parsed.message, /minDurationMs is not a number of milliseconds/);
    assert.match(parsed.message, /colour is not a search field/);
  });
});

describe("jaegerSearch", () => {
  it("turns the query into one service's Jaeger search with the conditions as span tags", () => {
    const parsed = parseTraceSearch(new URLSearchParams({ run: "r-1", operation: "send orders", destination: "orders", messageId: "m-7", minDurationMs: "1.5", errorOnly: "true", lookback: "6h", limit: "10" }));
    assert.ok(parsed.ok);
    assert.deepEqual(jaegerSearch(parsed.query, "order-service"), {
      service: "order-service", operation: "send orders", limit: 10, lookback: "6h", minDuration: "1500us",
      tags: { "brokerlab.run.id": "r-1", "messaging.destination.name": "orders", "messaging.message.id": "m-7", error: "true" },
    });
  });
});

describe("summaries", () => {
  it("summarizes a trace: root, services in start order, duration from first start to last end, errors", () => {
    const failed: TreeTrace = { ...before, traceID: "aaa2", spans: [...before.spans, span("e", "retry", "p2", 14_000, 2_000, "p", { error: true })] };
    assert.deepEqual(summarizeTrace(failed), { traceId: "aaa2", root: "send orders", services: ["order-service", "inventory-service"], start: 1_000, duration: 15_000, spans: 5, errors: 1 });
    const sorted = sortTraces([summarizeTrace(before), summarizeTrace(failed)], "duration").map((t) => t.traceId);
    assert.deepEqual(sorted, ["aaa2", "aaa1"]);
    assert.deepEqual(mergeTraces([[before], [failed, before]]).map((t) => t.traceID), ["aaa1", "aaa2"]);
  });
});

describe("criticalPath", () => {
  it("follows the chain that ends last: send, its process span, then the ack and the db call before it", () => {
    assert.deepEqual(criticalPath(before), ["s", "p", "a", "d"]);
  });

  it("skips a child that overlaps a later-finishing sibling", () => {
    const overlap: TreeTrace = { ...before, spans: [span("r", "root", "p1", 0, 100), span("x", "x", "p1", 10, 50, "r"), span("y", "y", "p1", 20, 70, "r")] };
    assert.deepEqual(criticalPath(overlap), ["r", "y"]);
  });
});

describe("compareTraces", () => {
  // The same message after a link fault: a redelivery adds a second process span, the db call moved.
  const after: TreeTrace = {
    traceID: "bbb1", processes,
    spans: [
      span("s2", "send orders", "p1", 0, 1_000, undefined, msg("send", "orders")),
      span("p2", "process orders", "p2", 4_000, 30_000, "s2", msg("process", "orders")),
      span("p3", "process orders", "p2", 40_000, 8_000, "s2", msg("process", "orders")),
      span("d2", "db write", "p2", 41_000, 2_000, "p3"),
      span("a2", "ack orders", "p2", 48_000, 200, "p3"),
      span("x2", "db write", "p2", 42_000, 1_000, "s2"),
    ],
  };

  it("matches spans by service, operation and depth, with durations and their difference", () => {
    const comparison = compareTraces(before, after);
    const process = comparison.rows.find((r) => r.operation === "process orders" && r.a);
    assert.equal(process?.delta, 20_000);
    assert.equal(comparison.matched, 4);
    assert.equal(comparison.onlyA, 0);
    assert.equal(comparison.onlyB, 2);
    assert.equal(comparison.a.duration, 14_000);
    assert.equal(comparison.b.duration, 48_200);
  });

  it("marks spans only in one trace, where they sit in the other, and changed parents", () => {
    const comparison = compareTraces(before, after);
    const onlyB = comparison.rows.filter((r) => !r.a).map((r) => `${r.operation}@${r.depth}: ${r.structure}`);
    assert.deepEqual(onlyB, ["process orders@1: not in A", "db write@1: in A at depth 2"]);
    assert.equal(comparison.structural, 2);
    assert.equal(spanDepths(after).get("d2"), 2);
  });
});

describe("serviceGraph", () => {
  it("counts publish and consume edges per destination and splits the latency", () => {
    const graph = serviceGraph([before, { ...before, traceID: "aaa3" }]);
    assert.deepEqual(graph.services, ["inventory-service", "order-service"]);
    assert.deepEqual(graph.destinations, ["orders"]);
    assert.deepEqual(graph.edges, [
      { from: "order-service", to: "orders", kind: "publish", count: 2, meanSpan: 1_000 },
      { from: "orders", to: "inventory-service", kind: "consume", count: 2, meanSpan: 10_000, meanWait: 3_000 },
    ]);
  });

  it("lists publishes before consumes whatever order Jaeger returned the spans in", () => {
    const reversed = { ...before, spans: [...before.spans].reverse() };
    const edges = serviceGraph([reversed]).edges.map((e) => `${e.kind} ${e.from} → ${e.to}`);
    assert.deepEqual(edges, ["publish order-service → orders", "consume orders → inventory-service"]);
  });
});

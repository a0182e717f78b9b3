// The comparison's extras: both runs' timelines in one list on the aligned axis with a lane per run,
// and each run's traces linked, with a typical trace of each opened in the trace comparison.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { CompareTimeline } from "../../../components/runs/compare-timeline";
import { CompareTraces } from "../../../components/runs/compare-traces";
import { alignedTimeline } from "../../../lib/runs/aligned-timeline";
import type { StoredRunSummary } from "../../../lib/runs/history";
import type { TraceSummary } from "../../../lib/trace/trace-search";

afterEach(cleanup);

describe("CompareTimeline", () => {
  it("lists A's and B's entries in time order in their own columns, with a mark per entry in each lane", () => {
    const entries = alignedTimeline(
      { timeline: [{ at: 3_000, kind: "replica", target: "inventory-service", detail: "replica 0 started" }], startAt: 1_000, offsetMs: 0 },
      { timeline: [{ at: 5_000, kind: "fault", target: "inventory-service", detail: "kill" }, { at: 5_200, kind: "replica", target: "inventory-service", detail: "replica 0 killed" }], startAt: 1_000, offsetMs: 4_000 },
    );
    render(createElement(CompareTimeline, { entries, ends: [10_000, 6_000], aligned: "fault" }));
    const rows = screen.getAllByTestId("timeline-row") as HTMLTableRowElement[];
    assert.deepEqual(rows.map((r) => [r.dataset.side, r.cells[0]!.textContent]), [["B", "0.0 s"], ["B", "+0.2 s"], ["A", "+2.0 s"]]);
    assert.match(rows[0]!.cells[2]!.textContent ?? "", /fault inventory-service kill/);
    assert.equal(rows[0]!.cells[1]!.textContent, "");
    assert.equal(screen.getByTestId("timeline-lane-A").querySelectorAll(".compare-lane__mark").length, 1);
    assert.equal(screen.getByTestId("timeline-lane-B").querySelectorAll(".compare-lane__mark").length, 2);
    assert.match(screen.getByTestId("compare-timeline").textContent ?? "", /0 s is each run's first fault/);
  });

  it("says so when neither run recorded anything", () => {
    render(createElement(CompareTimeline, { entries: [], ends: [1_000, 1_000], aligned: "start" }));
    assert.ok(screen.getByTestId("compare-timeline-empty"));
  });
});

const run = (runId: string): StoredRunSummary => ({
  runId, scenario: "order-inventory", origin: "lab", brokers: ["rabbitmq"], status: "finished", startedAt: new Date(Date.now() - 60_000).toISOString(),
  durationMs: 5_000, pinned: false, outcomes: [], frames: 50, bytes: 1_000,
});
const trace = (traceId: string, duration: number): TraceSummary => ({ traceId, root: "send order_queue", services: ["order-service", "inventory-service"], start: 0, duration, spans: 4, errors: 0 });

describe("CompareTraces", () => {
  it("links each run's traces and compares a typical trace of each, searched by run id", async () => {
    const asked: string[] = [];
    const found: Record<string, TraceSummary[]> = { ra: [trace("a1", 9_000), trace("a2", 3_000), trace("a3", 5_000)], rb: [trace("b1", 40_000)] };
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://127.0.0.1");
      asked.push(url.search);
      const traces = found[url.searchParams.get("run")!] ?? [];
      return new Response(JSON.stringify({ data: { traces, graph: { services: [], destinations: [], edges: [] }, services: [] } }), { status: 200 });
    }) as typeof fetch;
    render(createElement(CompareTraces, { a: run("ra"), b: run("rb") }));
    assert.equal(screen.getByTestId("run-traces-A").getAttribute("href"), "/traces?run=ra");
    assert.equal(screen.getByTestId("run-traces-B").getAttribute("href"), "/traces?run=rb");
    await waitFor(() => assert.equal(screen.getByTestId("compare-typical-traces").getAttribute("href"), "/traces/compare?a=a3&b=b1"));
    assert.ok(asked.every((q) => /lookback=15m/.test(q)), "a run of a minute ago is searched in the last 15 minutes");
    assert.match(screen.getByTestId("compare-traces-A").textContent ?? "", /3 found; typical: send order_queue, 2 services, 5\.0 ms/);
  });

  it("says why there is no trace comparison when a run has no traces", async () => {
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const traces = String(input).includes("run=ra") ? [trace("a1", 1_000)] : [];
      return new Response(JSON.stringify({ data: { traces, graph: { services: [], destinations: [], edges: [] }, services: [] } }), { status: 200 });
    }) as typeof fetch;
    render(createElement(CompareTraces, { a: run("ra"), b: run("rb") }));
    await waitFor(() => assert.match(screen.getByTestId("compare-traces-B").textContent ?? "", /no traces found/));
    assert.equal(screen.queryByTestId("compare-typical-traces"), null);
  });
});

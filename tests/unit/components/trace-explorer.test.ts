// The explorer's components: the list sorts and picks two traces for the comparison (a third pick
// drops the oldest), the comparison marks a span found in one trace only and the slower pair, and
// the explorer's trace page marks the critical path (a span overlapped by a later-ending one is off it).
import "./setup";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { TraceTimeline } from "../../../components/run/trace-timeline";
import { TraceCompare } from "../../../components/traces/trace-compare";
import { TraceList } from "../../../components/traces/trace-list";
import type { TraceSummary } from "../../../lib/trace/trace-search";

const summary = (traceId: string, start: number, duration: number, spans: number, errors = 0): TraceSummary => ({ traceId, root: "send orders", services: ["shop", "billing"], start, duration, spans, errors });
const ids = () => screen.getAllByTestId("trace-row").map((row) => row.getAttribute("data-trace"));

describe("TraceList", () => {
  afterEach(cleanup);

  it("sorts newest first, then by duration or span count, and marks errors", () => {
    render(createElement(TraceList, { traces: [summary("a1", 1_000, 50, 3), summary("b2", 3_000, 10, 4, 2), summary("c3", 2_000, 90, 2)] }));
    assert.deepEqual(ids(), ["b2", "c3", "a1"]);
    fireEvent.click(screen.getByTestId("sort-duration"));
    assert.deepEqual(ids(), ["c3", "a1", "b2"]);
    fireEvent.click(screen.getByTestId("sort-spans"));
    assert.deepEqual(ids(), ["b2", "a1", "c3"]);
    assert.match(screen.getAllByTestId("trace-row")[0]!.textContent ?? "", /2 errors/);
  });

  it("compares the last two picked", () => {
    render(createElement(TraceList, { traces: [summary("a1", 1_000, 50, 3), summary("b2", 3_000, 10, 4), summary("c3", 2_000, 90, 2)] }));
    const pick = (id: string) => fireEvent.click(document.querySelector(`[data-trace="${id}"] [data-testid="pick-trace"]`)!);
    pick("a1");
    assert.match(screen.getByTestId("compare-hint").textContent ?? "", /1 of 2/);
    pick("b2");
    assert.equal(screen.getByTestId("compare-picked").getAttribute("href"), "/traces/compare?a=a1&b=b2");
    pick("c3");
    assert.equal(screen.getByTestId("compare-picked").getAttribute("href"), "/traces/compare?a=b2&b=c3");
  });
});

const span = (traceID: string, spanID: string, operationName: string, processID: string, startTime: number, duration: number, parent?: string) => ({
  traceID, spanID, operationName, processID, startTime, duration, logs: [],
  references: parent ? [{ refType: "CHILD_OF", traceID, spanID: parent }] : [],
  tags: [{ key: "span.kind", value: parent ? "consumer" : "producer" }],
});
const processes = { p1: { serviceName: "shop" }, p2: { serviceName: "billing" } };
const a = "a".repeat(32);
const b = "b".repeat(32);
const traces: Record<string, unknown> = {
  [a]: { traceID: a, processes, spans: [span(a, "s", "send orders", "p1", 0, 1_000), span(a, "p", "process orders", "p2", 2_000, 4_000, "s")] },
  [b]: { traceID: b, processes, spans: [span(b, "s", "send orders", "p1", 0, 1_000), span(b, "p", "process orders", "p2", 2_000, 11_000, "s"), span(b, "q", "process orders", "p2", 12_000, 3_000, "s")] },
};

describe("TraceCompare and the critical path", () => {
  beforeEach(() => {
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const trace = traces[String(input).split("/").pop()!];
      return new Response(JSON.stringify(trace ? { data: trace } : { error: { code: "NOT_FOUND", message: "no", retriable: false } }), { status: trace ? 200 : 404 });
    }) as typeof fetch;
  });
  afterEach(cleanup);

  it("shows matched pairs with the difference and a span only in B", async () => {
    render(createElement(TraceCompare, { a, b }));
    await waitFor(() => assert.equal(screen.getAllByTestId("compare-row").length, 3));
    assert.match(screen.getByTestId("compare-summary").textContent ?? "", /\+9\.0 ms end to end · 2 matched, 0 only in A, 1 only in B, 1 structural/);
    const rows = screen.getAllByTestId("compare-row").map((row) => row.textContent);
    assert.match(rows[1]!, /process orders4\.0 ms11\.0 ms\+7\.0 ms/);
    assert.match(rows[2]!, /only in B/);
    assert.equal(document.querySelectorAll("tr.is-only-b").length, 1);
  });

  it("names the trace that cannot be read", async () => {
    render(createElement(TraceCompare, { a, b: "c".repeat(32) }));
    await waitFor(() => assert.match(screen.getByRole("alert").textContent ?? "", /Trace B: no/));
  });

  it("marks the critical path on the explorer's trace page, without a link to itself", async () => {
    render(createElement(TraceTimeline, { traceId: b, showCriticalPath: true }));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 3));
    const critical = Array.from(document.querySelectorAll(".trace__row.is-critical")).map((row) => row.getAttribute("data-span"));
    assert.deepEqual(critical, ["s", "q"]);
    assert.ok(screen.getByTestId("critical-path-note"));
    assert.equal(screen.queryByTestId("open-in-explorer"), null);
  });
});

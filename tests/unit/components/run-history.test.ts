// The run history keeps itself up to date: a new run and a run that ends show up without a reload,
// with the filters asked for on every poll and the picked runs still picked; a hidden tab does not
// poll and asks at once when shown again; a picked run deleted elsewhere is unpicked.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createElement } from "react";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { RunHistory } from "../../../components/runs/run-history";
import type { StoredRunSummary } from "../../../lib/runs/history";

const run = (runId: string, startedAt: string, change: Partial<StoredRunSummary> = {}): StoredRunSummary => ({
  runId, scenario: "order-inventory", origin: "lab", brokers: ["rabbitmq"], status: "finished", startedAt, durationMs: 5_000,
  pinned: false, outcomes: [], frames: 50, bytes: 1_000, ...change,
});
const usage = { runs: 0, bytes: 0, maxBytes: 512e6, pruned: 0 };

let stored: StoredRunSummary[] = [];
let asked: string[] = [];
const rowIds = () => screen.queryAllByTestId("run-row").map((row) => row.getAttribute("data-run"));
const picked = (id: string) => document.querySelector<HTMLInputElement>(`[data-run="${id}"] [data-testid="pick-run"]`)!;
function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  document.dispatchEvent(new document.defaultView!.Event("visibilitychange"));
}

describe("RunHistory", () => {
  beforeEach(() => {
    stored = [run("r1", "2026-12-07T10:00:00Z")];
    asked = [];
    setVisibility("visible");
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return new Response(JSON.stringify({ data: { runs: stored, usage: { ...usage, runs: stored.length } } }), { status: 200 });
    }) as typeof fetch;
  });
  afterEach(cleanup);

  it("shows a new run and a run that ended without a reload, keeping the filters and the picks", async () => {
    stored = [run("r1", "2026-12-07T10:00:00Z"), run("r2", "2026-12-07T10:05:00Z", { status: "running", durationMs: undefined })];
    render(createElement(RunHistory, { fields: { broker: "rabbitmq", outcome: "lost" }, refreshMs: 40 }));
    await waitFor(() => assert.deepEqual(rowIds(), ["r2", "r1"]));
    assert.match(document.querySelector('[data-run="r2"]')!.textContent ?? "", /running/);
    fireEvent.click(picked("r1"));
    assert.equal(picked("r1").checked, true);

    stored = [run("r1", "2026-12-07T10:00:00Z"), run("r2", "2026-12-07T10:05:00Z", { durationMs: 61_000, outcomes: ["lost"], ledger: { confirmed: 10, consumed: 7, lost: 3, duplicated: 0, recovered: 0 } }), run("r3", "2026-12-07T10:09:00Z")];
    await waitFor(() => assert.deepEqual(rowIds(), ["r3", "r2", "r1"]));
    await waitFor(() => assert.match(document.querySelector('[data-run="r2"] [data-testid="run-outcomes"]')!.textContent ?? "", /lost 3/));
    assert.equal(picked("r1").checked, true, "the pick survives the refresh");
    assert.ok(asked.length >= 2);
    for (const url of asked) assert.match(url, /^\/api\/runs\?broker=rabbitmq&outcome=lost$/);
    assert.match(screen.getByTestId("runs-usage").textContent ?? "", /3 runs recorded/);
  });

  it("does not poll while the tab is hidden, and asks at once when it is shown again", async () => {
    render(createElement(RunHistory, { fields: {}, refreshMs: 40 }));
    await waitFor(() => assert.deepEqual(rowIds(), ["r1"]));
    act(() => setVisibility("hidden"));
    await new Promise((resolve) => setTimeout(resolve, 80));
    const whileHidden = asked.length;
    stored = [...stored, run("r2", "2026-12-07T11:00:00Z")];
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(asked.length, whileHidden, "no request while hidden");
    assert.deepEqual(rowIds(), ["r1"]);
    act(() => setVisibility("visible"));
    await waitFor(() => assert.deepEqual(rowIds(), ["r2", "r1"]));
  });

  it("unpicks a run deleted elsewhere, so the comparison never names a run that is gone", async () => {
    stored = [run("r1", "2026-12-07T10:00:00Z"), run("r2", "2026-12-07T10:05:00Z")];
    render(createElement(RunHistory, { fields: {}, refreshMs: 40 }));
    await waitFor(() => assert.deepEqual(rowIds(), ["r2", "r1"]));
    fireEvent.click(picked("r1"));
    fireEvent.click(picked("r2"));
    assert.ok(screen.getByTestId("compare-runs"));
    stored = [run("r2", "2026-12-07T10:05:00Z")];
    await waitFor(() => assert.deepEqual(rowIds(), ["r2"]));
    assert.equal(screen.queryByTestId("compare-runs"), null);
    assert.equal(picked("r2").checked, true);
  });
});

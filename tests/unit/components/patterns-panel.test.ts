// The pattern views under the run: a tab per pattern the run uses, the numbers of each, trace
// links, the task filter, and the replay form that sends what the learner chose.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { PatternsPanel } from "../../../components/patterns/patterns-panel";
import { createRunStore } from "../../../lib/client/run-store";
import type { BrokerlabSocket } from "../../../lib/client/socket";
import type { PatternsView, ReplayFrom, TaskView } from "../../../lib/run/patterns";

afterEach(cleanup);

const summary = (p50: number, p99: number, count = 10) => ({ count, p50, p90: p99, p99, max: p99, mean: p50 });
const task = (id: string, state: TaskView["state"], extra: Partial<TaskView> = {}): TaskView => ({ id, job: "resize", state, attempts: 1, retries: 0, results: state === "succeeded" ? 1 : 0, ...extra });

const patterns: PatternsView = {
  requests: {
    "shop/prices": {
      counters: { sent: 100, confirmed: 100, failed: 0, replied: 95, errors: 1, timedOut: 5, late: 2, unmatched: 0, pending: 0, done: true },
      rtt: summary(12.5, 40), window: summary(11, 30, 3),
      recent: [
        { id: "shop/prices/99", requester: "shop/prices", status: "replied", at: 1_000, rttMs: 12, traceId: "a".repeat(32) },
        { id: "shop/prices/100", requester: "shop/prices", status: "timeout", at: 2_000, detail: "no reply within 500 ms" },
      ],
    },
  },
  repliers: { "pricing/answer": { received: 100, replied: 99, errors: 1, failed: 0, inFlight: 0 } },
  tasks: {
    counts: { pending: 3, started: 4, retried: 1, succeeded: 190, failed: 2 }, total: 200,
    byJob: { resize: { pending: 3, started: 4, retried: 1, succeeded: 190, failed: 2 } },
    producers: { "web/submit": { submitted: 200, confirmed: 200, failed: 0, done: true } },
    workers: { "workers[0]": { received: 100, started: 100, succeeded: 95, failed: 1, retried: 1, timedOut: 1, inFlight: 2 } },
    runtimeMs: summary(50, 200), waitMs: summary(5, 80),
    recent: [task("t-1", "succeeded", { result: { width: 200 }, worker: "workers[0]", traceId: "b".repeat(32) }), task("t-2", "failed", { error: "timed out after 1000 ms", attempts: 3, retries: 2 })],
  },
  webhooks: {
    endpoints: { api: { shop: ["http://127.0.0.1:4100/tasks"] }, webhook: { hooks: ["http://127.0.0.1:4200/callbacks"] } },
    api: { shop: { requests: 20, accepted: 20, rejected: 0, failed: 0 } },
    calls: { "shop/request-reports": { sent: 20, accepted: 19, rejected: 1, failed: 0, done: true } },
    deliveries: { attempts: 22, delivered: 20, retries: 2, failed: 0, pending: 0 },
    receivers: { hooks: { received: 23, valid: 20, invalid: 1, failedOnPurpose: 2, duplicates: 0 } },
    recent: [
      { kind: "delivery", taskId: "t-9", deliveryId: "d-1", attempt: 1, at: 1_000, url: "http://127.0.0.1:4200/callbacks", status: 500, ok: false, latencyMs: 3, willRetry: true, delayMs: 200 },
      { kind: "received", taskId: "t-9", at: 1_300, receiver: "hooks", status: 401, signature: "invalid" },
    ],
    callbacks: [{ taskId: "t-9", status: "delivered", attempts: 3, retries: 2, lastStatus: 200, received: 3, invalid: 0 }],
  },
  projections: {
    "view/stock": {
      service: "view", name: "stock", topic: "inventory-events", group: "stock-view",
      state: { "sku-1": { stock: 5, reserved: 1 }, "sku-2": { stock: 7, reserved: 0 } }, keys: 2,
      applied: 1000, skipped: 3, replayed: 0, version: 7,
      partitions: [{ partition: 0, position: 600, low: 0, high: 1000 }],
      replay: { from: "offset 0", startedAt: 0, partitions: [{ partition: 0, start: 0, end: 1000, position: 600 }], applied: 600, progress: 0.6, done: false },
    },
  },
};

describe("PatternsPanel", () => {
  it("has a tab for each pattern in the run, request/reply first, and arrow keys move between them", () => {
    render(createElement(PatternsPanel, { patterns }));
    const tabs = screen.getAllByRole("tab");
    assert.deepEqual(tabs.map((t) => t.textContent), ["Request/reply (95 replied)", "Tasks (190/200 done)", "Webhooks (20 delivered)", "Event sourcing"]);
    assert.equal(tabs[0]!.getAttribute("aria-selected"), "true");
    fireEvent.keyDown(tabs[0]!, { key: "ArrowRight" });
    assert.equal(screen.getAllByRole("tab")[1]!.getAttribute("aria-selected"), "true");
    assert.ok(screen.getByTestId("pattern-tasks"));
    fireEvent.keyDown(screen.getAllByRole("tab")[1]!, { key: "End" });
    assert.ok(screen.getByTestId("pattern-projections"));
  });

  it("shows a run without patterns as nothing", () => {
    const { container } = render(createElement(PatternsPanel, { patterns: {} }));
    assert.equal(container.textContent, "");
  });

  it("request/reply: counters, round trip, outcomes with a trace link, repliers", () => {
    const opened: string[] = [];
    render(createElement(PatternsPanel, { patterns, onOpenTrace: (id: string) => opened.push(id) }));
    const requester = screen.getByTestId("requester-shop/prices");
    for (const text of ["100Sent", "95Replied", "0Pending", "5Timed out", "2Late", "1Error replies", "13 / 40 ms", "11 / 30 ms"]) assert.ok(requester.textContent!.includes(text), `${text} in ${requester.textContent}`);
    const rows = within(requester).getAllByRole("row").slice(1);
    assert.match(rows[0]!.textContent!, /shop\/prices\/100.*timeout.*no reply within 500 ms/);
    fireEvent.click(within(requester).getByRole("button", { name: `Open trace ${"a".repeat(32)}` }));
    assert.deepEqual(opened, ["a".repeat(32)]);
    assert.match(screen.getByRole("table", { name: "Repliers" }).textContent!, /pricing\/answer100991/);
  });

  it("tasks: counts by state, workers, and the latest tasks filtered by state", () => {
    render(createElement(PatternsPanel, { patterns }));
    fireEvent.click(screen.getByRole("tab", { name: /Tasks/ }));
    const view = screen.getByTestId("pattern-tasks");
    assert.ok(view.textContent!.includes("190Succeeded") && view.textContent!.includes("2Failed"));
    assert.match(screen.getByRole("table", { name: "Workers" }).textContent!, /workers\[0\]100100951112/);
    assert.ok(screen.getByTestId("task-t-1").textContent!.includes('{"width":200}'));
    fireEvent.click(screen.getByRole("radio", { name: "failed" }));
    assert.equal(screen.queryByTestId("task-t-1"), null);
    assert.match(screen.getByTestId("task-t-2").textContent!, /failed.*3 \(2 retried\).*timed out after 1000 ms/);
  });

  it("webhooks: deliveries, bad signatures, endpoints, callbacks and the event log", () => {
    render(createElement(PatternsPanel, { patterns }));
    fireEvent.click(screen.getByRole("tab", { name: /Webhooks/ }));
    const view = screen.getByTestId("pattern-webhooks");
    for (const text of ["2Retries", "20Delivered", "1Bad signatures", "http://127.0.0.1:4200/callbacks"]) assert.ok(view.textContent!.includes(text), text);
    assert.match(screen.getByTestId("callback-t-9").textContent!, /delivered32200/);
    assert.match(screen.getByRole("table", { name: "HTTP APIs" }).textContent!, /shop202000$/);
    assert.match(screen.getByRole("table", { name: "API calls" }).textContent!, /shop\/request-reports · done201910$/);
    assert.match(screen.getByRole("table", { name: "Receivers" }).textContent!, /hooks2320120$/);
    const events = screen.getByRole("list", { name: "Latest webhook events" });
    assert.match(events.textContent!, /received 401.*signature invalid/);
    assert.match(events.textContent!, /attempt 1 → 500.*retry in 200 ms/);
  });

  it("event sourcing: state, log position, replay progress, and the replay form", () => {
    const replays: [string, string, ReplayFrom | undefined][] = [];
    render(createElement(PatternsPanel, { patterns, onReplay: (service: string, projection: string, from?: ReplayFrom) => replays.push([service, projection, from]) }));
    fireEvent.click(screen.getByRole("tab", { name: "Event sourcing" }));
    assert.equal(within(screen.getByTestId("projection-view/stock")).getAllByRole("cell")[0]!.textContent, "1,000");
    assert.match(screen.getByTestId("projection-state-view/stock").textContent!, /reservedstocksku-115sku-207/);
    assert.equal(screen.getByRole("progressbar", { name: /Partition 0/ }).getAttribute("aria-valuenow"), "600");
    assert.match(screen.getByTestId("replay-view/stock").textContent!, /rebuilding · 600 events applied/);
    fireEvent.click(screen.getByRole("button", { name: "Replay view/stock from offset 0" }));
    const form = screen.getByRole("form", { name: "Replay view/stock" });
    fireEvent.change(within(form).getByRole("combobox"), { target: { value: "offset" } });
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "-3" } });
    fireEvent.submit(form);
    assert.match(within(form).getByRole("alert").textContent!, /whole number/);
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "250" } });
    fireEvent.submit(form);
    assert.deepEqual(replays, [["view", "stock", { offset: 0 }], ["view", "stock", { offset: 250 }]]);
  });

  it("event sourcing: without a run on, no replay form but what to do; the state redraws only when its version moves", () => {
    const stock = patterns.projections!["view/stock"]!;
    const only = (projection: typeof stock): PatternsView => ({ projections: { "view/stock": projection } });
    const { rerender } = render(createElement(PatternsPanel, { patterns: only({ ...stock, replay: undefined }) }));
    assert.equal(screen.queryByRole("form"), null);
    assert.ok(screen.getByText(/Replay is available while the run is on/));
    const table = () => screen.getByTestId("projection-state-view/stock").textContent;
    // Same version, other state: the frame repeats the state, so the table is not drawn again.
    rerender(createElement(PatternsPanel, { patterns: only({ ...stock, replay: undefined, state: { "sku-9": { stock: 1 } } }) }));
    assert.match(table()!, /sku-1/);
    rerender(createElement(PatternsPanel, { patterns: only({ ...stock, replay: undefined, version: 8, state: { "sku-9": { stock: 1 } }, keys: 1 }) }));
    assert.match(table()!, /sku-91/);
    rerender(createElement(PatternsPanel, { patterns: only({ ...stock, replay: undefined, version: 9, state: {}, keys: 0 }) }));
    assert.match(screen.getByTestId("pattern-projections").textContent!, /The state is empty: events on inventory-events fill it/);
  });

  it("the replay controls, wired to the lab's run store, send run:replay for the run with where to start", async () => {
    const sent: [string, unknown][] = [];
    const socket = {
      on: () => socket,
      timeout: () => ({
        emit(event: string, payload: unknown, ack: (error: Error | null, response: unknown) => void) {
          sent.push([event, payload]);
          queueMicrotask(() => ack(null, { data: event === "run:start" ? { runId: "run-7" } : { replaying: 1 } }));
        },
      }),
    };
    const store = createRunStore(() => socket as unknown as BrokerlabSocket);
    await store.start("version: 1");
    const onReplay = (service: string, projection: string, from?: ReplayFrom) => void store.replay({ service, projection, ...(from ? { from } : {}) });
    render(createElement(PatternsPanel, { patterns: { projections: patterns.projections! }, onReplay }));
    fireEvent.click(screen.getByRole("button", { name: "Replay view/stock from offset 0" }));
    const form = screen.getByRole("form", { name: "Replay view/stock" });
    fireEvent.change(within(form).getByRole("combobox"), { target: { value: "time" } });
    fireEvent.submit(form);
    assert.match(within(form).getByRole("alert").textContent!, /choose a date and time/);
    const time = form.querySelector<HTMLInputElement>('input[type="datetime-local"]')!;
    fireEvent.change(time, { target: { value: "2026-01-02T03:04:05" } });
    fireEvent.submit(form);
    assert.deepEqual(sent.filter(([event]) => event === "run:replay"), [
      ["run:replay", { runId: "run-7", service: "view", projection: "stock", from: { offset: 0 } }],
      ["run:replay", { runId: "run-7", service: "view", projection: "stock", from: { time: Date.parse("2026-01-02T03:04:05") } }],
    ]);
  });

  it("tasks: per job, an empty filter says so, and an empty dashboard says what comes", () => {
    const { rerender } = render(createElement(PatternsPanel, { patterns: { tasks: patterns.tasks! } }));
    assert.match(screen.getByRole("table", { name: "By job" }).textContent!, /resize3411902/);
    assert.match(screen.getByRole("table", { name: "Submitters" }).textContent!, /web\/submit · done2002000/);
    fireEvent.click(screen.getByRole("radio", { name: "started" }));
    // The chips are one radio group: one tab stop, arrow keys choose.
    assert.deepEqual(screen.getAllByRole("radio").map((chip) => chip.tabIndex), [-1, -1, 0, -1, -1, -1]);
    fireEvent.keyDown(screen.getByRole("radio", { name: "started" }), { key: "ArrowRight" });
    assert.equal(screen.getByRole("radio", { name: "retried" }).getAttribute("aria-checked"), "true");
    assert.equal(document.activeElement, screen.getByRole("radio", { name: "retried" }));
    assert.ok(screen.getByText("No retried task among the latest."));
    fireEvent.click(screen.getByRole("radio", { name: "all" }));
    // A finished run's report has every task: the filter searches them all.
    const allTasks = Array.from({ length: 30 }, (_, i) => task(`t-${i}`, i % 10 === 0 ? "failed" : "succeeded", i % 10 === 0 ? { error: `boom ${i}` } : {}));
    rerender(createElement(PatternsPanel, { patterns: { tasks: patterns.tasks!, allTasks } }));
    assert.ok(screen.getByText("The last 12 of 30 tasks of the run"));
    fireEvent.click(screen.getByRole("radio", { name: "failed" }));
    assert.deepEqual(screen.getAllByTestId(/^task-/).map((row) => row.dataset.testid), ["task-t-20", "task-t-10", "task-t-0"]);
    fireEvent.click(screen.getByRole("radio", { name: "retried" }));
    assert.ok(screen.getByText("No retried task in this run."));
    fireEvent.click(screen.getByRole("radio", { name: "all" }));
    const empty = { ...patterns.tasks!, recent: [], total: 0, counts: { pending: 0, started: 0, retried: 0, succeeded: 0, failed: 0 } };
    rerender(createElement(PatternsPanel, { patterns: { tasks: empty } }));
    assert.equal(screen.getByRole("tab").textContent, "Tasks (0/0 done)");
    assert.ok(screen.getByText(/No task yet: submitters put tasks on the queue/));
  });
});

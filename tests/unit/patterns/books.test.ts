// The engine's pattern books and the webhook signature, with fakes for the processes: task rows
// that stay right when events arrive out of order, counters that survive a restart, callbacks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TaskEvent } from "../../../lib/run/patterns";
import { createCounterSlots } from "../../../server/engine/patterns/slots";
import { createTaskBook } from "../../../server/engine/patterns/tasks";
import { createWebhookBook } from "../../../server/engine/patterns/webhooks";
import { checkSignature, signBody } from "../../../server/service/patterns/signature";

const task = (kind: TaskEvent["kind"], attempt: number, extra: Partial<TaskEvent> = {}): TaskEvent => ({ id: "web/jobs/1", kind, attempt, at: 1_000 + attempt * 100 + ["submitted", "started", "retried", "succeeded", "failed"].indexOf(kind), job: "resize", by: "x", ...extra });

describe("the task book", () => {
  it("keeps a task's furthest state when events arrive out of order", () => {
    const book = createTaskBook();
    // The worker's frame (started, retried, started again) arrives before the submitter's confirm.
    book.frame("worker", 0, { taskEvents: [task("started", 1), task("retried", 1, { error: "boom" }), task("started", 2)] });
    assert.equal(book.get("web/jobs/1")?.state, "started");
    book.frame("web", 0, { taskEvents: [task("submitted", 1, { args: { id: 1 } })] });
    const row = book.get("web/jobs/1")!;
    assert.deepEqual({ state: row.state, attempts: row.attempts, retries: row.retries, args: row.args }, { state: "started", attempts: 2, retries: 1, args: { id: 1 } });
    book.frame("worker", 1, { taskEvents: [task("succeeded", 2, { result: { ok: 1 } })] });
    const view = book.view(true);
    assert.deepEqual(view.counts, { pending: 0, started: 0, retried: 0, succeeded: 1, failed: 0 });
    assert.equal(view.recent[0]?.results, 1);
    assert.equal(view.waitMs.count, 1);
    assert.equal(book.open(), 0);
  });

  it("counts a second success of the same task as a second result", () => {
    const book = createTaskBook();
    book.frame("worker", 0, { taskEvents: [task("started", 1), task("succeeded", 1)] });
    book.frame("worker", 1, { taskEvents: [task("started", 1), task("succeeded", 1)] });
    assert.equal(book.get("web/jobs/1")?.results, 2);
    assert.deepEqual(book.view(false).results, { stored: 1, repeated: 1 }, "the result store counts the task once, and once as repeated");
  });

  it("counts stored results: a task that failed for good stores none", () => {
    const book = createTaskBook();
    book.frame("worker", 0, { taskEvents: [task("started", 1), task("succeeded", 1, { result: { ok: 1 } }), task("started", 1, { id: "web/jobs/2" }), task("failed", 1, { id: "web/jobs/2", error: "boom" })] });
    assert.deepEqual(book.view(false).results, { stored: 1, repeated: 0 });
  });
});

describe("pattern counter slots", () => {
  it("add a restarted process's counters to those of its earlier life; gauges only from live processes", () => {
    const slots = createCounterSlots<{ sent: number; pending: number; done: boolean }>();
    slots.set("shop", 0, { ask: { sent: 10, pending: 3, done: false } });
    slots.set("shop", 1, { ask: { sent: 5, pending: 1, done: true } });
    assert.deepEqual(slots.sum()["shop/ask"], { sent: 15, pending: 4, done: false });
    slots.exited("shop", 0);
    assert.deepEqual(slots.sum()["shop/ask"], { sent: 15, pending: 1, done: false }, "an exited replica keeps its counts and its last flag");
    slots.set("shop", 0, { ask: { sent: 2, pending: 0, done: true } });
    assert.deepEqual(slots.sum()["shop/ask"], { sent: 17, pending: 1, done: true });
  });
});

describe("the webhook book", () => {
  it("follows a callback through failed attempts to delivery, and counts what receivers saw", () => {
    const tasks = createTaskBook();
    tasks.frame("api", 0, { taskEvents: [{ id: "t1", kind: "submitted", at: 1, attempt: 1, by: "api", callback: true }] });
    tasks.frame("worker", 0, { taskEvents: [{ id: "t1", kind: "started", at: 2, attempt: 1, by: "w" }, { id: "t1", kind: "succeeded", at: 3, attempt: 1, by: "w" }] });
    const book = createWebhookBook(tasks);
    const delivery = (attempt: number, status: number, willRetry: boolean) => ({ kind: "delivery" as const, taskId: "t1", deliveryId: "d", attempt, at: attempt, url: "http://127.0.0.1/x", status, ok: status === 200, latencyMs: 1, willRetry });
    const endpoints = { api: {}, webhook: {} };
    assert.equal(book.view(endpoints, false).deliveries.pending, 1, "a finished task owes its callback");
    book.frame("worker", 0, { webhookEvents: [delivery(1, 503, true), delivery(2, 0, true)] });
    assert.equal(book.view(endpoints, false).deliveries.pending, 1);
    book.frame("worker", 0, { webhookEvents: [delivery(3, 200, false)] });
    book.frame("shop", 0, { webhookEvents: [{ kind: "received", taskId: "t1", at: 4, receiver: "shop[0]", status: 200, signature: "valid" }], receiver: { received: 3, valid: 1, invalid: 0, failedOnPurpose: 2, duplicates: 0 } });
    const view = book.view(endpoints, true);
    assert.deepEqual(view.deliveries, { attempts: 3, retries: 2, delivered: 1, failed: 0, pending: 0 });
    assert.deepEqual(view.callbacks[0], { taskId: "t1", status: "delivered", attempts: 3, retries: 2, received: 1, invalid: 0, lastStatus: 200, deliveredAt: 3 });
    assert.deepEqual(view.receivers.shop, { received: 3, valid: 1, invalid: 0, failedOnPurpose: 2, duplicates: 0 });
    assert.equal(book.drained(), true);
  });
});

describe("webhook signatures", () => {
  const secret = "run-secret";
  const body = Buffer.from('{"taskId":"t1","status":"succeeded"}');

  it("accept the HMAC-SHA256 of the exact body", () => {
    const signature = signBody(secret, body);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(checkSignature(secret, body, signature), "valid");
  });

  it("reject another secret, another body, garbage and a missing header", () => {
    assert.equal(checkSignature(secret, body, signBody("other", body)), "invalid");
    assert.equal(checkSignature(secret, Buffer.from(`${body.toString()} `), signBody(secret, body)), "invalid");
    assert.equal(checkSignature(secret, body, "sha256=00"), "invalid");
    assert.equal(checkSignature(secret, body, undefined), "missing");
  });
});

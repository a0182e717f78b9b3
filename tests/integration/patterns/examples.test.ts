// The pattern examples run headless on the real stack, and their reports say what their comments promise.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadExample, runToReport } from "../../support/engine";

describe("pattern examples run headless on the real stack", { timeout: 600_000 }, () => {
  it("request-reply: 60 requests, each answered (a price or an error), none timed out", async () => {
    const report = await runToReport(loadExample("request-reply"));
    const c = report.patterns?.requests?.["checkout-service/price-lookups"]?.counters;
    assert.ok(c);
    assert.equal(c.sent, 60);
    assert.equal(c.replied + c.errors, 60);
    assert.equal(c.timedOut + c.late + c.unmatched + c.pending, 0);
    assert.equal(report.ledger.lost, 0);
  });

  it("task-queue: 120 tasks end succeeded or failed, each result stored once", async () => {
    const report = await runToReport(loadExample("task-queue"));
    const tasks = report.patterns?.tasks;
    assert.ok(tasks);
    assert.equal(tasks.total, 120);
    assert.equal(tasks.counts.succeeded + tasks.counts.failed, 120);
    assert.ok(tasks.workers["worker/pool"]!.retried > 0, "some attempts were retried");
    assert.ok((report.patterns?.allTasks ?? []).every((t) => t.results === (t.state === "succeeded" ? 1 : 0)));
  });

  it("webhooks: 20 reports accepted and called back; the receiver's outage costs two retries", async () => {
    const report = await runToReport(loadExample("webhooks"));
    const webhooks = report.patterns?.webhooks;
    assert.ok(webhooks);
    assert.equal(webhooks.calls["shop/request-reports"]?.accepted, 20);
    assert.deepEqual(webhooks.deliveries, { attempts: 22, retries: 2, delivered: 20, failed: 0, pending: 0 });
    assert.deepEqual(webhooks.receivers.shop, { received: 22, valid: 20, invalid: 0, failedOnPurpose: 2, duplicates: 0 });
  });

  it("event-sourcing: 600 events folded into stock per sku", async () => {
    const report = await runToReport(loadExample("event-sourcing"));
    const projection = report.patterns?.projections?.["inventory-view/stock-levels"];
    assert.ok(projection);
    assert.equal(projection.applied, 600);
    assert.equal(Object.values(projection.state).reduce((n, s) => n + Number(s.events ?? 0), 0), 600);
    assert.ok(projection.partitions.every((p) => p.position === p.high), JSON.stringify(projection.partitions));
    assert.deepEqual(report.ledger, { confirmed: 600, consumed: 600, lost: 0, duplicated: 0, recovered: 0 });
  });
});

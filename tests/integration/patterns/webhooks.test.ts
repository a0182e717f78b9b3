// Callbacks and webhooks on the real stack: an HTTP API answers 202, a worker does the work from
// a queue, and a signed callback reaches the receiver; retries after failures, 401 for bad
// signatures, and one trace from the HTTP call to the callback.
import assert from "node:assert/strict";
import { request } from "node:http";
import { describe, it } from "node:test";
import { fetchTrace } from "../../support/jaeger-traces";
import { loadScenario, runToReport, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

function scenario(options: { queue: string; count: number; failFirst?: number; signature?: string; backoff?: string }) {
  return loadScenario(`
version: 1
name: ${unique("wh")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    queues: [{ name: ${options.queue} }]
services:
  - name: shop
    apiCalls:
      - name: orders
        api: report-api
        callbackTo: shop
        rate: { perSecond: 20 }
        count: ${options.count}
        body: { orderId: "{{seq}}" }
    webhookReceiver: { path: /hooks, failFirst: ${options.failFirst ?? 0} }
  - name: report-api
    httpApi: { name: reports, path: /reports, broker: rabbit, to: { queue: ${options.queue} }, job: build-report }
  - name: report-worker
    workers:
      - name: builders
        broker: rabbit
        from: { queue: ${options.queue} }
        concurrency: 4
        prefetch: 4
        jobs:
          build-report: { work: { ms: 20 }, result: { url: "https://example.com/{{orderId}}.pdf" } }
        callbacks: { retries: 3, backoffMs: ${options.backoff ?? "[100, 200, 400]"}, timeout: 2s, signature: ${options.signature ?? "valid"} }
`);
}

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("callbacks and webhooks on the real stack", { timeout: 240_000 }, () => {
  it("every task's callback arrives with a valid signature, in one trace from the HTTP call", async () => {
    const report = await runToReport(scenario({ queue: unique("wh.jobs"), count: 30 }));
    assert.equal(report.status, "finished");
    const webhooks = report.patterns?.webhooks;
    assert.ok(webhooks);
    assert.deepEqual(webhooks.calls["shop/orders"], { sent: 30, accepted: 30, rejected: 0, failed: 0, done: true });
    assert.deepEqual(webhooks.api["report-api"], { requests: 30, accepted: 30, rejected: 0, failed: 0 });
    assert.equal(report.patterns?.tasks?.counts.succeeded, 30);
    assert.deepEqual(webhooks.deliveries, { attempts: 30, retries: 0, delivered: 30, failed: 0, pending: 0 });
    assert.deepEqual(webhooks.receivers.shop, { received: 30, valid: 30, invalid: 0, failedOnPurpose: 0, duplicates: 0 });
    const callbacks = report.patterns?.allCallbacks ?? [];
    assert.equal(callbacks.length, 30);
    assert.ok(callbacks.every((c) => c.status === "delivered" && c.received === 1 && c.invalid === 0), "each callback landed once, signed correctly");
    const tasks = report.patterns?.allTasks ?? [];
    assert.ok(tasks.every((t) => t.callback && callbacks.some((c) => c.taskId === t.id)), "every accepted task was called back");
    assert.ok(webhooks.endpoints.api["report-api"]?.[0]?.startsWith("http://127.0.0.1:"), "the API listened on 127.0.0.1");
    assert.deepEqual(report.ledger, { confirmed: 30, consumed: 30, lost: 0, duplicated: 0, recovered: 0 });

    const traceId = callbacks[0]!.traceId!;
    const spans = await waitFor(async () => {
      const found = await fetchTrace(traceId);
      return found && found.some((s) => s.service === "shop" && s.kind === "server") && found.some((s) => s.kind === "consumer") ? found : undefined;
    }, { timeoutMs: 20_000, description: `trace ${traceId} from the HTTP call to the callback` });
    const path = spans.map((s) => `${s.service}:${s.kind}`);
    for (const hop of ["shop:client", "report-api:server", "report-api:producer", "report-worker:consumer", "report-worker:client", "shop:server"]) {
      assert.ok(path.includes(hop), `the trace has ${hop}: ${path.join(", ")}`);
    }
  });

  it("when the receiver fails twice, the third attempt lands and the report shows two retries", async () => {
    const report = await runToReport(scenario({ queue: unique("wh.jobs"), count: 1, failFirst: 2 }));
    const webhooks = report.patterns?.webhooks;
    assert.ok(webhooks);
    assert.deepEqual(webhooks.deliveries, { attempts: 3, retries: 2, delivered: 1, failed: 0, pending: 0 });
    assert.deepEqual(webhooks.receivers.shop, { received: 3, valid: 1, invalid: 0, failedOnPurpose: 2, duplicates: 0 });
    const [callback] = report.patterns?.allCallbacks ?? [];
    assert.deepEqual({ status: callback?.status, attempts: callback?.attempts, retries: callback?.retries, lastStatus: callback?.lastStatus }, { status: "delivered", attempts: 3, retries: 2, lastStatus: 200 });
    const attempts = webhooks.recent.filter((e) => e.kind === "delivery");
    assert.deepEqual(attempts.map((e) => (e.kind === "delivery" ? [e.attempt, e.status, e.willRetry] : [])), [[1, 503, true], [2, 503, true], [3, 200, false]]);
  });

  it("a callback with a bad signature is rejected with 401 and counted, and not retried", async () => {
    const engine = testEngine();
    const run = await engine.start(scenario({ queue: unique("wh.jobs"), count: 3, signature: "wrong-secret" }), { durationMs: 60_000 });
    try {
      const url = await waitFor(() => run.endpoints().webhook.shop?.[0], { description: "the receiver's URL" });
      const body = JSON.stringify({ taskId: "forged", status: "succeeded" });
      assert.equal(await post(url, body, { "x-brokerlab-signature": "sha256=0000" }), 401, "a forged signature");
      assert.equal(await post(url, body, {}), 401, "no signature");
      await waitFor(() => run.latestFrame().patterns?.webhooks?.deliveries.failed === 3, { timeoutMs: 30_000, description: "three failed callbacks" });
    } finally {
      await run.stop();
    }
    const report = await run.done();
    const webhooks = report.patterns?.webhooks;
    assert.ok(webhooks);
    assert.deepEqual(webhooks.receivers.shop, { received: 5, valid: 0, invalid: 5, failedOnPurpose: 0, duplicates: 0 });
    assert.deepEqual(webhooks.deliveries, { attempts: 3, retries: 0, delivered: 0, failed: 3, pending: 0 });
    assert.ok((report.patterns?.allCallbacks ?? []).every((c) => c.status === "failed" && c.lastStatus === 401 && c.invalid === 1));
    assert.equal(report.patterns?.tasks?.counts.succeeded, 3, "the work itself succeeded; only its callback was refused");
  });
});

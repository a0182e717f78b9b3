// Every example runs headless on the real stack, and its report says what the scenario implies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../../../server/config";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import { waitFor } from "../../support/wait-for";
import { loadExample, runToReport } from "../../support/engine";
import type { RunReport } from "../../../lib/run/model";

const jaeger = createJaegerQueryClient({ baseUrl: loadConfig().JAEGER_QUERY_URL });

async function servicesInTrace(traceId: string, expected: string[]): Promise<Set<string>> {
  return waitFor(
    async () => {
      const trace = await jaeger.trace(traceId);
      if (!trace) return undefined;
      const names = new Set(trace.spans.map((span) => trace.processes[span.processID]!.serviceName));
      return expected.every((name) => names.has(name)) ? names : undefined;
    },
    { timeoutMs: 20_000, description: `trace ${traceId} with spans from ${expected.join(", ")}` },
  );
}

const consumer = (report: RunReport, key: string) => {
  const counters = report.consumers[key];
  assert.ok(counters, `the report has consumer ${key} (has ${Object.keys(report.consumers).join(", ")})`);
  return counters;
};

describe("examples run headless on the real stack", { timeout: 600_000 }, () => {
  it("order-inventory: 200 orders confirmed and consumed with manual ack, nothing lost, one trace across both services", async () => {
    const report = await runToReport(loadExample("order-inventory"));
    assert.equal(report.status, "finished");
    assert.deepEqual(report.producers["order-service/new-orders"], { published: 200, confirmed: 200, failed: 0, returned: 0 });
    const stock = consumer(report, "inventory-service/update-stock");
    assert.equal(stock.acked, 200);
    assert.deepEqual(report.ledger, { confirmed: 200, consumed: 200, lost: 0, duplicated: 0, recovered: 0 });
    assert.ok(report.latencyMs.p50 > 0, "latency was measured");
    assert.ok(report.traces.sample.length > 0, "the report names sample traces");
    await servicesInTrace(report.traces.sample[0]!, ["order-service", "inventory-service"]);
  });

  it("fanout-logs: every log line reaches both subscribers (fan-out ×2)", async () => {
    const report = await runToReport(loadExample("fanout-logs"));
    assert.equal(consumer(report, "log-archiver/archive").acked, 100);
    assert.equal(consumer(report, "log-monitor/watch").acked, 100);
    assert.equal(report.ledger.confirmed, 100);
    assert.equal(report.ledger.consumed, 100);
    assert.equal(report.ledger.lost, 0);
  });

  it("topic-order-events: '#' and 'order.*' see every event, 'order.paid' only some", async () => {
    const report = await runToReport(loadExample("topic-order-events"));
    assert.equal(report.producers["order-service/order-events"]!.confirmed, 150);
    assert.equal(report.producers["order-service/order-events"]!.returned, 0);
    const received = Object.fromEntries(Object.entries(report.consumers).map(([key, c]) => [key, c.received]));
    const all = Object.values(received).filter((n) => n === 150).length;
    assert.equal(all, 2, `two queues get all 150 events: ${JSON.stringify(received)}`);
    const paid = consumer(report, "shipping-service/ship-paid-orders").received;
    assert.ok(paid > 0 && paid < 150, `order.paid gets a share: ${paid}`);
    assert.equal(report.ledger.lost, 0);
  });

  it("kafka-partitions: each consumer group gets every keyed message once, and lag ends at 0", async () => {
    const report = await runToReport(loadExample("kafka-partitions"));
    assert.equal(report.producers["checkout-service/orders"]!.confirmed, 120);
    const billing = consumer(report, "billing-service/charge");
    const analytics = consumer(report, "analytics-service/count");
    assert.equal(billing.acked, 120);
    assert.equal(analytics.acked, 120);
    assert.equal(billing.duplicates + analytics.duplicates, 0);
    assert.ok(billing.replicas.filter((r) => r.received > 0).length === 2, `both billing members got partitions: ${JSON.stringify(billing.replicas)}`);
    assert.deepEqual(report.ledger, { confirmed: 120, consumed: 120, lost: 0, duplicated: 0, recovered: 0 });
    for (const group of report.lag) assert.equal(group.total, 0, `lag of ${group.group}`);
  });

  it("work-queue: three competing consumers share the jobs", async () => {
    const report = await runToReport(loadExample("work-queue"));
    const [key] = Object.keys(report.consumers);
    const workers = consumer(report, key!);
    assert.equal(workers.acked, report.ledger.confirmed);
    assert.equal(workers.replicas.length, 3);
    const counts = workers.replicas.map((r) => r.acked);
    const fair = workers.acked / 3;
    for (const count of counts) assert.ok(count > fair * 0.5 && count < fair * 1.5, `each worker does about a third: ${counts.join(", ")}`);
    assert.equal(report.ledger.lost, 0);
  });

  it("retry-dead-letter: exactly the poison message exhausts its retries and lands in the DLQ", async () => {
    const report = await runToReport(loadExample("retry-dead-letter"));
    const charge = consumer(report, "payment-service/charge");
    assert.equal(charge.deadLettered, 1);
    assert.ok(charge.retried >= 3, `the poison message was retried 3 times (retried=${charge.retried})`);
    assert.equal(report.queues.find((q) => q.name === "payments.dead")?.messages, 1);
    assert.equal(report.ledger.consumed, 100);
    assert.equal(report.ledger.lost, 0);
  });

  it("order-chain: one trace follows an order through three services", async () => {
    const report = await runToReport(loadExample("order-chain"));
    assert.equal(consumer(report, "payment-service/charge").forwarded, 50);
    assert.equal(consumer(report, "shipping-service/ship").acked, 50);
    assert.deepEqual(report.ledger, { confirmed: 100, consumed: 100, lost: 0, duplicated: 0, recovered: 0 });
    const chained = report.traces.sample[0]!;
    await servicesInTrace(chained, ["order-service", "payment-service", "shipping-service"]);
  });
});

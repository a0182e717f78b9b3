// Kafka in real service processes: a keyed producer, a consumer group that forwards to a second
// topic (one trace across three services) and retries a poison message through the retry topic
// before its dead-letter topic; and link propagation, where the CONSUMER span starts a new trace.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { kafkaDeadLetterTopicName, kafkaRetryTopicName, withDerivedResources } from "../../../lib/scenario/derived";
import type { Topic } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import { createKafkaAdmin } from "../../../server/brokers";
import { fetchTrace } from "../../support/jaeger-traces";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import type { ServiceInput } from "../../support/service-input";
import { waitFor } from "../../support/wait-for";

const admin = createKafkaAdmin({ brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","), clientId: "brokerlab-test" });
const created: Topic[] = [];
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  await admin.teardown(created).catch(() => {});
  await admin.close();
});

async function declare(services: ServiceInput[], topics: string[]): Promise<void> {
  const result = validateScenario({
    version: 1, name: "kafka-chain", brokers: { kafka: { kind: "kafka" } },
    resources: { kafka: { topics: topics.map((name) => ({ name, partitions: 3 })) } },
    services,
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const resources = withDerivedResources(result.scenario).resources.kafka!;
  assert.equal(resources.kind, "kafka");
  created.push(...resources.topics);
  await admin.apply(resources.topics);
}

const ready = (service: ForkedService) => service.until(() => service.messages.some((m) => m.type === "ready"), "the service to be ready", 40_000);

test("a forward keeps one trace across three services; a poison record goes retry topic → dead-letter topic", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const orders = `bl-it-orders-${id}`;
  const payments = `bl-it-payments-${id}`;
  const group = `billing-${id}`;
  const billing: ServiceInput = {
    name: `billing-${id}`,
    consumers: [{
      name: "charge", broker: "kafka", from: { topic: orders, group, fromBeginning: true },
      failures: { poison: { field: "orderId", equals: 7 } }, onError: { retries: 1, backoffMs: [300], then: "dead-letter" },
      forward: { broker: "kafka", to: { topic: payments, key: "{{customerId}}" }, payload: { orderId: "{{orderId}}", paid: true } },
    }],
  };
  const shipping: ServiceInput = { name: `shipping-${id}`, consumers: [{ name: "ship", broker: "kafka", from: { topic: payments, group: `shipping-${id}`, fromBeginning: true } }] };
  const shop: ServiceInput = {
    name: `shop-${id}`,
    producers: [{ name: "orders", broker: "kafka", to: { topic: orders, key: "{{customerId}}" }, rate: { burst: 20 }, count: 20, payload: { orderId: "{{seq}}", customerId: "{{pick ann bob cy}}" } }],
  };
  await declare([shop, billing, shipping], [orders, payments]);
  assert.ok(created.some((t) => t.name === kafkaRetryTopicName(orders, group)) && created.some((t) => t.name === kafkaDeadLetterTopicName(orders, group)));

  const consumers = [forkService(launchFor({ runId, service: billing })), forkService(launchFor({ runId, service: shipping }))];
  running.push(...consumers);
  const [biller, shipper] = consumers as [ForkedService, ForkedService];
  await Promise.all(consumers.map(ready));
  const producer = forkService(launchFor({ runId, service: shop }));
  running.push(producer);

  const charged = await biller.until(() => { const c = biller.consumer("charge"); return c && c.deadLettered === 1 && c.forwarded === 19 ? c : undefined; }, "19 forwards and one dead letter", 40_000);
  assert.equal(charged.retried, 1);
  assert.equal(charged.failed, 2);
  await shipper.until(() => shipper.consumer("ship")?.acked === 19, "19 shipments", 30_000);
  const lags = await admin.groupLag("nobody", [kafkaDeadLetterTopicName(orders, group)]);
  assert.equal(lags.reduce((sum, p) => sum + p.high, 0), 1, "the dead-letter topic holds the poison record");
  assert.ok(biller.confirmedIds.every((fid) => fid.startsWith(`billing-${id}/charge/shop-${id}/orders/`)), "forward ids name their origin");

  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.id === `shop-${id}/orders/1`), "the first order's published event");
  assert.ok(published.traceId);
  const spans = await waitFor(async () => {
    const trace = await fetchTrace(published.traceId!);
    return trace && new Set(trace.map((s) => s.service)).size === 3 && trace.filter((s) => s.kind === "consumer").length >= 2 ? trace : undefined;
  }, { timeoutMs: 20_000, intervalMs: 500, description: "one trace holding shop, billing and shipping" });
  assert.ok(spans.some((s) => s.service === `shop-${id}` && s.kind === "producer"));
  assert.ok(spans.some((s) => s.service === `billing-${id}` && s.kind === "producer" && s.tags["messaging.message.id"] === `billing-${id}/charge/shop-${id}/orders/1`));
  assert.ok(spans.some((s) => s.service === `shipping-${id}` && s.kind === "consumer"));

  for (const service of [producer, biller, shipper]) assert.equal(await service.stop(), 0);
});

test("with link propagation the Kafka CONSUMER span starts its own trace and links to the producer's", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const topic = `bl-it-events-${id}`;
  const reader: ServiceInput = { name: `reader-${id}`, consumers: [{ name: "read", broker: "kafka", from: { topic, group: `reader-${id}`, fromBeginning: true } }] };
  const writer: ServiceInput = { name: `writer-${id}`, producers: [{ name: "events", broker: "kafka", to: { topic }, rate: { burst: 3 }, count: 3 }] };
  await declare([writer, reader], [topic]);
  const consumer = forkService(launchFor({ runId, service: reader, propagation: "link" }));
  running.push(consumer);
  await ready(consumer);
  const producer = forkService(launchFor({ runId, service: writer, propagation: "link" }));
  running.push(producer);
  await consumer.until(() => consumer.consumer("read")?.acked === 3, "three records", 30_000);

  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.traceId), "a published event with its trace id");
  const delivered = consumer.events.find((e) => e.kind === "delivered" && e.id === published.id)!;
  assert.ok(delivered.traceId && delivered.traceId !== published.traceId, "the consumer runs in a trace of its own");
  const spans = await waitFor(async () => {
    const trace = await fetchTrace(delivered.traceId!);
    return trace?.some((s) => s.kind === "consumer") ? trace : undefined;
  }, { timeoutMs: 20_000, intervalMs: 500, description: "the consumer's trace in Jaeger" });
  const span = spans.find((s) => s.kind === "consumer")!;
  assert.equal(span.service, `reader-${id}`);
  assert.equal(span.tags["brokerlab.run.id"], runId);
  assert.equal(span.tags["messaging.message.id"], published.id);
  assert.ok(span.references.some((r) => r.traceID === published.traceId && r.refType !== "CHILD_OF"), "a link (FOLLOWS_FROM) to the producer's trace");
  assert.ok(!span.references.some((r) => r.refType === "CHILD_OF"), "no parent");
  for (const service of [producer, consumer]) assert.equal(await service.stop(), 0);
});

test("requeue on Kafka processes the same record again in place, counted as redelivered", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const topic = `bl-it-jobs-${id}`;
  const worker: ServiceInput = { name: `worker-${id}`, consumers: [{ name: "work", broker: "kafka", from: { topic, group: `worker-${id}`, fromBeginning: true }, failures: { errorRate: 0.3 }, onError: "requeue" }] };
  const feeder: ServiceInput = { name: `feeder-${id}`, producers: [{ name: "jobs", broker: "kafka", to: { topic }, rate: { burst: 30 }, count: 30 }] };
  await declare([feeder, worker], [topic]);
  const consumer = forkService(launchFor({ runId, service: worker }));
  running.push(consumer);
  await ready(consumer);
  const producer = forkService(launchFor({ runId, service: feeder }));
  running.push(producer);
  const counters = await consumer.until(() => { const c = consumer.consumer("work"); return c && c.acked === 30 && c.inFlight === 0 ? c : undefined; }, "all 30 processed", 30_000);
  assert.ok(counters.requeued > 0);
  assert.equal(counters.redelivered, counters.requeued);
  assert.equal(counters.received, 30 + counters.requeued);
  assert.equal(counters.nacked, 0, "Kafka has no nack");
  assert.deepEqual([...new Set(consumer.consumedIds.work)].length, 30);
  for (const service of [producer, consumer]) assert.equal(await service.stop(), 0);
});

// Two real service processes, forked the way the engine forks them: order-service publishes to a
// queue, inventory-service consumes it. Checks the counters, the ledger ids, the latency windows
// and that a published message's trace in Jaeger holds both services' PRODUCER and CONSUMER spans.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import * as hdr from "hdr-histogram-js";
import type { Queue, RabbitResources } from "../../../lib/scenario/schema";
import { createRabbitAdmin } from "../../../server/brokers";
import { fetchTrace, searchTraces } from "../../support/jaeger-traces";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import { waitFor } from "../../support/wait-for";

const url = process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672";
const admin = createRabbitAdmin({ url, managementUrl });
const resources: RabbitResources = { exchanges: [], queues: [], bindings: [] };
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  await admin.teardown(resources).catch(() => {});
  await admin.close();
});

test("a producer process and a consumer process move every message, and Jaeger holds the trace", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue: Queue = { name: `bl-it-orders-${id}`, type: "classic", durable: true, autoDelete: false, existing: false };
  resources.queues.push(queue);
  await admin.apply({ exchanges: [], queues: [queue], bindings: [] });
  const producerService = `order-service-${id}`;
  const consumerService = `inventory-service-${id}`;
  const total = 40;

  const consumer = forkService(launchFor({
    runId,
    service: {
      name: consumerService,
      consumers: [{ name: "update-stock", broker: "rabbit", from: { queue: queue.name }, ack: "manual", prefetch: 10, concurrency: 2, work: { ms: 2, jitterMs: 1 } }],
    },
  }));
  running.push(consumer);
  await consumer.until(() => consumer.messages.some((m) => m.type === "ready"), "the consumer to be ready");

  const producer = forkService(launchFor({
    runId,
    service: {
      name: producerService,
      producers: [{ name: "new-orders", broker: "rabbit", to: { queue: queue.name }, rate: { perSecond: 200 }, count: total, payload: { orderId: "{{seq}}", customerId: "{{randomInt 1 5}}" } }],
    },
  }));
  running.push(producer);
  await producer.until(() => producer.messages.some((m) => m.type === "producer-done"), "the producer to finish", 30_000);
  await producer.until(() => producer.producer("new-orders")?.done, "a frame that shows the producer done");
  await consumer.until(() => consumer.consumer("update-stock")?.acked === total, `all ${total} messages to be acked`, 30_000);

  const sent = producer.producer("new-orders")!;
  assert.equal(sent.published, total);
  assert.equal(sent.confirmed, total);
  assert.equal(sent.failed, 0);
  assert.equal(sent.done, true);
  const got = consumer.consumer("update-stock")!;
  assert.equal(got.received, total);
  assert.equal(got.duplicates, 0);
  assert.equal(got.failed, 0);

  const expected = Array.from({ length: total }, (_, i) => `${producerService}/new-orders/${i + 1}`).sort();
  assert.deepEqual([...producer.confirmedIds].sort(), expected, "every id confirmed once");
  assert.deepEqual([...(consumer.consumedIds["update-stock"] ?? [])].sort(), expected, "every id consumed once");
  assert.ok(producer.messages.some((m) => m.type === "state" && m.broker === "rabbit" && m.state === "connected"));

  const windows = consumer.frames.flatMap((f) => Object.values(f.histograms));
  const recorded = windows.reduce((sum, w) => sum + hdr.decodeFromCompressedBase64(w.endToEnd).totalCount, 0);
  assert.equal(recorded, total, "one end-to-end latency per message");
  const queueWaits = windows.reduce((sum, w) => sum + hdr.decodeFromCompressedBase64(w.queueWait).totalCount, 0);
  assert.equal(queueWaits, total);

  assert.equal(await producer.stop(), 0, "the producer exits 0 on stop");
  assert.equal(await consumer.stop(), 0, "the consumer exits 0 on stop");
  assert.equal(producer.frames.at(-1)?.droppedSpans, 0);

  const published = producer.events.find((e) => e.kind === "published" && e.traceId);
  assert.ok(published?.traceId, "published events carry the trace id");
  assert.ok(consumer.events.some((e) => e.kind === "delivered" && e.traceId === published.traceId), "the consumer saw the same trace");

  const spans = await waitFor(async () => {
    const trace = await fetchTrace(published.traceId!);
    const ok = trace?.some((s) => s.service === producerService && s.kind === "producer") && trace.some((s) => s.service === consumerService && s.kind === "consumer");
    return ok ? trace : undefined;
  }, { timeoutMs: 20_000, intervalMs: 500, description: `trace ${published.traceId} in Jaeger with both services` });
  const producerSpan = spans.find((s) => s.kind === "producer")!;
  const consumerSpan = spans.find((s) => s.kind === "consumer")!;
  assert.equal(producerSpan.tags["messaging.message.id"], published.id);
  assert.equal(consumerSpan.tags["messaging.message.id"], published.id);
  assert.equal(consumerSpan.tags["messaging.destination.name"], queue.name);
  assert.ok(consumerSpan.references.some((r) => r.refType === "CHILD_OF" && r.spanID === producerSpan.spanId), "parent propagation: CONSUMER is a child of PRODUCER");
  for (const span of spans) assert.equal(span.tags["brokerlab.run.id"], runId, `${span.operation} carries the run id`);

  const found = await waitFor(async () => {
    const ids = await searchTraces(consumerService, { "brokerlab.run.id": runId });
    return ids.length >= total ? ids : undefined;
  }, { timeoutMs: 20_000, intervalMs: 500, description: "a Jaeger search by run id to find the run's traces" });
  assert.ok(found.includes(published.traceId!));
});

test("manual sends go out on the engine's command, and an unreachable collector only drops spans", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue: Queue = { name: `bl-it-manual-${id}`, type: "classic", durable: true, autoDelete: false, existing: false };
  resources.queues.push(queue);
  await admin.apply({ exchanges: [], queues: [queue], bindings: [] });

  const consumer = forkService(launchFor({ runId, tracing: false, service: { name: `reader-${id}`, consumers: [{ name: "read", broker: "rabbit", from: { queue: queue.name } }] } }));
  running.push(consumer);
  const producerLaunch = launchFor({ runId, service: { name: `clicker-${id}`, producers: [{ name: "button", broker: "rabbit", to: { queue: queue.name }, rate: { manual: true }, payload: { n: "{{seq}}" } }] } });
  producerLaunch.tracing.otlpEndpoint = "http://127.0.0.1:1";
  const producer = forkService(producerLaunch);
  running.push(producer);
  await Promise.all([consumer, producer].map((s) => s.until(() => s.messages.some((m) => m.type === "ready"), "ready")));

  producer.send({ type: "send", producer: "button", count: 5, payload: { n: "manual" } });
  await consumer.until(() => consumer.consumer("read")?.acked === 5, "five manual messages");
  await producer.until(() => producer.producer("button")?.confirmed === 5, "five confirmed");
  assert.deepEqual(producer.producer("button"), { published: 5, confirmed: 5, returned: 0, failed: 0, inFlight: 0, done: false });
  assert.ok(consumer.events.filter((e) => e.kind === "delivered").every((e) => e.traceId === undefined), "no tracing, no trace ids");
  await producer.until(() => (producer.frames.at(-1)?.droppedSpans ?? 0) >= 5, "the failed span exports to be counted as dropped", 15_000);

  producer.send({ type: "log-sampling", every: 1_000_000 });
  producer.send({ type: "send", producer: "button", count: 3 });
  await consumer.until(() => consumer.consumer("read")?.acked === 8, "three more");
  const sampled = producer.events.filter((e) => e.id.endsWith("/6") || e.id.endsWith("/7") || e.id.endsWith("/8"));
  assert.ok(sampled.length < 6, "sampling thins the message log, never the counters");
  await producer.until(() => producer.producer("button")?.confirmed === 8, "eight confirmed");
  assert.equal(await producer.stop(), 0);
  assert.equal(await consumer.stop(), 0);
});

test("with link propagation on RabbitMQ the CONSUMER span links to the PRODUCER span instead of being its child", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue: Queue = { name: `bl-it-link-${id}`, type: "classic", durable: true, autoDelete: false, existing: false };
  resources.queues.push(queue);
  await admin.apply({ exchanges: [], queues: [queue], bindings: [] });
  const consumer = forkService(launchFor({ runId, propagation: "link", service: { name: `linked-${id}`, consumers: [{ name: "read", broker: "rabbit", from: { queue: queue.name } }] } }));
  running.push(consumer);
  await consumer.until(() => consumer.messages.some((m) => m.type === "ready"), "ready");
  const producer = forkService(launchFor({ runId, propagation: "link", service: { name: `linker-${id}`, producers: [{ name: "p", broker: "rabbit", to: { queue: queue.name }, rate: { burst: 2 }, count: 2 }] } }));
  running.push(producer);
  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.traceId), "a published event");
  const delivered = await consumer.until(() => consumer.events.find((e) => e.kind === "delivered" && e.id === published.id), "its delivery");
  assert.notEqual(delivered.traceId, published.traceId);
  const spans = await waitFor(async () => (await fetchTrace(delivered.traceId!))?.filter((s) => s.kind === "consumer"), { timeoutMs: 20_000, intervalMs: 500, description: "the consumer trace" });
  assert.ok(spans[0]!.references.some((r) => r.traceID === published.traceId && r.refType === "FOLLOWS_FROM"));
  assert.equal(await producer.stop(), 0);
  assert.equal(await consumer.stop(), 0);
});

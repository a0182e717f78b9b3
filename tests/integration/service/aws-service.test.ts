// Amazon SQS in real service processes against the local emulator: a producer's 50 messages all
// consumed (lost 0), a FIFO queue's per-group order, a failed message coming back after its 1 s
// visibility timeout counted as redelivered, a killed consumer losing nothing, redrive to a
// dead-letter queue after maxReceiveCount, messages sent by a boto3 program (no Brokerlab or trace
// attributes) consumed and counted, and link propagation (the CONSUMER span links to the PRODUCER).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { ServiceLaunch } from "../../../lib/run/ipc";
import { createAwsClients } from "../../../server/brokers/aws/clients";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import type { ServiceInput } from "../../support/service-input";
import { boto3Missing, sendWithBoto3 } from "../../support/boto3";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

const endpoint = { endpoint: process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4566", region: process.env.AWS_REGION ?? "us-east-1" };
const sdk = createAwsClients(endpoint);
const queueUrls: string[] = [];
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  for (const QueueUrl of queueUrls) await sdk.sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => {});
  sdk.destroy();
});

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const fifo = name.endsWith(".fifo") ? { FifoQueue: "true" } : {};
  const { QueueUrl } = await sdk.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...fifo, ...attributes } }));
  queueUrls.push(QueueUrl!);
  return QueueUrl!;
}

function start(runId: string, service: ServiceInput, resources: Record<string, unknown> = {}, propagation: "parent" | "link" = "parent"): ForkedService {
  const launch: ServiceLaunch = launchFor({ runId, service, propagation });
  launch.brokers = { ...launch.brokers, aws: { kind: "aws", ...endpoint } };
  launch.resources = { aws: { kind: "aws", queues: [], topics: [], subscriptions: [], buses: [], rules: [], ...resources } } as ServiceLaunch["resources"];
  const forked = forkService(launch);
  running.push(forked);
  return forked;
}

const ready = (service: ForkedService) => service.until(() => service.messages.some((m) => m.type === "ready"), "the service to be ready");

async function visibleAndInFlight(QueueUrl: string): Promise<number> {
  const { Attributes } = await sdk.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

const producerOf = (id: string, queue: string, count: number): ServiceInput =>
  ({ name: `shop-${id}`, producers: [{ name: "orders", broker: "aws", to: { queue }, rate: { burst: count }, count, payload: { orderId: "{{seq}}" } }] });

test("a producer's 50 messages to an SQS queue are all consumed, none lost or seen twice", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}`;
  const QueueUrl = await createQueue(queue);
  const consumer = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue, waitSeconds: 1 }, concurrency: 5 }] });
  await ready(consumer);
  const producer = start(runId, { name: `shop-${id}`, producers: [{ name: "orders", broker: "aws", to: { queue }, rate: { burst: 50 }, count: 50, payload: { orderId: "{{seq}}" } }] });

  await producer.until(() => producer.producer("orders")?.done, "the producer to finish");
  const confirmed = new Set(producer.confirmedIds);
  assert.equal(confirmed.size, 50, "every send answered with a MessageId");
  const counters = await consumer.until(() => {
    const c = consumer.consumer("work");
    return c && c.acked >= 50 ? c : undefined;
  }, "50 messages consumed", 30_000);
  const consumed = new Set(consumer.consumedIds.work);
  const lost = [...confirmed].filter((messageId) => !consumed.has(messageId));
  assert.deepEqual(lost, [], "lost 0");
  assert.equal(counters.duplicates, 0);
  assert.equal(counters.redelivered, 0);
  assert.equal(producer.producer("orders")?.failed, 0);
  // The acks are DeleteMessage calls: the queue ends empty.
  await waitFor(async () => (await visibleAndInFlight(QueueUrl)) === 0 || undefined, { timeoutMs: 10_000, description: "the queue to be empty" });
  assert.equal(await consumer.stop(), 0);
  assert.equal(await producer.stop(), 0);
});

test("a FIFO queue keeps each message group's order through a consumer with concurrency", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}.fifo`;
  await createQueue(queue, { ContentBasedDeduplication: "false" });
  const consumer = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue }, concurrency: 5, work: { ms: 5, jitterMs: 5 } }] });
  await ready(consumer);
  const producer = start(runId, {
    name: `shop-${id}`,
    producers: ["a", "b", "c"].map((group) => ({
      name: `orders-${group}`, broker: "aws", to: { queue, groupId: `customer-${group}`, deduplicationId: `${group}-{{seq}}` }, rate: { burst: 15 }, count: 15, payload: { orderId: "{{seq}}" },
    })),
  });
  await consumer.until(() => (consumer.consumer("work")?.acked ?? 0) >= 45 || undefined, "45 messages consumed", 30_000);
  for (const group of ["a", "b", "c"]) {
    const seqs = consumer.events.filter((e) => e.kind === "processed" && e.id.includes(`/orders-${group}/`)).map((e) => Number(e.id.split("/").at(-1)));
    assert.equal(seqs.length, 15, `group ${group}: every message processed once`);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), `group ${group} processed in send order`);
  }
  await Promise.all([consumer.stop(), producer.stop()]);
});

test("a failed message comes back after its 1 s visibility timeout, counted as redelivered", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}`;
  await createQueue(queue, { VisibilityTimeout: "1" });
  const consumer = start(runId, {
    name: `worker-${id}`,
    consumers: [{ name: "work", broker: "aws", from: { queue }, failures: { poison: { field: "orderId", equals: 3 } }, onError: { retries: 0, then: "requeue" } }],
  });
  await ready(consumer);
  const producer = start(runId, { name: `shop-${id}`, producers: [{ name: "orders", broker: "aws", to: { queue }, rate: { burst: 5 }, count: 5, payload: { orderId: "{{seq}}" } }] });
  const poison = `shop-${id}/orders/3`;
  const deliveries = await consumer.until(() => {
    const seen = consumer.events.filter((e) => e.kind === "delivered" && e.id === poison);
    return seen.length >= 2 ? seen : undefined;
  }, "the failed message delivered again", 15_000);
  const counters = consumer.consumer("work")!;
  assert.ok(counters.redelivered >= 1, `redelivered counted (${counters.redelivered})`);
  assert.ok(counters.requeued >= 1, "the failure left it to the visibility timeout");
  assert.equal(deliveries[1]!.redelivered, true);
  const gapMs = deliveries[1]!.at - deliveries[0]!.at;
  assert.ok(gapMs >= 800, `it came back after the visibility timeout, not at once (${gapMs} ms)`);
  await consumer.until(() => (consumer.consumedIds.work?.length ?? 0) >= 4 || undefined, "the four good messages consumed");
  assert.ok(!consumer.consumedIds.work!.includes(poison), "the failing message is never counted consumed");
  await Promise.all([consumer.stop(), producer.stop()]);
});

test("messages sent by a boto3 program, without Brokerlab or trace attributes, are consumed and counted", { skip: boto3Missing() }, async () => {
  const id = randomUUID().slice(0, 8);
  const queue = `bl-it-${id}`;
  const QueueUrl = await createQueue(queue);
  const consumer = start(`it-${id}`, { name: `worker-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue } }] });
  await ready(consumer);
  const sent = await sendWithBoto3(endpoint, queue, [JSON.stringify({ orderId: 42, from: "legacy-shop" }), "plain text, not even JSON"]);
  assert.equal(sent.length, 2, "SQS answered both sends with a MessageId");
  const counters = await consumer.until(() => {
    const c = consumer.consumer("work");
    return c && c.acked >= 2 ? c : undefined;
  }, "the outside messages consumed");
  assert.equal(counters.received, 2);
  assert.equal(counters.failed, 0);
  const processed = consumer.events.filter((e) => e.kind === "processed").map((e) => e.id);
  assert.equal(processed.length, 2);
  for (const messageId of processed) assert.ok(messageId.startsWith(`external/${queue}/`), `counted as an external message (${messageId})`);
  await waitFor(async () => (await visibleAndInFlight(QueueUrl)) === 0 || undefined, { timeoutMs: 10_000, description: "the message deleted" });
  assert.equal(await consumer.stop(), 0);
});

test("a consumer killed before its ack loses nothing: the next process gets the message after the visibility timeout", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}`;
  await createQueue(queue, { VisibilityTimeout: "1" });
  const first = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue }, concurrency: 1, failures: { crashAfter: 3 } }] });
  await ready(first);
  const producer = start(runId, producerOf(id, queue, 10));
  assert.equal(await first.exited, 1, "crashAfter exits 1 before acking the third message");
  const second = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue } }] });
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish");
  const confirmed = producer.confirmedIds;
  assert.equal(confirmed.length, 10);
  await second.until(() => {
    const consumed = new Set([...(first.consumedIds.work ?? []), ...(second.consumedIds.work ?? [])]);
    return confirmed.every((messageId) => consumed.has(messageId)) || undefined;
  }, "every confirmed message consumed by one process or the other (lost 0)", 20_000);
  assert.equal(first.consumedIds.work?.length, 2, "the first process consumed two before it died");
  assert.ok(second.consumer("work")!.redelivered >= 1, "what the dead process held came back redelivered");
  await Promise.all([second.stop(), producer.stop()]);
});

test("a message failing maxReceiveCount times is redriven by SQS to the dead-letter queue, counted dead-lettered", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}`;
  const dlqUrl = await createQueue(`${queue}-dlq`);
  const { Attributes } = await sdk.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));
  await createQueue(queue, { VisibilityTimeout: "1", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }) });
  const consumer = start(runId, {
    name: `worker-${id}`,
    consumers: [{ name: "work", broker: "aws", from: { queue }, failures: { poison: { field: "orderId", equals: 2 } }, onError: { retries: 0, then: "dead-letter" } }],
  }, { queues: [{ name: queue, visibilityTimeout: 1_000, deadLetter: { queue: `${queue}-dlq`, maxReceiveCount: 2 } }, { name: `${queue}-dlq`, visibilityTimeout: 30_000 }] });
  await ready(consumer);
  const producer = start(runId, producerOf(id, queue, 4));
  const counters = await consumer.until(() => {
    const c = consumer.consumer("work");
    return c && c.deadLettered === 1 && c.acked >= 3 ? c : undefined;
  }, "three processed and the poison dead-lettered", 20_000);
  assert.equal(counters.failed, 2, "it failed on both receives SQS allows");
  assert.equal(counters.redelivered, 1);
  assert.ok(consumer.consumedIds.work!.includes(`shop-${id}/orders/2`), "a dead-lettered message is accounted for, not lost");
  await waitFor(async () => (await visibleAndInFlight(dlqUrl)) === 1 || undefined, { timeoutMs: 15_000, description: "SQS to move the message to the dead-letter queue" });
  await Promise.all([consumer.stop(), producer.stop()]);
});

test("with link propagation the SQS CONSUMER span starts its own trace and links to the PRODUCER span", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const queue = `bl-it-${id}`;
  await createQueue(queue);
  const consumer = start(runId, { name: `linked-${id}`, consumers: [{ name: "work", broker: "aws", from: { queue } }] }, {}, "link");
  await ready(consumer);
  const producer = start(runId, producerOf(id, queue, 2), {}, "link");
  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.traceId), "a published event");
  const delivered = await consumer.until(() => consumer.events.find((e) => e.kind === "delivered" && e.id === published.id), "its delivery");
  assert.notEqual(delivered.traceId, published.traceId);
  const spans = await waitFor(async () => (await fetchTrace(delivered.traceId!))?.filter((s) => s.kind === "consumer"), { timeoutMs: 20_000, intervalMs: 500, description: "the consumer trace" });
  assert.equal(spans[0]!.operation, `process ${queue}`);
  assert.ok(spans[0]!.references.some((r) => r.traceID === published.traceId && r.refType === "FOLLOWS_FROM"), "linked to the producer's trace");
  await Promise.all([consumer.stop(), producer.stop()]);
});

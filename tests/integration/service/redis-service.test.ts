// Redis in real service processes against the local redis-server: Pub/Sub fans out to every
// subscriber and loses what is published while a subscriber is down (counted lost, with the reason
// on the confirm); a Streams consumer group shares the entries between two consumers, loses nothing
// when a consumer crashes before its XACK (the other claims the entry after its idle time), and
// moves an entry delivered too often to the dead-letter stream; one trace runs from the producer's
// send span to the consumer's process span.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { createClient } from "redis";
import type { ServiceLaunch } from "../../../lib/run/ipc";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import type { ServiceInput } from "../../support/service-input";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = createClient({ url });
const keys: string[] = [];
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  if (redis.isOpen) {
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  }
});

async function createStream(stream: string, group: string): Promise<void> {
  if (!redis.isOpen) await redis.connect();
  await redis.xGroupCreate(stream, group, "$", { MKSTREAM: true });
  keys.push(stream);
}

type Streams = { name: string; claimIdle?: number; deadLetter?: { stream: string; maxDeliveries: number } }[];

/** `replica` of two: a consumer group's members need names of their own (a producer stays alone, or it would send half). */
function start(runId: string, service: ServiceInput, streams: Streams = [], replica?: number): ForkedService {
  const launch: ServiceLaunch = launchFor({ runId, service, ...(replica === undefined ? {} : { replica, replicas: 2 }) });
  launch.brokers = { ...launch.brokers, redis: { kind: "redis", url } };
  launch.resources = { redis: { kind: "redis", streams: streams.map((s) => ({ claimIdle: 5_000, existing: false, ...s })), channels: [] } } as ServiceLaunch["resources"];
  const forked = forkService(launch);
  running.push(forked);
  return forked;
}

// Generous: on a busy machine a service process takes a while to load its broker clients.
const ready = (service: ForkedService) => service.until(() => service.messages.some((m) => m.type === "ready"), "the service to be ready", 60_000);
const producerOf = (id: string, to: { stream: string } | { channel: string }, count: number, perSecond?: number): ServiceInput =>
  ({ name: `shop-${id}`, producers: [{ name: "orders", broker: "redis", to, rate: perSecond ? { perSecond } : { burst: count }, count, payload: { orderId: "{{seq}}" } }] });
const consumed = (service: ForkedService, name = "work") => new Set(service.consumedIds[name] ?? []);

test("Pub/Sub fans out: each of two subscribers gets all 20 messages", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const channel = `bl-it-${id}`;
  const a = start(runId, { name: `a-${id}`, consumers: [{ name: "work", broker: "redis", from: { channel } }] });
  const b = start(runId, { name: `b-${id}`, consumers: [{ name: "work", broker: "redis", from: { channelPattern: `bl-it-${id.slice(0, 4)}*` } }] });
  await Promise.all([ready(a), ready(b)]);
  const producer = start(runId, producerOf(id, { channel }, 20));
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish", 60_000);
  // The last ids reach the test with the process's next frame.
  await producer.until(() => producer.confirmedIds.length >= 20 || undefined, "20 confirmed ids");
  assert.equal(producer.confirmedIds.length, 20);
  await a.until(() => consumed(a).size >= 20 || undefined, "20 messages at the channel subscriber");
  await b.until(() => consumed(b).size >= 20 || undefined, "20 messages at the pattern subscriber");
  assert.deepEqual([...consumed(a)].sort(), [...producer.confirmedIds].sort());
  assert.deepEqual([...consumed(b)].sort(), [...producer.confirmedIds].sort());
  assert.equal(await a.stop(), 0);
  assert.equal(await b.stop(), 0);
});

test("Pub/Sub is fire-and-forget: what is published while the subscriber is down is lost, and the confirm says why", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const channel = `bl-it-${id}`;
  const first = start(runId, { name: `sub-${id}`, consumers: [{ name: "work", broker: "redis", from: { channel } }] });
  await ready(first);
  const producer = start(runId, producerOf(id, { channel }, 40, 20));
  await first.until(() => consumed(first).size >= 5 || undefined, "the first messages");
  first.kill();
  await first.exited;
  // Down for about a second (20 messages a second), then a new subscriber.
  await producer.until(() => producer.events.filter((e) => e.kind === "confirmed" && e.detail?.includes("no subscriber")).length >= 10 || undefined, "messages published with nobody listening");
  const second = start(runId, { name: `sub-${id}`, consumers: [{ name: "work", broker: "redis", from: { channel } }] });
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish", 60_000);
  const got = new Set([...consumed(first), ...consumed(second)]);
  const lost = producer.confirmedIds.filter((m) => !got.has(m));
  const explained = new Set(producer.events.filter((e) => e.kind === "confirmed" && e.detail?.includes("Redis Pub/Sub keeps nothing")).map((e) => e.id));
  assert.ok(lost.length >= 10, `lost ${lost.length} of ${producer.confirmedIds.length}`);
  // Every lost message was published to nobody, and its confirm says so (a message on its way to the killed process may be lost too).
  assert.ok([...explained].every((m) => lost.includes(m)), "a message published to no subscriber is never consumed");
  assert.ok(explained.size >= lost.length - 2, `${explained.size} of ${lost.length} lost messages carry the reason`);
  assert.equal(await second.stop(), 0);
});

test("a Streams consumer group shares 40 entries between two consumers, each once", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const stream = `bl-it-${id}`;
  await createStream(stream, "workers");
  const worker = (replica: number) => start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "redis", from: { stream, group: "workers" }, work: { ms: 20 } }] }, [{ name: stream }], replica);
  const [w0, w1] = [worker(0), worker(1)];
  await Promise.all([ready(w0), ready(w1)]);
  const producer = start(runId, producerOf(id, { stream }, 40));
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish", 60_000);
  await waitFor(() => consumed(w0).size + consumed(w1).size >= 40 || undefined, { timeoutMs: 20_000, description: "40 entries consumed" });
  assert.ok(consumed(w0).size > 0 && consumed(w1).size > 0, `shared: ${consumed(w0).size} and ${consumed(w1).size}`);
  assert.deepEqual([...consumed(w0), ...consumed(w1)].sort(), [...producer.confirmedIds].sort(), "each entry once, none lost");
  await waitFor(async () => (Number((await redis.xInfoGroups(stream))[0]?.pending) === 0) || undefined, { timeoutMs: 10_000, description: "no pending entries" });
  assert.equal(await w0.stop(), 0);
  assert.equal(await w1.stop(), 0);
});

test("a Streams consumer killed before its XACK loses nothing: another consumer claims the entry after its idle time", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const stream = `bl-it-${id}`;
  await createStream(stream, "workers");
  const streams = [{ name: stream, claimIdle: 1_000 }];
  const first = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "redis", from: { stream, group: "workers" }, concurrency: 1, failures: { crashAfter: 3 } }] }, streams, 0);
  await ready(first);
  const producer = start(runId, producerOf(id, { stream }, 10));
  assert.equal(await first.exited, 1, "crashAfter exits 1 before acking the third entry");
  const second = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "redis", from: { stream, group: "workers" } }] }, streams, 1);
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish", 60_000);
  const confirmed = producer.confirmedIds;
  await second.until(() => confirmed.every((m) => consumed(first).has(m) || consumed(second).has(m)) || undefined, "every entry consumed", 20_000);
  assert.ok((second.consumer("work")?.redelivered ?? 0) >= 1, "the claimed entry counts as redelivered");
  assert.equal(await second.stop(), 0);
});

test("an entry delivered more than maxDeliveries times moves to the dead-letter stream", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const stream = `bl-it-${id}`;
  const dead = `${stream}.dead`;
  await createStream(stream, "workers");
  keys.push(dead);
  const streams = [{ name: stream, claimIdle: 300, deadLetter: { stream: dead, maxDeliveries: 2 } }, { name: dead }];
  const worker = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "redis", from: { stream, group: "workers" }, failures: { errorRate: 1 }, onError: { then: "requeue" } }] }, streams);
  await ready(worker);
  const producer = start(runId, producerOf(id, { stream }, 3));
  await producer.until(() => producer.producer("orders")?.done, "the producer to finish", 60_000);
  await waitFor(async () => (await redis.xLen(dead)) === 3 || undefined, { timeoutMs: 20_000, description: "3 entries in the dead-letter stream" });
  // The events reach the test with the process's next frame.
  await worker.until(() => worker.events.filter((e) => e.kind === "dead-lettered").length >= 3 || undefined, "3 dead-lettered events");
  assert.equal(worker.events.filter((e) => e.kind === "dead-lettered").length, 3);
  assert.equal(worker.consumer("work")?.deadLettered, 3);
  await waitFor(async () => (Number((await redis.xInfoGroups(stream))[0]?.pending) === 0) || undefined, { timeoutMs: 5_000, description: "nothing pending" });
  assert.equal(await worker.stop(), 0);
});

test("one trace runs from the producer's send span to the consumer's process span", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const stream = `bl-it-${id}`;
  await createStream(stream, "workers");
  const worker = start(runId, { name: `worker-${id}`, consumers: [{ name: "work", broker: "redis", from: { stream, group: "workers" } }] }, [{ name: stream }]);
  await ready(worker);
  const producer = start(runId, producerOf(id, { stream }, 1));
  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.traceId), "a published event", 60_000);
  const delivered = await worker.until(() => worker.events.find((e) => e.kind === "delivered"), "a delivered event");
  assert.equal(delivered.traceId, published.traceId, "the consumer continues the producer's trace");
  const spans = await waitFor(async () => {
    const found = await fetchTrace(published.traceId!);
    return found?.some((s) => s.kind === "consumer") ? found : undefined;
  }, { timeoutMs: 20_000, intervalMs: 500, description: "the trace in Jaeger" });
  const seen = spans.map((s) => `${s.kind} ${s.operation}`).join(", ");
  assert.ok(spans.some((s) => s.kind === "producer" && s.operation === `send ${stream}`), `the PRODUCER span (spans: ${seen})`);
  assert.ok(spans.some((s) => s.kind === "consumer" && s.operation === `process ${stream}`), "the CONSUMER span");
  assert.ok(spans.some((s) => s.kind === "client" && /XADD/i.test(s.operation)), "the redis instrumentation's XADD span");
  assert.equal(await worker.stop(), 0);
});

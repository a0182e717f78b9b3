// RabbitMQ adapters against the real broker: declare through RabbitAdmin, publish with confirms
// through the windowed publisher, consume with manual acks, read queue stats, and explain a
// conflicting re-declaration argument by argument.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import type { Queue, RabbitResources } from "../../../lib/scenario/schema";
import { createRabbitAdmin } from "../../../server/brokers";
import type { Delivery, SendOutcome } from "../../../server/brokers/messaging";
import { createRabbitConnection } from "../../../server/brokers/rabbitmq/connection";
import { consumeRabbitQueue } from "../../../server/brokers/rabbitmq/consumer";
import { createRabbitPublisher } from "../../../server/brokers/rabbitmq/publisher";
import { waitFor } from "../../support/wait-for";

const url = process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672";
const unique = () => `bl-test-${randomUUID().slice(0, 8)}`;
const queueSpec = (name: string, extra: Partial<Queue> = {}): Queue => ({ name, type: "classic", durable: true, autoDelete: false, existing: false, ...extra });
const resourcesOf = (queues: Queue[]): RabbitResources => ({ exchanges: [], queues, bindings: [] });

const admin = createRabbitAdmin({ url, managementUrl });
const declared: Queue[] = [];

after(async () => {
  await admin.teardown(resourcesOf(declared)).catch(() => {});
  await admin.close();
});

test("messages published with confirms are all consumed with manual acks, and the queue ends empty", async () => {
  const queue = queueSpec(unique());
  declared.push(queue);
  await admin.apply(resourcesOf([queue]));
  await admin.apply(resourcesOf([queue])); // idempotent

  const states: string[] = [];
  const connection = createRabbitConnection({ url, name: "brokerlab-test", onState: (state) => states.push(state) });
  await connection.ready();
  const publisher = createRabbitPublisher({ connection, confirm: true, window: 50 });
  const total = 500;
  const sends: Promise<SendOutcome>[] = [];
  for (let seq = 1; seq <= total; seq++) {
    assert.equal(await publisher.writable(), true);
    sends.push(publisher.publish({
      exchange: "", routingKey: queue.name, body: Buffer.from(JSON.stringify({ seq })),
      headers: { "x-brokerlab-id": `test/p/${seq}` }, messageId: `test/p/${seq}`, persistent: true, mandatory: true,
    }));
    assert.ok(publisher.inFlight() <= 50, "the confirm window bounds unconfirmed messages");
  }
  const outcomes = await Promise.all(sends);
  assert.equal(outcomes.filter((o) => o.ok && !o.returned).length, total);

  const acked = new Set<number>();
  const deliveries: Delivery[] = [];
  const subscription = await consumeRabbitQueue({
    connection, queue: queue.name, prefetch: 20, noAck: false, concurrency: 4,
    handler: async (delivery) => {
      deliveries.push(delivery);
      acked.add((JSON.parse(delivery.body.toString()) as { seq: number }).seq);
      return { kind: "ack" };
    },
  });
  try {
    await waitFor(() => acked.size === total, { timeoutMs: 20_000, description: `all ${total} messages to be consumed` });
    assert.equal(deliveries.length, total, "each message is delivered once");
    assert.equal(deliveries[0]!.headers["x-brokerlab-id"], "test/p/1");
    await waitFor(async () => {
      const [stats] = await admin.queueStats([queue.name]);
      return stats && stats.ready === 0 && stats.unacked === 0 && stats.messages === 0 ? stats : undefined;
    }, { timeoutMs: 15_000, description: "the queue to be empty with nothing unacked" });
    assert.deepEqual(await admin.queueStats([`${queue.name}-missing`]), [], "a missing queue is skipped");
  } finally {
    await subscription.stop(2_000);
    await publisher.close();
    await connection.close();
  }
  assert.ok(states.includes("connected"));
});

test("with the management API unreachable, queue stats still report the ready messages from a passive declare", async () => {
  const queue = queueSpec(unique());
  declared.push(queue);
  await admin.apply(resourcesOf([queue]));
  const ids = await admin.publish(queue.name, [1, 2, 3].map((n) => ({ messageId: `m${n}`, body: Buffer.from(`{"n":${n}}`), headers: {} })));
  assert.equal(ids.length, 3);
  const blind = createRabbitAdmin({ url, managementUrl: "http://guest:guest@127.0.0.1:9" });
  try {
    const [stats] = await blind.queueStats([queue.name]);
    assert.deepEqual(stats, { name: queue.name, messages: 3, ready: 3, unacked: 0, consumers: 0 });
    await assert.rejects(blind.queueStats([`${queue.name}-missing`]), "a queue neither source can see is an error, not an empty queue");
  } finally {
    await blind.close();
  }
});

test("an unroutable mandatory message is returned, not lost silently", async () => {
  const connection = createRabbitConnection({ url, name: "brokerlab-test" });
  await connection.ready();
  const publisher = createRabbitPublisher({ connection, confirm: true, window: 10 });
  try {
    await publisher.writable();
    const outcome = await publisher.publish({ exchange: "", routingKey: `${unique()}-nowhere`, body: Buffer.from("{}"), headers: {}, messageId: "test/r/1", persistent: false, mandatory: true });
    assert.deepEqual(outcome.ok && outcome.returned, true);
  } finally {
    await publisher.close();
    await connection.close();
  }
});

test("re-declaring a classic queue as quorum is a CONFLICT that names the argument", async () => {
  const queue = queueSpec(unique(), { messageTtl: 60_000 });
  declared.push(queue);
  await admin.apply(resourcesOf([queue]));
  await assert.rejects(admin.apply(resourcesOf([{ ...queue, type: "quorum" }])), (error: Error & { code?: string; retriable?: boolean }) => {
    assert.equal(error.code, "CONFLICT");
    assert.equal(error.retriable, false);
    assert.match(error.message, new RegExp(`queue "${queue.name}" already exists with x-queue-type=classic, the scenario asks for quorum`));
    assert.match(error.message, /delete the queue or change the scenario/);
    return true;
  });
  await assert.rejects(admin.apply(resourcesOf([{ ...queue, messageTtl: 5_000 }])), /x-message-ttl=60000, the scenario asks for 5000/);
  // The admin recovers from the closed channel and keeps working.
  await admin.apply(resourcesOf([queue]));
});

test("a queue marked existing must exist; consuming a missing queue is NOT_FOUND", async () => {
  const missing = queueSpec(unique(), { existing: true });
  await assert.rejects(admin.apply(resourcesOf([missing])), (error: Error & { code?: string }) => error.code === "NOT_FOUND" && /marked existing/.test(error.message));
  const connection = createRabbitConnection({ url, name: "brokerlab-test" });
  try {
    await assert.rejects(
      consumeRabbitQueue({ connection, queue: missing.name, prefetch: 1, noAck: false, concurrency: 1, handler: async () => ({ kind: "ack" }) }),
      (error: Error & { code?: string }) => error.code === "NOT_FOUND",
    );
  } finally {
    await connection.close();
  }
});

test("RabbitMQ that is not listening is BROKER_UNAVAILABLE with the command that starts it", async () => {
  const down = createRabbitAdmin({ url: "amqp://guest:guest@127.0.0.1:1", managementUrl });
  await assert.rejects(down.apply(resourcesOf([queueSpec(unique())])), (error: Error & { code?: string; retriable?: boolean }) => {
    assert.equal(error.code, "BROKER_UNAVAILABLE");
    assert.equal(error.retriable, true);
    assert.match(error.message, /npm run stack:up -- rabbitmq/);
    assert.doesNotMatch(error.message, /guest:guest/, "credentials are censored");
    return true;
  });
  await down.close();
});

/** Closes, from the broker's side, every connection with this client-provided name; false when none is listed yet. */
async function closeConnectionsNamed(connectionName: string): Promise<boolean> {
  const base = new URL(managementUrl);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString("base64")}`;
  const root = `${base.protocol}//${base.host}`;
  const list = (await (await fetch(`${root}/api/connections`, { headers: { authorization: auth } })).json()) as { name: string; client_properties?: { connection_name?: string } }[];
  const mine = list.filter((c) => c.client_properties?.connection_name === connectionName);
  for (const c of mine) {
    await fetch(`${root}/api/connections/${encodeURIComponent(c.name)}`, { method: "DELETE", headers: { authorization: auth, "x-reason": "brokerlab test: connection fault" } });
  }
  return mine.length > 0;
}

test("after the broker closes the connection, publisher and consumer come back on their own", async () => {
  const queue = queueSpec(unique());
  declared.push(queue);
  await admin.apply(resourcesOf([queue]));
  const name = `brokerlab-test-${unique()}`;
  const states: string[] = [];
  const connection = createRabbitConnection({ url, name, onState: (state) => states.push(state) });
  await connection.ready();
  const publisher = createRabbitPublisher({ connection, confirm: true, window: 10 });
  const seen = new Set<string>();
  const subscription = await consumeRabbitQueue({
    connection, queue: queue.name, prefetch: 5, noAck: false, concurrency: 1,
    handler: async (delivery) => { seen.add(delivery.headers["x-brokerlab-id"]!); return { kind: "ack" }; },
  });
  const publish = async (seq: number) => {
    await publisher.writable();
    return publisher.publish({ exchange: "", routingKey: queue.name, body: Buffer.from("{}"), headers: { "x-brokerlab-id": `r/${seq}` }, messageId: `r/${seq}`, persistent: true, mandatory: false });
  };
  try {
    assert.equal((await publish(1)).ok, true);
    await waitFor(() => seen.has("r/1"), { description: "the first message" });
    await waitFor(() => closeConnectionsNamed(name), { timeoutMs: 15_000, intervalMs: 500, description: "the connection to show in the management API and be closed" });
    await waitFor(() => states.includes("reconnecting"), { description: "the connection to report reconnecting" });
    await waitFor(() => connection.status() === "connected", { timeoutMs: 15_000, description: "the connection to come back" });
    const outcome = await waitFor(async () => { const o = await publish(2); return o.ok ? o : undefined; }, { timeoutMs: 15_000, description: "a publish on the new channel" });
    assert.equal(outcome.ok, true);
    await waitFor(() => seen.has("r/2"), { timeoutMs: 15_000, description: "the consumer, subscribed again, to get the next message" });
    assert.deepEqual(states.slice(-1), ["connected"]);
  } finally {
    await subscription.stop(1_000);
    await publisher.close();
    await connection.close();
  }
});

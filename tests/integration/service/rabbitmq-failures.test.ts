// Failure handling on RabbitMQ in a real service process: a poison message is retried through
// the derived delay queue, then dead-lettered by the broker (x-death); a consumer that crashes
// leaves its unacked message to the next process, which sees it redelivered.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { withDerivedResources } from "../../../lib/scenario/derived";
import type { RabbitResources } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import { createRabbitAdmin } from "../../../server/brokers";
import type { Delivery } from "../../../server/brokers/messaging";
import { createRabbitConnection } from "../../../server/brokers/rabbitmq/connection";
import { consumeRabbitQueue } from "../../../server/brokers/rabbitmq/consumer";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import { waitFor } from "../../support/wait-for";

const url = process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672";
const admin = createRabbitAdmin({ url, managementUrl });
const declared: RabbitResources[] = [];
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  for (const resources of declared) await admin.teardown(resources).catch(() => {});
  await admin.close();
});

/** A validated one-broker scenario with its derived resources, declared on the broker. */
async function declare(id: string, consumer: Record<string, unknown>) {
  const queue = `bl-it-${id}`;
  const result = validateScenario({
    version: 1,
    name: "failures",
    brokers: { rabbit: { kind: "rabbitmq" } },
    resources: {
      rabbit: {
        exchanges: [{ name: `${queue}.dlx`, type: "direct" }],
        queues: [{ name: queue, deadLetter: { exchange: `${queue}.dlx`, routingKey: `${queue}.dead` } }, { name: `${queue}.dead` }],
        bindings: [{ exchange: `${queue}.dlx`, queue: `${queue}.dead`, routingKey: `${queue}.dead` }],
      },
    },
    services: [{ name: "worker", consumers: [{ name: "work", broker: "rabbit", from: { queue }, ...consumer }] }],
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const scenario = withDerivedResources(result.scenario);
  const resources = scenario.resources.rabbit!;
  assert.equal(resources.kind, "rabbitmq");
  declared.push(resources);
  await admin.apply(resources);
  return { queue, scenario, resources };
}

function producerOf(id: string, queue: string, count: number) {
  return { name: `shop-${id}`, producers: [{ name: "orders", broker: "rabbit", to: { queue }, rate: { burst: count }, count, payload: { orderId: "{{seq}}" } }] };
}

test("a poison message is retried through the delay queue, then dead-lettered with x-death", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const { queue, resources } = await declare(id, {
    failures: { poison: { field: "orderId", equals: 3 } },
    onError: { retries: 2, backoffMs: [150], then: "dead-letter" },
  });
  assert.ok(resources.queues.some((q) => q.name === `${queue}.retry.150` && q.messageTtl === 150), "withDerivedResources adds the delay queue");

  const consumer = forkService(launchFor({ runId, service: { name: `worker-${id}`, consumers: [{ name: "work", broker: "rabbit", from: { queue }, failures: { poison: { field: "orderId", equals: 3 } }, onError: { retries: 2, backoffMs: [150], then: "dead-letter" } }] } }));
  running.push(consumer);
  await consumer.until(() => consumer.messages.some((m) => m.type === "ready"), "the consumer to be ready");
  const producer = forkService(launchFor({ runId, service: producerOf(id, queue, 10) }));
  running.push(producer);

  const counters = await consumer.until(() => {
    const c = consumer.consumer("work");
    return c && c.deadLettered === 1 && c.acked === 11 ? c : undefined;
  }, "nine processed, the poison retried twice and dead-lettered", 30_000);
  assert.equal(counters.received, 12);
  assert.equal(counters.retried, 2);
  assert.equal(counters.failed, 3);
  assert.equal(counters.nacked, 1);
  assert.equal(counters.duplicates, 0);
  const poisonId = `shop-${id}/orders/3`;
  assert.deepEqual(consumer.events.filter((e) => e.id === poisonId && e.kind === "delivered").map((e) => e.attempt), [1, 2, 3]);
  assert.equal(new Set(consumer.consumedIds.work).size, 10, "dead-lettered counts as consumed in the ledger");

  const connection = createRabbitConnection({ url, name: "brokerlab-test" });
  const dead: Delivery[] = [];
  const subscription = await consumeRabbitQueue({ connection, queue: `${queue}.dead`, prefetch: 1, noAck: false, concurrency: 1, handler: async (d) => { dead.push(d); return { kind: "ack" }; } });
  try {
    await waitFor(() => dead.length === 1, { timeoutMs: 10_000, description: "the poison message in the dead-letter queue" });
    assert.equal(dead[0]!.headers["x-brokerlab-id"], poisonId);
    assert.equal(dead[0]!.headers["x-brokerlab-attempt"], "3");
    const deaths = dead[0]!.rawHeaders["x-death"] as { queue: string; reason: string }[];
    assert.ok(deaths.some((d) => d.queue === queue && d.reason === "rejected"), "the broker's DLX recorded the rejection");
  } finally {
    await subscription.stop(1_000);
    await connection.close();
  }
  assert.equal(await producer.stop(), 0);
  assert.equal(await consumer.stop(), 0);
});

test("a consumer that crashes after N messages exits 1 before acking the N-th, which the next process gets redelivered", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const { queue } = await declare(id, {});
  const crashing = forkService(launchFor({ runId, service: { name: `worker-${id}`, consumers: [{ name: "work", broker: "rabbit", from: { queue }, prefetch: 1, failures: { crashAfter: 5 } }] } }));
  running.push(crashing);
  await crashing.until(() => crashing.messages.some((m) => m.type === "ready"), "the first consumer to be ready");
  const producer = forkService(launchFor({ runId, service: producerOf(id, queue, 12) }));
  running.push(producer);
  assert.equal(await crashing.exited, 1, "crashAfter exits with code 1");
  assert.equal(crashing.consumer("work")?.acked, 4, "the last frame before the crash reports four acks");

  const next = forkService(launchFor({ runId, replica: 0, service: { name: `worker-${id}`, consumers: [{ name: "work", broker: "rabbit", from: { queue }, prefetch: 1 }] } }));
  running.push(next);
  const counters = await next.until(() => { const c = next.consumer("work"); return c && c.acked === 8 ? c : undefined; }, "the remaining eight messages", 20_000);
  assert.equal(counters.redelivered, 1);
  const redelivered = next.events.find((e) => e.kind === "delivered" && e.redelivered);
  assert.equal(redelivered?.id, `shop-${id}/orders/5`);
  const consumed = new Set([...(crashing.consumedIds.work ?? []), ...(next.consumedIds.work ?? [])]);
  assert.equal(consumed.size, 12, "nothing is lost across the crash");
  assert.equal(await next.stop(), 0);
  assert.equal(await producer.stop(), 0);
});

test("requeue: failed attempts go back to the queue and come again redelivered until they succeed", async () => {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const { queue } = await declare(id, {});
  const consumer = forkService(launchFor({ runId, service: { name: `worker-${id}`, consumers: [{ name: "work", broker: "rabbit", from: { queue }, failures: { errorRate: 0.3 }, onError: "requeue" }] } }));
  running.push(consumer);
  await consumer.until(() => consumer.messages.some((m) => m.type === "ready"), "ready");
  const producer = forkService(launchFor({ runId, service: producerOf(id, queue, 30) }));
  running.push(producer);
  const counters = await consumer.until(() => { const c = consumer.consumer("work"); return c && new Set(consumer.consumedIds.work).size === 30 && c.inFlight === 0 ? c : undefined; }, "all 30 processed", 30_000);
  assert.ok(counters.requeued > 0, "some attempts failed (errorRate 0.3)");
  assert.equal(counters.nacked, counters.requeued);
  assert.equal(counters.failed, counters.requeued);
  assert.equal(counters.redelivered, counters.requeued, "each requeue comes back once as a redelivery");
  assert.equal(counters.received, 30 + counters.requeued);
  assert.equal(counters.acked, 30);
  assert.equal(await producer.stop(), 0);
  assert.equal(await consumer.stop(), 0);
});

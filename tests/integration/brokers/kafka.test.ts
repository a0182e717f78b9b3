// Kafka adapters against the real broker: topic creation, keyed production through the batching
// publisher, a consumer group with manual commits, ordering per key, and lag back to zero.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import type { Topic } from "../../../lib/scenario/schema";
import { createKafkaAdmin } from "../../../server/brokers";
import { createKafkaClient } from "../../../server/brokers/kafka/client";
import { consumeKafkaTopics } from "../../../server/brokers/kafka/consumer";
import { createKafkaPublisher } from "../../../server/brokers/kafka/producer";
import type { Publisher, KafkaOutgoing, SendOutcome } from "../../../server/brokers/messaging";
import { waitFor } from "../../support/wait-for";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const unique = () => randomUUID().slice(0, 8);
const topicSpec = (name: string, partitions: number): Topic => ({ name, partitions, replicationFactor: 1, cleanupPolicy: "delete", existing: false });

const admin = createKafkaAdmin({ brokers, clientId: "brokerlab-test" });
const kafka = createKafkaClient({ brokers, clientId: "brokerlab-test" });
const created: Topic[] = [];

after(async () => {
  await admin.teardown(created).catch(() => {});
  await admin.close();
});

test("keyed messages keep their partition and their order per key, and the group's lag returns to zero", async () => {
  const topic = topicSpec(`bl-test-${unique()}`, 3);
  const group = `bl-test-group-${unique()}`;
  created.push(topic);
  await admin.apply([topic]);

  // Idempotent: a retried send (e.g. "not the leader" on a topic just created) is neither
  // written twice nor reordered, which is what per-key order needs.
  const publisher: Publisher<KafkaOutgoing> = await createKafkaPublisher({ kafka, brokers, acks: -1, idempotent: true, window: 100 });
  const keys = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
  const perKey = 20;
  const sends: Promise<SendOutcome>[] = [];
  for (let seq = 0; seq < perKey; seq++) {
    for (const key of keys) {
      assert.equal(await publisher.writable(), true);
      sends.push(publisher.publish({ topic: topic.name, key, value: Buffer.from(JSON.stringify({ key, seq })), headers: { "x-test": "1" } }));
    }
  }
  const outcomes = await Promise.all(sends);
  assert.equal(outcomes.filter((o) => o.ok).length, keys.length * perKey);

  const seen = new Set<string>();
  const received: { key: string; seq: number; partition: number; keyHeader?: string; header?: string }[] = [];
  const subscription = await consumeKafkaTopics({
    kafka, brokers, groupId: group, topics: [topic.name], fromBeginning: true, autoCommit: false, concurrency: 3, linkSpans: false,
    handler: async (delivery) => {
      // At-least-once: a rebalance may replay a message; the first delivery of each offset counts.
      const at = `${delivery.partition}:${delivery.offset}`;
      if (seen.has(at)) return { kind: "ack" };
      seen.add(at);
      const body = JSON.parse(delivery.body.toString()) as { key: string; seq: number };
      received.push({ key: body.key, seq: body.seq, partition: delivery.partition!, keyHeader: delivery.key, header: delivery.headers["x-test"] });
      return { kind: "ack" };
    },
  });

  try {
    await waitFor(() => received.length >= keys.length * perKey, { timeoutMs: 30_000, description: "every message to be consumed" });
    assert.equal(received.length, keys.length * perKey);
    assert.ok(received.every((r) => r.keyHeader === r.key && r.header === "1"), "key and headers arrive with each message");
    for (const key of keys) {
      const mine = received.filter((r) => r.key === key);
      assert.equal(new Set(mine.map((r) => r.partition)).size, 1, `key ${key} stays on one partition`);
      assert.deepEqual(mine.map((r) => r.seq), Array.from({ length: perKey }, (_, i) => i), `key ${key} arrives in order`);
    }
    assert.ok(new Set(received.map((r) => r.partition)).size > 1, "six keys spread over more than one partition");

    const lags = await waitFor(async () => {
      const lag = await admin.groupLag(group, [topic.name]);
      return lag.length === 3 && lag.every((p) => p.lag === 0) ? lag : undefined;
    }, { timeoutMs: 15_000, description: "the group's lag to reach zero" });
    assert.equal(lags.reduce((sum, p) => sum + p.high, 0), keys.length * perKey);
  } finally {
    await subscription.stop(5_000);
    await publisher.close();
  }
});

test("the timestamp of the record at an offset is the one it was written with (lag in seconds), per partition, inside large batches too", async () => {
  const topic = topicSpec(`bl-test-${unique()}`, 2);
  created.push(topic);
  await admin.apply([topic]);
  const producer = kafka.producer();
  await producer.connect();
  const base = Date.now() - 60_000;
  try {
    // First one send of 40 records of 300 bytes: a batch of 20 (about 6 KB) on each partition, far
    // over the size a timestamp read asks for; record j goes to partition j % 2 at offset ⌊j / 2⌋.
    await producer.send({ topic: topic.name, messages: Array.from({ length: 40 }, (_, j) => ({ value: "x".repeat(300), partition: j % 2, timestamp: String(base - 10_000 + j) })) });
    // Then one record per send: m0 and m2 at offsets 20 and 21 of partition 0, m1 and m3 of partition 1.
    for (let i = 0; i < 4; i++) await producer.send({ topic: topic.name, messages: [{ value: `m${i}`, partition: i % 2, timestamp: String(base + i * 1000) }] });
  } finally {
    await producer.disconnect();
  }
  const key = (partition: number) => `${topic.name}\u0000${partition}`;
  const at = (partition: number, offset: number) => ({ topic: topic.name, partition, offset });
  const read = await admin.recordTimestamps!([at(0, 5), at(1, 7)]);
  assert.deepEqual([read.get(key(0)), read.get(key(1))], [base - 10_000 + 10, base - 10_000 + 15], "records 10 and 15 of the large batches");
  const aSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100));
  // A partition is read at most once a second: asked at another offset at once, it answers from its last read.
  assert.equal((await admin.recordTimestamps!([at(1, 21)])).get(key(1)), base - 10_000 + 15);
  await aSecond();
  // Offset 22 of partition 1 is its end: no record there yet, so no timestamp.
  assert.equal((await admin.recordTimestamps!([at(1, 22)])).size, 0);
  await aSecond();
  const singles = await admin.recordTimestamps!([at(0, 20), at(1, 21)]);
  assert.deepEqual([singles.get(key(0)), singles.get(key(1))], [base, base + 3000], "m0 and m3");
});

test("an existing topic with fewer partitions than asked is a CONFLICT that says so", async () => {
  const topic = topicSpec(`bl-test-${unique()}`, 1);
  created.push(topic);
  await admin.apply([topic]);
  await admin.apply([topic]); // idempotent
  await assert.rejects(admin.apply([{ ...topic, partitions: 4 }]), (error: Error & { code?: string }) => {
    assert.equal(error.code, "CONFLICT");
    assert.match(error.message, /already exists with 1 partition, the scenario asks for 4/);
    return true;
  });
});

test("Kafka that is not listening is BROKER_UNAVAILABLE with the command that starts it", async () => {
  const down = createKafkaAdmin({ brokers: ["127.0.0.1:1"], clientId: "brokerlab-test-down", logger: () => {} });
  try {
    await assert.rejects(down.apply([topicSpec(`bl-test-${unique()}`, 1)]), (error: Error & { code?: string; retriable?: boolean }) => {
      assert.equal(error.code, "BROKER_UNAVAILABLE");
      assert.equal(error.retriable, true);
      assert.match(error.message, /npm run stack:up -- kafka/);
      return true;
    });
  } finally {
    await down.close();
  }
});

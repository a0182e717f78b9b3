// Classroom isolation that Kafka enforces, against the stack's real Kafka: a learner's services log
// in on the learner listener (SASL/PLAIN) as a slot whose ACLs cover the learner's prefix only.
// Learner A produces and consumes under A's prefix and is refused on B's topic and B's group;
// Brokerlab's admin listener still does everything; removing A takes A's access away.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { createKafkaClient } from "../../../server/brokers/kafka/client";
import { createKafkaLearnerAccess, learnerAddresses } from "../../../server/brokers/kafka/learner-access";
import { describeUserAcls, grantLearnerPrefix } from "../../../server/brokers/kafka/learner-acls";
import type { BrokerLearner } from "../../../server/brokers/learner-access";
import { readLearnerSlots } from "../../../stack/services/kafka-learners";
import { waitFor } from "../../support/wait-for";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const quiet = () => {};
type Kafka = ReturnType<typeof createKafkaClient>;
const unique = () => randomUUID().slice(0, 8);
// The last two slots: a classroom server lends from the first, so a class on this stack is not disturbed.
const slots = readLearnerSlots()?.slice(-2);
const learnerAt = learnerAddresses(brokers)?.[0];

const reachable = (address: string) =>
  new Promise<boolean>((resolve) => {
    const at = address.lastIndexOf(":");
    const socket = connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

let skip: string | false = false;
const admin = createKafkaClient({ brokers, clientId: "brokerlab-test", logger: quiet }).admin();
const topics: string[] = [];

before(async () => {
  if (!slots || slots.length < 2) skip = "the stack's Kafka has no learner slots (restart it: npm run stack:down -- kafka, then npm run stack:up -- kafka)";
  else if (!learnerAt || !(await reachable(learnerAt))) skip = `no learner listener answers at ${learnerAt ?? "(Kafka is not the local stack's)"}; restart the stack's Kafka`;
  if (!skip) await admin.connect();
});

after(async () => {
  if (skip) return;
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
});

const learner = (): BrokerLearner => {
  const id = `t${unique()}`;
  return { id, name: `brokerlab-learner-${id}`, prefix: `lrn-${id}-`, password: "unused-here" };
};

async function createTopics(...names: string[]) {
  topics.push(...names);
  await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: 1 })) });
}

/** What the broker answers a first send of `client` to `topic`: "ok", or the error's type. */
async function sendOutcome(client: Kafka, topic: string): Promise<string> {
  const producer = client.producer({ retry: { retries: 1 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: "x" }] });
    return "ok";
  } catch (error) {
    const chain = error as { type?: string; name: string; cause?: { type?: string } };
    return chain.type ?? chain.cause?.type ?? chain.name;
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

/** An error and what it wraps (kafkajs' originalError, cause), as "name type message" each. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  for (let at = error as { name?: string; type?: string; message?: string; originalError?: unknown; cause?: unknown } | undefined; at && parts.length < 5; at = (at.originalError ?? at.cause) as typeof at) {
    parts.push([at.name, at.type, at.message].filter(Boolean).join(" "));
  }
  return parts.join(" <- ");
}

/**
 * A fresh broker's group coordinator is still loading (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS)
 * for a moment after its first group: the consumer is tried again then. A refusal is not transient.
 */
const transientCoordinator = /not the correct coordinator|coordinator is loading/i;

/** Runs a consumer of `group` on `topic` until its first record ("record: …") or its failure ("crash: " and the error chain). */
async function consumeOutcome(client: Kafka, group: string, topic: string): Promise<string> {
  let outcome = await consumeOnce(client, group, topic);
  for (let attempt = 1; attempt < 5 && transientCoordinator.test(outcome); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    outcome = await consumeOnce(client, group, topic);
  }
  return outcome;
}

async function consumeOnce(client: Kafka, group: string, topic: string): Promise<string> {
  const consumer = client.consumer({ groupId: group, retry: { retries: 0 }, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  try {
    return await new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => resolve(`crash: ${describeChain(event.payload.error)}`));
      const go = async () => {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => resolve(`record: ${String(message.value)}`) });
      };
      go().catch((error: unknown) => resolve(`crash: ${describeChain(error)}`));
      setTimeout(() => resolve("timeout"), 20_000).unref();
    });
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}

/**
 * Waits until the user's ACLs read as `expected` ("resourceType:resourceName", sorted): the broker
 * answers ACL reads from its authorizer, which applies a change once it has replayed the metadata
 * log, so a read right after a change may still show the state before it.
 */
async function aclsBecome(user: string, expected: string[]): Promise<void> {
  let seen: string[] = [];
  const read = async () => (seen = (await describeUserAcls(admin, user, brokers)).map((acl) => `${acl.resourceType}:${acl.resourceName}`).sort());
  await waitFor(async () => JSON.stringify(await read()) === JSON.stringify(expected), { timeoutMs: 15_000, description: () => `${user}'s ACLs: ${JSON.stringify(seen)} instead of ${JSON.stringify(expected)}` });
}

test("a learner's client reaches its own prefix on the learner listener and is refused on another learner's topic and group", async (t) => {
  if (skip) return t.skip(skip);
  const [a, b] = [learner(), learner()];
  const access = createKafkaLearnerAccess({ slots: () => slots, warn: quiet });
  const base = { kind: "kafka" as const, brokers };
  const asA = await access.ensure(base, a, { scenario: undefined as never, broker: "kafka" });
  const asB = await access.ensure(base, b, { scenario: undefined as never, broker: "kafka" });
  assert.deepEqual(asA.brokers, [learnerAt]);
  assert.equal(asA.sasl?.username, slots![0]!.name);
  assert.equal(asB.sasl?.username, slots![1]!.name);
  const [topicA, topicB] = [`${a.prefix}orders`, `${b.prefix}orders`];
  await createTopics(topicA, topicB);
  const logA: string[] = [];
  const clientA = createKafkaClient({ brokers: asA.brokers, sasl: asA.sasl, clientId: "learner-a", logger: (_level, line) => logA.push(line) });

  assert.equal(await sendOutcome(clientA, topicA), "ok");
  assert.equal(await consumeOutcome(clientA, `${a.prefix}workers`, topicA), "record: x");
  assert.equal(await sendOutcome(clientA, topicB), "TOPIC_AUTHORIZATION_FAILED");
  // The same topic that A's own group just read, with B's group: the broker refuses the group.
  // kafkajs reports it as no coordinator found; the broker's answer is in the client's log.
  logA.length = 0;
  assert.match(await consumeOutcome(clientA, `${b.prefix}workers`, topicA), /^crash: KafkaJSGroupCoordinatorNotFound/);
  assert.ok(logA.some((line) => /GroupCoordinator.*Group authorization failed/.test(line)), `the broker's refusal of the group, in: ${logA.join(" | ")}`);
  assert.match(await consumeOutcome(clientA, `${a.prefix}workers-2`, topicB), /^crash: .*TOPIC_AUTHORIZATION_FAILED/);

  const wrongPassword = createKafkaClient({ brokers: asA.brokers, sasl: { ...asA.sasl!, password: `${asA.sasl!.password}x` }, clientId: "learner-a", logger: quiet });
  assert.equal(await sendOutcome(wrongPassword, topicA), "KafkaJSSASLAuthenticationError");

  // Brokerlab's admin listener: every topic, any group.
  const engine = createKafkaClient({ brokers, clientId: "brokerlab-test", logger: quiet });
  assert.equal(await sendOutcome(engine, topicB), "ok");
  assert.equal(await consumeOutcome(engine, `bl-test-${unique()}`, topicB), "record: x");

  // Removed: A's slot loses its ACLs, and A's client is refused on A's own topic.
  await access.remove(base, a);
  assert.equal(access.slotOf(a.id), undefined);
  await aclsBecome(slots![0]!.name, []);
  await waitFor(async () => (await sendOutcome(clientA, topicA)) === "TOPIC_AUTHORIZATION_FAILED", { timeoutMs: 15_000, description: "A refused on A's topic after removal" });
  await access.remove(base, b);
});

test("lending a slot is idempotent and takes back what the slot was granted for an earlier learner", async (t) => {
  if (skip) return t.skip(skip);
  const slot = slots![0]!;
  const earlier = learner();
  await grantLearnerPrefix(admin, { user: slot.name, prefix: earlier.prefix }, brokers);
  const access = createKafkaLearnerAccess({ slots: () => [slot], warn: quiet });
  const now = learner();
  const base = { kind: "kafka" as const, brokers };
  await access.ensure(base, now, { scenario: undefined as never, broker: "kafka" });
  await access.ensure(base, now, { scenario: undefined as never, broker: "kafka" });
  await aclsBecome(slot.name, [`2:${now.prefix}`, `3:${now.prefix}`]);
  await assert.rejects(access.ensure(base, learner(), { scenario: undefined as never, broker: "kafka" }), /all 1 Kafka learner slots are lent/);
  await access.remove(base, now);
  await aclsBecome(slot.name, []);
});

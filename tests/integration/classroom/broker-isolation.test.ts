// Classroom mode's isolation as the brokers enforce it, on the real RabbitMQ and Redis: each
// learner gets a vhost and a user, and a Redis ACL user over a prefix of their own; one learner's
// credentials are refused on the other's vhost, keys and channels; a learner's run works end to
// end with its services connected as the learner; two learners' runs use one queue name at once.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { createClient } from "redis";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createRabbitConnection } from "../../../server/brokers/rabbitmq/connection";
import { createManagementClient } from "../../../server/brokers/rabbitmq/management";
import { loadConfig } from "../../../server/config";
import { engineContextFrom, resolveBrokers } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createLearnerBrokers } from "../../../server/engine/learner-brokers";
import { loadScenario, unique } from "../../support/engine";

const config = loadConfig();
const learnerBrokers = createLearnerBrokers();
const context = { ...engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }), learnerBrokers };
const engine = createEngine(context);
const management = (vhost: string) => createManagementClient({ managementUrl: config.RABBITMQ_MANAGEMENT_URL, vhost });
const newLearner = () => randomBytes(12).toString("hex");

after(async () => {
  await engine.shutdown();
  // shutdown removed every identity: nothing of ours is left on the brokers.
  assert.deepEqual(await learnerBrokers.removeAll(), []);
});

const probeScenario = () => loadScenario(`
version: 1
name: classroom-probe
brokers:
  rabbit: { kind: rabbitmq }
  redis: { kind: redis }
services:
  - name: probe
`);

/** Connects with amqplib (through Brokerlab's adapter, without retries); resolves once connected. */
async function amqpConnect(url: string) {
  const connection = createRabbitConnection({ url, name: "brokerlab-test-classroom", initialRetries: 0 });
  try {
    await connection.ready();
    return connection;
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
}

// RabbitMQ answers connection.open with connection.close (530 NOT_ALLOWED, "access to vhost
// refused for user", as its log says), which the adapter names.
const vhostRefused = /refused this user access to vhost "brokerlab-learner-[0-9a-f]+"|refused this user access to vhost "\/"/;

/** The HTTP status of the management API's permission entry of `user` in `vhost` (404: none). */
async function permissionOf(vhost: string, user: string): Promise<number> {
  const base = new URL(config.RABBITMQ_MANAGEMENT_URL);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username || "guest")}:${decodeURIComponent(base.password || "guest")}`).toString("base64")}`;
  const response = await fetch(`${base.origin}/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { headers: { authorization } });
  return response.status;
}

async function redisAs(url: string) {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on("error", () => {});
  await client.connect();
  return client;
}

test("each learner's credentials are refused on the other's vhost, keys and channels", { timeout: 60_000 }, async () => {
  const [a, b] = [newLearner(), newLearner()];
  const scenario = probeScenario();
  const resolved = resolveBrokers(scenario, context);
  const placedA = learnerBrokers.place(a, resolved);
  const placedB = learnerBrokers.place(b, resolved);
  const asA = await learnerBrokers.ensure(a, placedA, scenario);
  const asB = await learnerBrokers.ensure(b, placedB, scenario);
  assert(asA.rabbit?.kind === "rabbitmq" && asB.rabbit?.kind === "rabbitmq" && asA.redis?.kind === "redis" && asB.redis?.kind === "redis");
  assert.equal(new URL(asA.rabbit.url).pathname, `/brokerlab-learner-${a}`);
  assert.equal(decodeURIComponent(new URL(asA.rabbit.url).username), `brokerlab-learner-${a}`);

  // A's user reaches A's vhost and declares there...
  const own = await amqpConnect(asA.rabbit.url);
  const queue = unique("bl-classroom-own");
  await (await own.current()!.createChannel()).assertQueue(queue, { autoDelete: true });
  assert.equal((await management(`brokerlab-learner-${a}`).queue(queue))?.vhost, `brokerlab-learner-${a}`);
  await own.close();
  // ...and is refused on B's: A's credentials with B's vhost in the URL.
  const intoB = new URL(asA.rabbit.url);
  intoB.pathname = new URL(asB.rabbit.url).pathname;
  await assert.rejects(amqpConnect(intoB.toString()), vhostRefused);
  assert.equal(await permissionOf(`brokerlab-learner-${b}`, `brokerlab-learner-${a}`), 404);
  assert.equal(await permissionOf(`brokerlab-learner-${a}`, `brokerlab-learner-${a}`), 200);
  // The default vhost too: a learner has permissions in their own vhost only.
  const intoDefault = new URL(asA.rabbit.url);
  intoDefault.pathname = "/";
  await assert.rejects(amqpConnect(intoDefault.toString()), vhostRefused);

  // Redis: A writes and subscribes under A's prefix, and gets NOPERM under B's.
  const keyOf = (learner: string, name: string) => `${learnerBrokers.prefixOf(learner)}${name}`;
  const redisA = await redisAs(asA.redis.url);
  const ownStream = keyOf(a, unique("orders"));
  try {
    await redisA.xAdd(ownStream, "*", { n: "1" });
    assert.equal(await redisA.publish(keyOf(a, "events"), "hello"), 0);
    await assert.rejects(redisA.xAdd(keyOf(b, "orders"), "*", { n: "1" }), /NOPERM/);
    await assert.rejects(redisA.publish(keyOf(b, "events"), "hello"), /NOPERM/);
    await assert.rejects(redisA.sendCommand(["GET", "orders"]), /NOPERM/);
    await assert.rejects(redisA.sendCommand(["KEYS", "*"]), /NOPERM/);
    await assert.rejects(redisA.sendCommand(["FLUSHALL"]), /NOPERM/);
    const subscriber = redisA.duplicate();
    subscriber.on("error", () => {});
    await subscriber.connect();
    await subscriber.subscribe(keyOf(a, "events"), () => {});
    await assert.rejects(subscriber.subscribe(keyOf(b, "events"), () => {}), /NOPERM/);
    subscriber.destroy();
    // Deleting keys is not among the learner's commands: the stream goes with the server's own user.
    await assert.rejects(redisA.sendCommand(["DEL", ownStream]), /NOPERM/);
  } finally {
    redisA.destroy();
    const admin = await redisAs(config.REDIS_URL);
    await admin.del(ownStream);
    admin.destroy();
  }

  // Removing a learner deletes the vhost, the user and the ACL user.
  assert.deepEqual(await learnerBrokers.removeLearner(a), []);
  assert.equal(await management(`brokerlab-learner-${a}`).deleteVhost(), false);
  await assert.rejects(amqpConnect(asA.rabbit.url), /refused the credentials/);
  await assert.rejects(redisAs(asA.redis.url), /WRONGPASS|invalid username-password/i);
});

// Generated Redis and Google Cloud Pub/Sub code, run for real: a generated producer in one language
// sends N messages, a generated consumer in the other processes all N, each with Brokerlab's id and
// a traceparent. Streams are acked (nothing left pending), a poison entry is claimed again after its
// idle time and then dead-lettered, a channel reaches its live subscriber, and Pub/Sub messages are
// acked (none comes back after the ack deadline). Pub/Sub skips only when the emulator is absent.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createClient } from "redis";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { createPubsubClient } from "../../../server/brokers/pubsub/clients";
import { installedEmulatorVersion, installHint } from "../../../server/brokers/pubsub/probe";
import { pubsubSettings } from "../../../server/brokers/pubsub/settings";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const pubsubTarget = pubsubSettings();
/** Generated programs find the stack through these, as a learner's shell would set them. */
const env = { REDIS_URL: redisUrl, PUBSUB_EMULATOR_HOST: pubsubTarget.emulatorHost, PUBSUB_PROJECT_ID: pubsubTarget.project };
const redis = createClient({ url: redisUrl });
const programs = generatedPrograms("codegen-redis-pubsub");
const cleanUps: (() => Promise<unknown>)[] = [];
before(() => redis.connect());
after(async () => {
  programs.cleanUp();
  await Promise.allSettled(cleanUps.map((clean) => clean()));
  if (redis.isOpen) await redis.close();
});

const count = 12;
type Language = "typescript" | "python";
const generate = (language: Language) => (language === "python" ? generatePython : generateTypeScript);
const processedCount = (output: string) => output.match(/shop\/send\/\d+: processed/g)?.length ?? 0;

async function runProducer(yaml: string, language: Language): Promise<void> {
  const sender = programs.start(generate(language)(loadScenario(yaml), { service: "shop", producer: "send" }), env);
  const status = await Promise.race([sender.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
  assert.equal(status, 0, sender.output());
  assert.match(sender.output(), new RegExp(`published ${count} messages`));
}

/** Starts the consumer and waits for its ready line. */
async function startConsumer(yaml: string, language: Language, ready: RegExp) {
  const receiver = programs.start(generate(language)(loadScenario(yaml), { service: "billing", consumer: "take" }), env);
  await waitFor(() => ready.test(receiver.output()), { timeoutMs: 30_000, description: `the ${language} consumer to start (${receiver.output()})` });
  return receiver;
}

async function processAll(receiver: ReturnType<typeof programs.start>, language: Language, expected = count): Promise<string> {
  await waitFor(() => processedCount(receiver.output()) >= expected, { timeoutMs: 60_000, description: `the ${language} consumer to process ${expected} messages (${receiver.output()})` });
  await receiver.stop();
  return receiver.output();
}

function assertEveryMessage(output: string, seqs = Array.from({ length: count }, (_, i) => i + 1)): void {
  for (const seq of seqs) assert.match(output, new RegExp(`shop/send/${seq}: processed[^\\n]* in trace [0-9a-f]{32}\\n`), `message ${seq}`);
  assert.doesNotMatch(output, /Traceback|Error:/);
}

function redisScenario(to: string, from: string, stream = "", consumer = "", channel = ""): string {
  return `
version: 1
name: ${unique("codegen-redis")}
brokers: { redis: { kind: redis } }
resources:
  redis:
    streams: [${stream}]
    channels: [${channel}]
services:
  - name: shop
    producers:
      - { name: send, broker: redis, to: ${to}, rate: { burst: ${count} }, payload: { n: "{{seq}}", id: "{{uuid}}" } }
  - name: billing
    consumers:
      - { name: take, broker: redis, from: ${from}, concurrency: 3, work: { ms: 5 }${consumer} }
`;
}

describe("generated Redis code on the local Redis", { timeout: 240_000 }, () => {
  it(`a TypeScript producer XADDs ${count} entries (MAXLEN); a Python consumer group reads and acks all of them`, async () => {
    const stream = unique("codegen-redis-stream");
    cleanUps.push(() => redis.del(stream));
    const yaml = redisScenario(`{ stream: ${stream} }`, `{ stream: ${stream}, group: billing }`, `{ name: ${stream}, maxLen: 1000 }`);
    await runProducer(yaml, "typescript");
    assert.equal(await redis.xLen(stream), count);
    assertEveryMessage(await processAll(programs.start(generatePython(loadScenario(yaml), { service: "billing", consumer: "take" }), env), "python"));
    const pending = await redis.xPending(stream, "billing");
    assert.equal(pending.pending, 0, "every entry acknowledged");
  });

  it("a poison entry fails, is claimed again after its idle time (XAUTOCLAIM) and then dead-lettered; the rest are acked", async () => {
    const [stream, dead] = [unique("codegen-redis-claim"), unique("codegen-redis-dead")];
    cleanUps.push(() => redis.del([stream, dead]));
    const declared = `{ name: ${stream}, claimIdle: 300ms, deadLetter: { stream: ${dead}, maxDeliveries: 2 } }, { name: ${dead} }`;
    const yaml = redisScenario(`{ stream: ${stream} }`, `{ stream: ${stream}, group: billing }`, declared, ", ack: manual, failures: { poison: { field: n, equals: 3 } }");
    await runProducer(yaml, "python");
    const receiver = await startConsumer(yaml, "typescript", /consuming /);
    await waitFor(async () => (await redis.xLen(dead)) === 1, { timeoutMs: 30_000, description: `the poison entry in ${dead} (${receiver.output()})` });
    const output = await processAll(receiver, "typescript", count - 1);
    assertEveryMessage(output, Array.from({ length: count }, (_, i) => i + 1).filter((seq) => seq !== 3));
    assert.match(output, /shop\/send\/3: poison message .*; left pending/);
    assert.match(output, /shop\/send\/3: dead-lettered to .* after 2 deliveries/);
    assert.equal((await redis.xPending(stream, "billing")).pending, 0, "nothing left pending");
  });

  for (const [producer, consumer, from] of [["typescript", "python", "channel"], ["python", "typescript", "channelPattern"]] as const) {
    it(`a ${producer} producer PUBLISHes ${count} messages; a ${consumer} subscriber (${from}) listening gets every one`, async () => {
      const channel = unique("codegen-redis-channel");
      const source = from === "channel" ? `{ channel: ${channel} }` : `{ channelPattern: "${channel.slice(0, -2)}*" }`;
      const yaml = redisScenario(`{ channel: ${channel} }`, source, "", "", `{ name: ${channel} }`);
      const receiver = await startConsumer(yaml, consumer, /subscribed to /);
      await runProducer(yaml, producer);
      assertEveryMessage(await processAll(receiver, consumer));
    });
  }
});

const skip = installedEmulatorVersion() || process.env.PUBSUB_EMULATOR_HOST ? false : `the Pub/Sub emulator is not installed: ${installHint}`;

function pubsubScenario(topic: string, subscription: string, from: string, to = ""): string {
  return `
version: 1
name: ${unique("codegen-pubsub")}
brokers: { gcp: { kind: pubsub } }
resources:
  gcp:
    topics: [{ name: ${topic} }]
    subscriptions: [{ name: ${subscription}, topic: ${topic}, ackDeadline: 10s, messageOrdering: true }]
services:
  - name: shop
    producers:
      - { name: send, broker: gcp, to: { pubsubTopic: ${topic}${to} }, rate: { burst: ${count} }, payload: { n: "{{seq}}", customer: "c{{randomInt 1 3}}" } }
  - name: billing
    consumers:
      - { name: take, broker: gcp, from: ${from}, ack: manual, concurrency: 3, work: { ms: 5 } }
`;
}

describe("generated Google Cloud Pub/Sub code on the emulator", { skip, timeout: 240_000 }, () => {
  const pubsub = createPubsubClient(pubsubTarget);
  after(() => pubsub.close());
  const names = (prefix: string) => {
    const [topic, subscription] = [unique(`${prefix}-topic`), unique(`${prefix}-sub`)];
    cleanUps.push(() => pubsub.subscription(subscription).delete(), () => pubsub.topic(topic).delete());
    return { topic, subscription };
  };

  for (const [producer, consumer, mode] of [["typescript", "python", "streaming"], ["python", "typescript", "pull"]] as const) {
    it(`a ${producer} publisher sends ${count} messages with an ordering key; a ${consumer} subscriber (${mode === "pull" ? "pull" : "streaming pull"}) acks every one, and none comes back`, async () => {
      const { topic, subscription } = names(`codegen-ps-${mode}`);
      const yaml = pubsubScenario(topic, subscription, `{ subscription: ${subscription}, mode: ${mode} }`, ', orderingKey: "{{customer}}", attributes: { type: created }');
      // The consumer creates the topic and its subscription before anything is published.
      const receiver = await startConsumer(yaml, consumer, /consuming /);
      await runProducer(yaml, producer);
      const output = await processAll(receiver, consumer);
      assertEveryMessage(output);
      assert.doesNotMatch(output, /nacked|\(attempt/);
      // Acked: a second consumer, running past the 10 s ack deadline, gets nothing again.
      const again = await startConsumer(yaml, consumer, /consuming /);
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      await again.stop();
      assert.equal(processedCount(again.output()), 0, again.output());
    });
  }
});

// Generated Java on the real stack: the code view's Maven projects for a RabbitMQ producer and
// consumer and a Kafka producer and consumer, built by one Maven run, then run against the local
// brokers. Every message is processed and acknowledged (or committed); the poison message is
// retried once and dead-lettered, as the scenario says; the RabbitMQ consumer forwards to Kafka.
// The same Maven run compiles every Java code sample of the lessons (tests/support/java-samples.ts).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { generateJava } from "../../../lib/codegen/java";
import type { GeneratedCode } from "../../../lib/codegen/plan";
import { kafkaDeadLetterTopicName, rabbitRetryQueueName, withDerivedResources } from "../../../lib/scenario/derived";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadScenario, unique } from "../../support/engine";
import { writeLessonJavaSamples } from "../../support/java-samples";
import type { JavaSample } from "../../support/java-samples";
import { waitFor } from "../../support/wait-for";

const missing = ["mvn", "java"].filter((tool) => spawnSync(tool, ["-version"], { stdio: "ignore" }).error);
const skip = missing.length > 0 ? `${missing.join(" and ")} not on the PATH: generated Java cannot be built here` : false;

const rabbit = createRabbitAdmin({ url: process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672", managementUrl: process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672" });
const kafka = createKafkaAdmin({ brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","), clientId: "brokerlab-test-java" });
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-java-"));
const children: ChildProcess[] = [];
const id = unique("java");
const count = 30;

const scenario = loadScenario(`
version: 1
name: ${id}
brokers: { rabbit: { kind: rabbitmq }, kafka: { kind: kafka } }
resources:
  rabbit:
    exchanges: [{ name: ${id}.dlx, type: fanout }]
    queues: [{ name: ${id}, deadLetter: { exchange: ${id}.dlx } }, { name: ${id}.dead }]
    bindings: [{ exchange: ${id}.dlx, queue: ${id}.dead }]
  kafka:
    topics: [{ name: ${id}, partitions: 3 }, { name: ${id}.forwarded, partitions: 1 }]
services:
  - name: shop
    producers:
      - { name: orders, broker: rabbit, to: { queue: ${id} }, rate: { perSecond: 200 }, count: ${count}, headers: { tenant: "acme \\"quoted\\" \\\\u000a" }, payload: { n: "{{seq}}", sku: "{{pick a b}}" } }
      - { name: clicks, broker: kafka, to: { topic: ${id}, key: "{{sku}}" }, rate: { burst: ${count} }, payload: { n: "{{seq}}", sku: "{{pick a b c}}" } }
  - name: billing
    consumers:
      - { name: charge, broker: rabbit, from: { queue: ${id} }, ack: manual, prefetch: 5, work: { ms: 2 }, failures: { poison: { field: n, equals: 7 } }, onError: { retries: 1, backoffMs: [200], then: dead-letter }, forward: { broker: kafka, to: { topic: ${id}.forwarded, key: "{{sku}}" }, payload: { n: "{{n}}", charged: true } } }
      - { name: count, broker: kafka, from: { topic: ${id}, group: ${id}, fromBeginning: true }, ack: manual, work: { ms: 2 }, failures: { poison: { field: n, equals: 7 } }, onError: { retries: 1, backoffMs: [200], then: dead-letter } }
`);

const projects = {
  rabbitProducer: generateJava(scenario, { service: "shop", producer: "orders" }),
  rabbitConsumer: generateJava(scenario, { service: "billing", consumer: "charge" }),
  kafkaProducer: generateJava(scenario, { service: "shop", producer: "clicks" }),
  kafkaConsumer: generateJava(scenario, { service: "billing", consumer: "count" }),
};

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  const derived = withDerivedResources(scenario).resources;
  if (derived.rabbit?.kind === "rabbitmq") await rabbit.teardown(derived.rabbit).catch(() => {});
  if (derived.kafka?.kind === "kafka") await kafka.teardown(derived.kafka.topics, [id]).catch(() => {});
  await Promise.all([rabbit.close(), kafka.close()]);
  rmSync(dir, { recursive: true, force: true });
});

let lessonSamples: JavaSample[] = [];

/** Writes the projects as modules of one aggregator, so a single Maven run builds them all. */
function writeProjects(): void {
  for (const [name, code] of Object.entries(projects)) {
    for (const file of code.files ?? []) {
      mkdirSync(path.dirname(path.join(dir, name, file.path)), { recursive: true });
      writeFileSync(path.join(dir, name, file.path), file.source);
    }
  }
  lessonSamples = writeLessonJavaSamples(dir, "lesson-samples");
  const modules = [...Object.keys(projects), "lesson-samples"].map((name) => `<module>${name}</module>`).join("");
  writeFileSync(path.join(dir, "pom.xml"), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>brokerlab.test</groupId><artifactId>all</artifactId><version>1</version><packaging>pom</packaging><modules>${modules}</modules></project>`);
}

/** Offline when ~/.m2 has everything, online otherwise. */
function build(): { status: number | null; output: string; ms: number; offline: boolean } {
  const started = Date.now();
  const run = (offline: boolean) => spawnSync("mvn", ["-q", "-B", ...(offline ? ["-o"] : []), "package"], { cwd: dir, encoding: "utf8", timeout: 600_000 });
  let result = run(true);
  const offline = result.status === 0;
  if (!offline) result = run(false);
  return { status: result.status, output: `${result.stdout}${result.stderr}`, ms: Date.now() - started, offline };
}

function start(name: keyof typeof projects): { output(): string; exited: Promise<number | null>; stop(): Promise<void> } {
  const code: GeneratedCode = projects[name];
  const jar = code.run.at(-1)!.split(" ").at(-1)!;
  const child = spawn("java", ["-jar", jar], { cwd: path.join(dir, name), stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (status) => resolve(status)));
  return {
    output: () => text,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT"); // the shutdown hook closes the connection or leaves the group
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

const processedIds = (output: string, prefix: string) => new Set([...output.matchAll(new RegExp(`(${prefix}\\d+): processed`, "g"))].map((m) => m[1]));

describe("generated Java on the real stack", { skip, timeout: 900_000 }, () => {
  it("one Maven run builds the four projects and compiles the lessons' Java samples", (t) => {
    writeProjects();
    const result = build();
    t.diagnostic(`mvn package of 4 generated projects and ${lessonSamples.length} lesson samples: ${result.ms} ms (${result.offline ? "offline, from ~/.m2" : "online"})`);
    assert.equal(result.status, 0, result.output);
    // Lessons 1, 8, 19, 24, 25 and 26 show Java; a sample that did not compile has no class file.
    assert.ok(lessonSamples.length >= 6, `the catalogue's Java samples: ${lessonSamples.map((s) => s.where).join(", ")}`);
    for (const sample of lessonSamples) assert.ok(existsSync(path.join(dir, "lesson-samples", "target", "classes", `${sample.className}.class`)), `${sample.where}'s Java compiled`);
  });

  it("RabbitMQ: the consumer acks every message and forwards it to Kafka; the poison one is retried once, then dead-lettered", async () => {
    const consumer = start("rabbitConsumer");
    await waitFor(() => consumer.output().includes("waiting for messages on"), { timeoutMs: 60_000, description: `the Java consumer to start (${consumer.output()})` });
    const producer = start("rabbitProducer");
    assert.equal(await producer.exited, 0, producer.output());
    assert.match(producer.output(), new RegExp(`published ${count} messages, every one confirmed by the broker`));
    await waitFor(() => processedIds(consumer.output(), "shop/orders/").size === count - 1 && consumer.output().includes("dead-lettered after 2 attempt(s)"), { timeoutMs: 60_000, description: `29 processed and one dead-lettered (${consumer.output()})` });
    await consumer.stop();
    assert.match(consumer.output(), /shop\/orders\/7: poison message \(n = 7\); attempt 2 in 200 ms/);
    assert.match(consumer.output(), /in trace 00-[0-9a-f]{32}-[0-9a-f]{16}-01/);
    // With the consumer gone, an unacknowledged message would be back in the queue.
    await waitFor(async () => {
      const stats = await rabbit.queueStats([id, `${id}.dead`, rabbitRetryQueueName(id, 200)]);
      const depth = (name: string) => stats.find((s) => s.name === name)?.messages;
      return depth(id) === 0 && depth(`${id}.dead`) === 1 && depth(rabbitRetryQueueName(id, 200)) === 0;
    }, { timeoutMs: 30_000, description: "the queue empty and one message in the dead-letter queue" });
    const forwarded = await kafka.groupLag(unique("java-none"), [`${id}.forwarded`]);
    assert.equal(forwarded.reduce((sum, p) => sum + p.high, 0), count - 1, "each processed message forwarded once");
  });

  it("Kafka: the consumer commits every record; the poison one goes through the retry topic to the dead-letter topic", async () => {
    const producer = start("kafkaProducer");
    assert.equal(await producer.exited, 0, producer.output());
    assert.match(producer.output(), new RegExp(`published ${count} messages, ${count} acknowledged by Kafka`));
    const consumer = start("kafkaConsumer");
    await waitFor(() => processedIds(consumer.output(), "shop/clicks/").size === count - 1 && consumer.output().includes("dead-lettered to"), { timeoutMs: 90_000, description: `29 processed and one dead-lettered (${consumer.output()})` });
    await waitFor(async () => {
      const lags = await kafka.groupLag(id, [id]);
      return lags.length === 3 && lags.every((p) => p.lag === 0) && lags.reduce((sum, p) => sum + p.high, 0) === count;
    }, { timeoutMs: 30_000, description: "the group's committed offsets at the end of every partition" });
    await consumer.stop();
    const dead = await kafka.groupLag(id, [kafkaDeadLetterTopicName(id, id)]);
    assert.match(consumer.output(), /shop\/clicks\/7: poison message \(n = 7\); dead-lettered to .+ after 2 attempt\(s\)/);
    assert.equal(dead.reduce((sum, p) => sum + p.high, 0), 1, `one record in the dead-letter topic: ${JSON.stringify(dead)}`);
  });
});

// What a run owns, on the real brokers: a queue holding messages and a topic holding records that
// existed before a run declared them survive it with their messages, and the report says they
// were there; what the run created is deleted; a second run on the same queue is refused; a later
// server start deletes what runs of a dead server created.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import type { Topic } from "../../../lib/scenario/schema";
import { createKafkaAdmin, createKafkaClient, createKafkaPublisher, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { createEngine } from "../../../server/engine/engine";
import { ownerOfThisProcess, readManifest, withoutCredentials, writeManifest } from "../../../server/engine/resource-manifest";
import { RunError } from "../../../server/engine/run";
import { loadScenario, repoRoot, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const rabbit = createRabbitAdmin({ url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL });
const kafkaAdmin = createKafkaAdmin({ brokers: config.KAFKA_BROKERS, clientId: "brokerlab-test-ownership" });
const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: "brokerlab-test-ownership" });
const queues: string[] = [];
const topics: Topic[] = [];

after(async () => {
  await rabbit.teardown({ exchanges: [], queues: queues.map((name) => ({ name, type: "classic", durable: true, autoDelete: false, existing: false })), bindings: [] }).catch(() => {});
  await kafkaAdmin.teardown(topics).catch(() => {});
  await rabbit.close();
  await kafkaAdmin.close();
});

const topicSpec = (name: string, partitions: number): Topic => ({ name, partitions, replicationFactor: 1, cleanupPolicy: "delete", existing: false });

/** Runs `read` with a connected kafkajs admin (what the broker itself says, not Brokerlab's admin). */
async function withKafkaAdmin<T>(read: (admin: ReturnType<typeof kafka.admin>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await read(admin);
  } finally {
    await admin.disconnect();
  }
}

const topicRecords = (name: string) => withKafkaAdmin(async (a) => (await a.fetchTopicOffsets(name)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0));
const groupsListed = () => withKafkaAdmin(async (a) => new Set((await a.listGroups()).groups.map((g) => g.groupId)));
const kafkaListTopics = () => withKafkaAdmin(async (a) => new Set(await a.listTopics()));

test("a queue with 5 messages and a 3-partition topic with 5 records survive a run that declared them; what the run created is deleted", { timeout: 120_000 }, async () => {
  const preQueue = unique("bl-pre-queue");
  const ownQueue = unique("bl-own-queue");
  const preTopic = unique("bl-pre-topic");
  const ownTopic = unique("bl-own-topic");
  const preGroup = unique("bl-pre-group");
  const ownGroup = unique("bl-own-group");
  queues.push(preQueue, ownQueue);
  topics.push(topicSpec(preTopic, 3), topicSpec(ownTopic, 1));

  // Before the run: a queue with 5 messages, a topic with 5 records, a group with committed offsets.
  await rabbit.apply({ exchanges: [], queues: [{ name: preQueue, type: "classic", durable: true, autoDelete: false, existing: false }], bindings: [] });
  const body = Buffer.from("{}");
  const confirmed = await rabbit.publish(preQueue, Array.from({ length: 5 }, (_, i) => ({ messageId: `pre-${i}`, body, headers: {} })));
  assert.equal(confirmed.length, 5);
  await kafkaAdmin.apply([topicSpec(preTopic, 3)]);
  const publisher = await createKafkaPublisher({ kafka, brokers: config.KAFKA_BROKERS, acks: -1, idempotent: true, window: 10 });
  const sent = await Promise.all(Array.from({ length: 5 }, (_, i) => publisher.publish({ topic: preTopic, key: `k${i}`, value: body, headers: {} })));
  assert.equal(sent.filter((o) => o.ok).length, 5);
  await publisher.close();
  await withKafkaAdmin((a) => a.setOffsets({ groupId: preGroup, topic: preTopic, partitions: [0, 1, 2].map((partition) => ({ partition, offset: "0" })) }));
  assert.ok((await groupsListed()).has(preGroup), "the group exists before the run");

  const scenario = loadScenario(`
version: 1
name: ownership
brokers: { rabbit: { kind: rabbitmq }, kafka: { kind: kafka } }
resources:
  rabbit:
    queues: [{ name: ${preQueue} }, { name: ${ownQueue} }]
  kafka:
    topics: [{ name: ${preTopic}, partitions: 3 }, { name: ${ownTopic}, partitions: 1 }]
services:
  - name: writer
    producers:
      - { name: to-queue, broker: rabbit, to: { queue: ${ownQueue} }, rate: { burst: 10 } }
      - { name: to-topic, broker: kafka, to: { topic: ${ownTopic} }, rate: { burst: 10 } }
  - name: reader
    consumers:
      - { name: from-queue, broker: rabbit, from: { queue: ${ownQueue} } }
      - { name: old-group, broker: kafka, from: { topic: ${ownTopic}, group: ${preGroup}, fromBeginning: true } }
      - { name: new-group, broker: kafka, from: { topic: ${ownTopic}, group: ${ownGroup}, fromBeginning: true } }
`);
  const engine = testEngine();
  const run = await engine.start(scenario, { limitMs: 90_000 });
  const report = await run.done();

  assert.equal(report.ledger.lost, 0, `nothing lost: ${report.errors.join("; ")}`);
  const names = (list: { kind: string; name: string }[]) => list.map((r) => `${r.kind} ${r.name}`).sort();
  assert.deepEqual(names(report.resources!.existed), [`group ${preGroup}`, `queue ${preQueue}`, `topic ${preTopic}`].sort());
  assert.deepEqual(names(report.resources!.created), [`group ${ownGroup}`, `queue ${ownQueue}`, `topic ${ownTopic}`].sort());
  const told = report.timeline!.filter((e) => e.kind === "broker").map((e) => e.detail);
  assert.ok(told.includes(`queue "${preQueue}" already existed: used by this run, and it is kept at teardown`), told.join("\n"));
  assert.ok(told.includes(`topic "${preTopic}" already existed: used by this run, and it is kept at teardown`), told.join("\n"));

  // What existed is still there, with its messages; what the run created is gone.
  const [pre] = await rabbit.queueStats([preQueue]);
  assert.equal(pre?.messages, 5, "the pre-existing queue keeps its 5 messages");
  assert.deepEqual(await rabbit.queueStats([ownQueue]), [], "the run's own queue is deleted");
  assert.equal(await topicRecords(preTopic), 5, "the pre-existing topic keeps its 5 records");
  const present = await waitFor(async () => {
    const all = await kafkaListTopics();
    return all.has(preTopic) && !all.has(ownTopic) ? all : undefined;
  }, { timeoutMs: 15_000, description: "the run's own topic to be deleted and the old one kept" });
  assert.ok(present.has(preTopic));
  const groups = await groupsListed();
  assert.ok(groups.has(preGroup), "the pre-existing group is kept");
  assert.ok(!groups.has(ownGroup), "the group the run created is deleted");
});

test("a second run naming a queue an active run uses is refused with CONFLICT naming the first run", { timeout: 60_000 }, async () => {
  const queue = unique("bl-shared-queue");
  queues.push(queue);
  const scenarioNamed = (name: string) => loadScenario(`
version: 1
name: ${name}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${queue} }] } }
services:
  - name: writer
    producers: [{ name: p, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 5 } }]
  - name: reader
    consumers: [{ name: c, broker: rabbit, from: { queue: ${queue} } }]
`);
  const engine = testEngine();
  const first = await engine.start(scenarioNamed("first-run"), { durationMs: 30_000 });
  try {
    assert.throws(() => engine.create(scenarioNamed("second-run")), (error: unknown) => {
      assert.ok(error instanceof RunError);
      assert.equal(error.code, "CONFLICT");
      assert.ok(error.message.startsWith(`queue "${queue}" on broker rabbit is already used by run ${first.id} (scenario first-run, running)`), error.message);
      assert.match(error.message, /Rename the queue .* or stop run/);
      return true;
    });
    assert.equal(engine.list().length, 1, "the refused run was never created");
    const [stats] = await rabbit.queueStats([queue]);
    assert.equal(stats?.consumers, 1, "the first run's queue still has its one consumer");
  } finally {
    await first.stop("test over");
  }
  // Once the first run ended, the name is free again.
  const again = engine.create(scenarioNamed("second-run"));
  await again.start();
  await again.stop("test over");
  assert.deepEqual(await rabbit.queueStats([queue]), []);
});

test("a server start deletes what runs of a dead server created, and nothing of a live one's", { timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-orphans-"));
  const leftQueue = unique("bl-left-queue");
  const leftTopic = topicSpec(unique("bl-left-topic"), 1);
  const liveQueue = unique("bl-live-queue");
  queues.push(leftQueue, liveQueue);
  topics.push(leftTopic);
  const queueSpec = (name: string) => ({ name, type: "classic" as const, durable: true, autoDelete: false, existing: false });
  await rabbit.apply({ exchanges: [], queues: [queueSpec(leftQueue), queueSpec(liveQueue)], bindings: [] });
  await kafkaAdmin.apply([leftTopic]);

  // A server that died: a pid that has exited (and a start time no process has).
  const dead = spawn(process.execPath, ["-e", ""]);
  await once(dead, "exit");
  const rabbitEntry = (queue: string) => ({ kind: "rabbitmq" as const, url: withoutCredentials(config.RABBITMQ_URL), managementUrl: withoutCredentials(config.RABBITMQ_MANAGEMENT_URL), created: { exchanges: [], queues: [queueSpec(queue)], bindings: [] } });
  for (const dir of ["dead-run", "live-run"]) mkdirSync(path.join(dataDir, dir));
  writeManifest(path.join(dataDir, "dead-run"), {
    version: 1, runId: "dead-run", ownerPid: dead.pid!, ownerStart: "1", state: "active",
    brokers: { rabbit: rabbitEntry(leftQueue), kafka: { kind: "kafka", brokers: config.KAFKA_BROKERS, created: { topics: [leftTopic], groups: [] } } },
  });
  writeManifest(path.join(dataDir, "live-run"), { version: 1, runId: "live-run", ...ownerOfThisProcess(), state: "active", brokers: { rabbit: rabbitEntry(liveQueue) } });
  // A dead server's run on a broker that does not answer now: tried again at the next start.
  mkdirSync(path.join(dataDir, "unreachable-run"));
  writeManifest(path.join(dataDir, "unreachable-run"), {
    version: 1, runId: "unreachable-run", ownerPid: dead.pid!, ownerStart: "1", state: "active",
    brokers: { rabbit: { ...rabbitEntry(leftQueue), url: "amqp://127.0.0.1:1", managementUrl: "http://127.0.0.1:1" } },
  });

  const engine = createEngine({ ...testEngine().context, dataDir });
  const result = await engine.orphansCleaned;
  assert.deepEqual(result.cleaned, ["dead-run"]);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!, /^could not delete the resources run unreachable-run left behind \(tried again at the next start\): RabbitMQ at amqp:\/\/127\.0\.0\.1:1 is not reachable/);
  assert.equal(readManifest(path.join(dataDir, "unreachable-run"))?.state, "active");
  assert.deepEqual(await rabbit.queueStats([leftQueue]), [], "the dead server's queue is deleted");
  assert.equal((await rabbit.queueStats([liveQueue])).length, 1, "a live server's queue is kept");
  await waitFor(async () => !(await kafkaListTopics()).has(leftTopic.name), { timeoutMs: 15_000, description: "the dead server's topic to be deleted" });
  assert.equal(readManifest(path.join(dataDir, "dead-run"))?.state, "cleaned");
  assert.equal(readManifest(path.join(dataDir, "live-run"))?.state, "active");
  // Cleaned once: a second start finds nothing more to clean.
  assert.deepEqual((await createEngine({ ...testEngine().context, dataDir }).orphansCleaned).cleaned, []);
  rmSync(dataDir, { recursive: true, force: true });
});

test("a run writes what it created to its manifest at once and marks it released after teardown", { timeout: 60_000 }, async () => {
  const queue = unique("bl-manifest-queue");
  queues.push(queue);
  const engine = testEngine();
  const run = engine.create(loadScenario(`
version: 1
name: manifest
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${queue} }] } }
services:
  - name: writer
    producers: [{ name: p, broker: rabbit, to: { queue: ${queue} }, rate: { burst: 3 } }]
`), { durationMs: 60_000 });
  await run.start();
  const active = readManifest(run.logsDir);
  assert.equal(active?.state, "active");
  assert.equal(active?.ownerPid, process.pid);
  const entry = active?.brokers.rabbit;
  assert.ok(entry?.kind === "rabbitmq" && entry.created.queues.map((q) => q.name).join() === queue, JSON.stringify(active));
  assert.ok(!JSON.stringify(active).includes("guest:guest"), "no password in the manifest");
  await run.stop("test over");
  assert.equal(readManifest(run.logsDir)?.state, "released");
});


test("npm run scenario -- validate refuses __consumer_offsets as a topic and as a group with exit 2, before any broker is touched", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-names-"));
  const file = path.join(dir, "internal.yaml");
  writeFileSync(file, `
version: 1
name: internal
brokers: { kafka: { kind: kafka, brokers: ["192.0.2.1:9092"] } }
resources: { kafka: { topics: [{ name: __consumer_offsets }] } }
services:
  - name: reader
    consumers: [{ name: c, broker: kafka, from: { topic: __consumer_offsets, group: __consumer_offsets } }]
`);
  const result = spawnSync("npm", ["run", "-s", "scenario", "--", "validate", file], { cwd: repoRoot, encoding: "utf8", timeout: 50_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(result.status, 2, result.stdout + result.stderr);
  const said = result.stdout + result.stderr;
  assert.match(said, /services\[0\]\.consumers\[0\]\.from\.topic: must not start with "__" \(Kafka's internal topics/);
  assert.match(said, /services\[0\]\.consumers\[0\]\.from\.group: must not start with "__" \(Kafka's internal groups/);
});

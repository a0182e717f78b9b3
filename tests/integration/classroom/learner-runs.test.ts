// Classroom runs on the real RabbitMQ and Redis: two learners run one scenario at once, with the
// same queue, stream and group names. Each run declares in its learner's vhost and under its
// learner's Redis prefix, its services connect as the learner, every message is consumed, and the
// learner's password appears in no frame, report, log line or file of the run.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { createClient } from "redis";
import type { RunFrame } from "../../../lib/run/model";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createManagementClient } from "../../../server/brokers/rabbitmq/management";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createLearnerBrokers } from "../../../server/engine/learner-brokers";
import type { Run } from "../../../server/engine/run";
import type { JaegerQueryClient } from "../../../server/jaeger/query-client";
import { createDeadLetterReader } from "../../../server/lessons/dead-letters";
import { createSnapshotReader } from "../../../server/lessons/snapshot";
import { loadScenario, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const learnerBrokers = createLearnerBrokers();
const engine = createEngine({ ...engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }), learnerBrokers });
const management = (vhost: string) => createManagementClient({ managementUrl: config.RABBITMQ_MANAGEMENT_URL, vhost });

after(async () => {
  await engine.shutdown();
  assert.deepEqual(await learnerBrokers.removeAll(), []);
});

const scenario = (queue: string, stream: string, channel: string) => loadScenario(`
version: 1
name: classroom-learner-run
brokers:
  rabbit: { kind: rabbitmq }
  redis: { kind: redis }
resources:
  rabbit:
    queues:
      - { name: ${queue}, type: classic, durable: true }
  redis:
    streams:
      - { name: ${stream} }
    channels:
      - { name: ${channel}.created }
services:
  - name: shop
    producers:
      - { name: jobs, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 40 }, count: 40 }
      - { name: orders, broker: redis, to: { stream: ${stream} }, rate: { perSecond: 40 }, count: 40 }
      - { name: events, broker: redis, to: { channel: ${channel}.created }, rate: { manual: true }, count: 20 }
  - name: worker
    consumers:
      - { name: jobs, broker: rabbit, from: { queue: ${queue} } }
      - { name: orders, broker: redis, from: { stream: ${stream}, group: fulfilment } }
      - { name: events, broker: redis, from: { channelPattern: "${channel}.*" } }
`);

/** Redis's CLIENT LIST, read with the server's own user: who each connection is and what it subscribes to. */
async function redisClients(): Promise<Record<string, string>[]> {
  const admin = createClient({ url: config.REDIS_URL });
  admin.on("error", () => {});
  await admin.connect();
  try {
    const list = String(await admin.sendCommand(["CLIENT", "LIST"]));
    return list.trim().split("\n").map((line) => Object.fromEntries(line.trim().split(" ").map((field) => field.split("=", 2) as [string, string])));
  } finally {
    admin.destroy();
  }
}

/** Every file under `dir`, read as text. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [readFileSync(full, "latin1")];
  });

test("two learners run one scenario with the same names at once: each in their own vhost and prefix, connected as themselves, nothing lost", { timeout: 150_000 }, async () => {
  const [a, b] = [randomBytes(12).toString("hex"), randomBytes(12).toString("hex")];
  const input = scenario(unique("bl-class-jobs"), unique("bl-class-orders"), unique("bl-class-news"));
  const seen = new Map<Run, { frames: RunFrame[]; logs: string[] }>();
  const watch = (run: Run) => {
    const record = { frames: [] as RunFrame[], logs: [] as string[] };
    seen.set(run, record);
    run.events.on("frame", (frame) => record.frames.push(frame));
    run.events.on("log", (line) => record.logs.push(line));
    return run;
  };
  // Both runs are admitted side by side: a learner's vhost is a namespace of its own to the claims.
  const runA = watch(engine.create(input, { requester: `learner:${a}`, limitMs: 90_000 }));
  const runB = watch(engine.create(input, { requester: `learner:${b}`, limitMs: 90_000 }));
  await Promise.all([runA.start(), runB.start()]);
  // Within one learner's vhost the claims hold as ever: the same learner's second run is refused.
  assert.throws(() => engine.create(input, { requester: `learner:${a}` }), (error: Error & { code?: string }) => error.code === "CONFLICT" && error.message.includes(runA.id));

  const queue = input.resources.rabbit!.kind === "rabbitmq" ? input.resources.rabbit!.queues[0]!.name : "";
  for (const [run, learner] of [[runA, a], [runB, b]] as const) {
    const vhost = `brokerlab-learner-${learner}`;
    // The queue is the learner's vhost's; the services' connections are the learner's user's.
    assert.equal((await management(vhost).queue(queue))?.vhost, vhost);
    const users = await waitFor(async () => {
      const list = (await management(vhost).connections()).filter((c) => c.clientName?.includes(run.id));
      return list.length >= 2 ? list : undefined;
    }, { timeoutMs: 20_000, description: () => `the services of ${run.id} connected in ${vhost}` });
    assert.deepEqual([...new Set(users.map((c) => c.user))], [vhost]);
    // The Redis names carry the learner's prefix.
    const redis = run.scenario.resources.redis;
    assert(redis?.kind === "redis");
    assert(redis.streams[0]!.name.startsWith(learnerBrokers.prefixOf(learner)), redis.streams[0]!.name);
    // Redis sees the learner's user on the service's connections, one of them subscribed to the pattern.
    const subscribed = await waitFor(async () => {
      const mine = (await redisClients()).filter((c) => c.user === vhost);
      return mine.some((c) => c.psub === "1") ? mine : undefined;
    }, { timeoutMs: 20_000, description: () => `a pattern subscription of ${vhost} in CLIENT LIST` });
    assert(subscribed.length >= 2, `connections of ${vhost}: ${subscribed.length}`);
    // Fire-and-forget: the events go once the subscription is there.
    assert.equal(run.send("shop", "events", 20), 20);
  }
  assert.equal(await management("/").queue(queue), undefined, "nothing is declared in the shared vhost");

  // Lesson checks read the broker where the learner's run is: connections, and messages peeked at.
  const read = createSnapshotReader({ engine, jaeger: {} as JaegerQueryClient, readDeadLetters: createDeadLetterReader() });
  const checked = await read(runA, { queues: [], deadLetters: [queue], traces: [], replicas: false, events: false, connections: ["rabbit"] }, undefined);
  const connections = checked.connections?.rabbit;
  assert(connections && "value" in connections, JSON.stringify(connections));
  // The services' connections (the engine's own admin connection is there too, as the management user).
  const services = connections.value.filter((c) => c.clientName?.includes(runA.id));
  assert(services.length >= 2 && services.every((c) => c.user === `brokerlab-learner-${a}`), JSON.stringify(connections.value));
  assert(checked.deadLetters[queue] && "value" in checked.deadLetters[queue], JSON.stringify(checked.deadLetters[queue]));

  const [reportA, reportB] = await Promise.all([runA.done(), runB.done()]);
  for (const report of [reportA, reportB]) {
    assert.equal(report.status, "finished", report.errors.join("; "));
    assert.equal(report.consumers["worker/jobs"]?.acked, 40, "RabbitMQ: every job, none of the other learner's");
    assert.equal(report.consumers["worker/orders"]?.acked, 40, "Redis stream: every order");
    assert.equal(report.consumers["worker/events"]?.received, 20, "Redis pattern subscription: every event");
    assert.equal(report.ledger.lost, 0);
    assert.equal(report.errors.filter((e) => /NOPERM|refused/i.test(e)).length, 0, report.errors.join("; "));
  }
  // The broker views read the learner's vhost: the queue's depth was in the frames.
  assert(seen.get(runA)!.frames.some((f) => f.queues.some((q) => q.name === queue)), "queue depth of the learner's queue in a frame");

  // The password is nowhere a browser, a log or the run store could see it.
  for (const [run, learner] of [[runA, a], [runB, b]] as const) {
    const facing = await learnerBrokers.ensure(learner, run.brokers(), run.scenario);
    const password = decodeURIComponent(new URL((facing.rabbit as { url: string }).url).password);
    assert(password.length >= 24);
    const record = seen.get(run)!;
    const places = { frames: JSON.stringify(record.frames), report: JSON.stringify(run.report()), logs: record.logs.join("\n"), scenario: JSON.stringify(run.scenario), files: filesUnder(run.logsDir).join("\n") };
    for (const [where, text] of Object.entries(places)) assert(!text.includes(password), `the learner's password is in the run's ${where}`);
  }
});

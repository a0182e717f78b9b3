// A classroom learner's Kafka run end to end on the stack's real Kafka: the engine prefixes the
// run's topic and group with the learner's prefix, lends the learner a slot whose ACLs cover that
// prefix, and the learner's services produce and consume through the learner listener (SASL/PLAIN)
// as that slot: every message consumed, none lost. Removing the learner takes the slot's ACLs back.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createKafkaClient } from "../../../server/brokers/kafka/client";
import { createKafkaLearnerAccess, learnerAddresses } from "../../../server/brokers/kafka/learner-access";
import { describeUserAcls } from "../../../server/brokers/kafka/learner-acls";
import type { LearnerAccess } from "../../../server/brokers/learner-access";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createLearnerBrokers } from "../../../server/engine/learner-brokers";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import type { RunFrame } from "../../../lib/run/model";
import { readLearnerSlots } from "../../../stack/services/kafka-learners";
import { loadScenario, unique } from "../../support/engine";

const config = loadConfig();
// One slot of its own (the third from the end): a classroom server lends from the first, the broker test uses the last two.
const slot = readLearnerSlots()?.at(-3);
const learnerAt = learnerAddresses(config.KAFKA_BROKERS);
const kafka = createKafkaLearnerAccess({ slots: () => (slot ? [slot] : undefined), warn: () => {} });
// What the learner's services were handed, to check they log in on the learner listener.
const handed: Extract<ResolvedBroker, { kind: "kafka" }>[] = [];
const watched: LearnerAccess = {
  ...(kafka as LearnerAccess),
  async ensure(broker, learner, run) {
    const answer = await kafka.ensure(broker as never, learner, run);
    handed.push(answer);
    return answer;
  },
};
const learnerBrokers = createLearnerBrokers([watched]);
const engine = createEngine({ ...engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }), learnerBrokers });

after(async () => {
  await engine.shutdown();
  assert.deepEqual(await learnerBrokers.removeAll(), []);
});

/** Every file under `dir`, read as text. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [readFileSync(full, "latin1")];
  });

const scenario = (topic: string, group: string) =>
  loadScenario(`
version: 1
name: classroom-kafka
brokers:
  kafka: { kind: kafka }
resources:
  kafka:
    topics: [{ name: ${topic}, partitions: 2 }]
services:
  - name: shop
    producers:
      - name: orders
        broker: kafka
        to: { topic: ${topic}, key: "{{seq}}" }
        rate: { perSecond: 40 }
        count: 60
        startAfter: 1s
        acks: all
        payload: { n: "{{seq}}" }
  - name: billing
    consumers:
      - name: charge
        broker: kafka
        from: { topic: ${topic}, group: ${group}, fromBeginning: true }
        ack: manual
`);

test("a learner's Kafka run consumes end to end through the learner listener, under the learner's prefix", { timeout: 120_000 }, async (t) => {
  if (!slot || !learnerAt) return t.skip("the stack's Kafka has no learner slots (restart it: npm run stack:down -- kafka, then npm run stack:up -- kafka)");
  const learnerId = `kafka${unique("run").replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 40);
  const [topic, group] = [unique("orders"), unique("billing")];
  const run = engine.create(scenario(topic, group), { requester: `learner:${learnerId}`, limitMs: 90_000 });
  const frames: RunFrame[] = [];
  run.events.on("frame", (frame) => frames.push(frame));
  await run.start();
  const prefix = learnerBrokers.prefixOf(learnerId);
  const actualTopic = run.scenario.resources.kafka?.kind === "kafka" ? run.scenario.resources.kafka.topics[0]?.name : undefined;
  assert.equal(actualTopic, `${prefix}${topic}`, "the run's topic carries the learner's prefix");
  assert.deepEqual(handed.at(-1)?.brokers, learnerAt, "the learner's services are handed the learner listener");
  assert.equal(handed.at(-1)?.sasl?.username, slot.name);

  const report = await run.done();
  assert.equal(report.status, "finished", JSON.stringify(report.errors));
  assert.equal(report.producers["shop/orders"]?.confirmed, 60, JSON.stringify(report.producers));
  assert.equal(report.consumers["billing/charge"]?.received, 60, JSON.stringify(report.consumers));
  assert.equal(report.ledger.lost, 0, JSON.stringify(report.ledger));
  // The slot's password is in no frame, report, scenario or file of the run.
  assert.ok(frames.length > 0, "the run sent frames");
  const places = { frames: JSON.stringify(frames), report: JSON.stringify(report), scenario: JSON.stringify(run.scenario), files: filesUnder(run.logsDir).join("\n") };
  for (const [where, text] of Object.entries(places)) assert(!text.includes(slot.password), `the slot's password is in the run's ${where}`);

  // While the learner is in the class the slot holds the learner's two ACLs; removed, none.
  const admin = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: "brokerlab-test", logger: () => {} }).admin();
  await admin.connect();
  try {
    const held = await describeUserAcls(admin, slot.name, config.KAFKA_BROKERS);
    assert.deepEqual(held.map((acl) => acl.resourceName), [prefix, prefix]);
    assert.deepEqual(await learnerBrokers.removeLearner(learnerId), []);
    assert.deepEqual(await describeUserAcls(admin, slot.name, config.KAFKA_BROKERS), []);
  } finally {
    await admin.disconnect();
  }
});

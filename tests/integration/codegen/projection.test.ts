// Generated projections on the real stack: the code view's TypeScript (kafkajs) and Python
// (confluent-kafka) programs fold the same event log into the same state as Brokerlab's own fold
// (lib/scenario/fold.ts), field by field: nested fields, skipped steps and unknown types included.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import type { ProjectionState } from "../../../lib/run/patterns";
import { applyEvent } from "../../../lib/scenario/fold";
import type { Topic } from "../../../lib/scenario/schema";
import { createKafkaAdmin } from "../../../server/brokers";
import { createKafkaClient } from "../../../server/brokers/kafka/client";
import { createKafkaPublisher } from "../../../server/brokers/kafka/producer";
import type { SendOutcome } from "../../../server/brokers/messaging";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const admin = createKafkaAdmin({ brokers, clientId: "brokerlab-test" });
const programs = generatedPrograms("codegen-projection");
const topic = unique("codegen-stock");
const topicSpec: Topic = { name: topic, partitions: 2, replicationFactor: 1, cleanupPolicy: "delete", existing: false };
after(async () => {
  programs.cleanUp();
  await admin.teardown([topicSpec]).catch(() => {});
  await admin.close();
});

const scenario = loadScenario(`
version: 1
name: ${unique("codegen-projection")}
brokers: { kafka: { kind: kafka } }
resources:
  kafka:
    topics: [{ name: ${topic}, partitions: 2 }]
services:
  - name: stock-view
    projections:
      - name: levels
        broker: kafka
        from: { topic: ${topic} }
        key: sku
        fold:
          added:
            onHand: { add: item.quantity }
            events: { add: 1 }
            lastBatch: { set: batch }
            largest: { max: item.quantity }
          reserved:
            onHand: { subtract: item.quantity }
            reserved: { add: item.quantity }
            smallest: { min: item.quantity }
            events: { add: 1 }
            touched: { set: true }
`);

/** 300 events over five keys: nested quantities, some as text, some not numbers, unknown types, events without a key. */
function events(): Record<string, unknown>[] {
  const skus = ["apple", "fig", "kiwi", "pear", "plum"];
  return Array.from({ length: 300 }, (_, i) => {
    const sku = skus[i % skus.length]!;
    const quantity = i % 17 === 0 ? "lots" : i % 7 === 0 ? String((i % 9) + 1) : (i % 9) + 1;
    if (i % 50 === 49) return { type: "audited", sku };
    if (i % 61 === 60) return { type: "added", item: { quantity } };
    return { type: i % 3 === 0 ? "reserved" : "added", sku, batch: `b-${i}`, item: { quantity } };
  });
}

/** The state a program printed last, once it reports `applied` events. */
async function finalState(output: () => string, applied: number, who: string): Promise<ProjectionState> {
  const line = await waitFor(() => output().split("\n").reverse().find((l) => l.startsWith(`${applied} events applied: `)), {
    timeoutMs: 60_000,
    description: `the ${who} projection to apply ${applied} events (${output().slice(-400)})`,
  });
  return JSON.parse(line.slice(`${applied} events applied: `.length)) as ProjectionState;
}

describe("generated projections on the real stack", { timeout: 180_000 }, () => {
  it("TypeScript and Python fold 300 events into the same state as Brokerlab's fold, field by field", async () => {
    const log = events();
    await admin.apply([topicSpec]);
    // Keyed by sku, so each key's events keep their order (a `set` depends on it); idempotent, so
    // a retried send is neither written twice nor reordered.
    const publisher = await createKafkaPublisher({ kafka: createKafkaClient({ brokers, clientId: "brokerlab-test" }), brokers, acks: -1, idempotent: true, window: 100 });
    const sends: Promise<SendOutcome>[] = [];
    for (const event of log) {
      assert.equal(await publisher.writable(), true);
      sends.push(publisher.publish({ topic, key: String(event.sku ?? "none"), value: Buffer.from(JSON.stringify(event)), headers: {} }));
    }
    const outcomes = await Promise.all(sends);
    await publisher.close();
    assert.equal(outcomes.filter((o) => o.ok).length, log.length);

    const projection = scenario.services[0]!.projections![0]!;
    const expected: ProjectionState = {};
    const applied = log.filter((event) => applyEvent(expected, event, projection).applied).length;
    assert.ok(applied > 200 && applied < 300, `some events are skipped (${applied} of 300 applied)`);
    assert.equal(typeof expected.fig!.smallest, "number");

    const selection = { service: "stock-view", pattern: { kind: "projections" as const, name: "levels" } };
    const ts = programs.start(generateTypeScript(scenario, selection), { REPLAY: "1" });
    const py = programs.start(generatePython(scenario, selection), { REPLAY: "1" });
    try {
      const [fromTs, fromPy] = await Promise.all([finalState(ts.output, applied, "TypeScript"), finalState(py.output, applied, "Python")]);
      for (const key of Object.keys(expected)) {
        assert.deepEqual(fromTs[key], expected[key], `TypeScript, key ${key}`);
        assert.deepEqual(fromPy[key], expected[key], `Python, key ${key}`);
      }
      assert.deepEqual(Object.keys(fromTs).sort(), Object.keys(expected).sort());
      assert.deepEqual(Object.keys(fromPy).sort(), Object.keys(expected).sort());
    } finally {
      await Promise.all([ts.stop(), py.stop()]);
    }
  });
});

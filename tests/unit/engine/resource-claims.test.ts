// Two active runs never share a broker resource: the second is refused with CONFLICT, naming the
// first run and what to rename; derived retry queues and consumer groups count too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import type { Scenario } from "../../../lib/scenario/schema";
import { loadConfig } from "../../../server/config";
import type { KafkaAdmin, RabbitAdmin } from "../../../server/brokers/types";
import { engineContextFrom } from "../../../server/engine/context";
import { createClaimRegistry, resourceClaims, type ClaimHolder } from "../../../server/engine/resource-claims";
import { RunError } from "../../../server/engine/run";
import { baseScenario, withChange } from "../scenario/helpers";
import { validateScenario } from "../../../lib/scenario/validate";

const context = engineContextFrom(loadConfig({}), {
  createRabbitAdmin: () => assert.fail("no broker may be touched") as RabbitAdmin,
  createKafkaAdmin: () => assert.fail("no broker may be touched") as KafkaAdmin,
});

function scenario(doc: Record<string, unknown> = baseScenario()): Scenario {
  const result = validateScenario(doc);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
  return result.scenario;
}

function holder(id: string, name = "fixture"): ClaimHolder & { end(): void } {
  let end: () => void = () => {};
  const done = new Promise<void>((resolve) => (end = resolve));
  return { id, scenario: { name }, status: () => "running", done: () => done, end };
}

const brokers: Record<string, ResolvedBroker> = {
  rabbit: { kind: "rabbitmq", url: "amqp://guest:secret@localhost:5672", managementUrl: "http://localhost:15672" },
  kafka: { kind: "kafka", brokers: ["localhost:9092"] },
};

describe("resource claims", () => {
  it("lists every queue, exchange, topic and consumer group, derived retry queues included, without credentials", () => {
    const withRetry = withChange("services[1].consumers[0].onError", { retries: 2, backoffMs: [500] });
    const claims = resourceClaims(scenario(withRetry), brokers);
    assert.deepEqual(claims.map((c) => c.what).sort(), [
      'consumer group "audit" on broker kafka',
      'exchange "orders.dlx" on broker rabbit',
      'queue "order_queue" on broker rabbit',
      'queue "order_queue.dead" on broker rabbit',
      'queue "order_queue.retry.500" on broker rabbit',
      'topic "order-events" on broker kafka',
    ]);
    assert.ok(claims.every((c) => !c.key.includes("secret")), "a claim's key carries no password");
  });

  it("refuses a second run on the same queue with CONFLICT, naming the first run and what to rename", () => {
    const registry = createClaimRegistry(context);
    const first = holder("fixture-abc123", "first-scenario");
    registry.hold(first, registry.check(scenario()));
    assert.throws(() => registry.check(scenario(withChange("name", "second"))), (error: unknown) => {
      assert.ok(error instanceof RunError);
      assert.equal(error.code, "CONFLICT");
      assert.match(error.message, /^exchange "orders\.dlx" on broker rabbit is already used by run fixture-abc123 \(scenario first-scenario, running\)/);
      assert.match(error.message, /Rename the exchange \(everywhere the scenario names it\) in this scenario, e\.g\. "orders\.dlx-2", or stop run fixture-abc123 first\./);
      return true;
    });
  });

  it("refuses a shared consumer group even when every other name differs", () => {
    const registry = createClaimRegistry(context);
    registry.hold(holder("one"), registry.check(scenario()));
    const otherTopic = scenario({
      version: 1, name: "other", brokers: { kafka: { kind: "kafka" } }, resources: { kafka: { topics: [{ name: "other-events" }] } },
      services: [{ name: "reader", consumers: [{ name: "audit", broker: "kafka", from: { topic: "other-events", group: "audit" } }] }],
    });
    assert.throws(() => registry.check(otherTopic), /^RunError: consumer group "audit" on broker kafka is already used by run one .*Rename the group in this scenario, e\.g\. "audit-2"/);
  });

  it("lets a run attach to a topic another run declares (a new reader of a live log), and frees a run's names once it ended", async () => {
    const registry = createClaimRegistry(context);
    const reader = (name: string, group: string, existing: boolean) => scenario({
      version: 1, name, brokers: { kafka: { kind: "kafka" } }, resources: { kafka: { topics: [{ name: "shared-events", existing }] } },
      services: [{ name: "reader", consumers: [{ name: "c", broker: "kafka", from: { topic: "shared-events", group } }] }],
    });
    const log = holder("log");
    registry.hold(log, registry.check(reader("log", "group-a", false)));
    assert.doesNotThrow(() => registry.check(reader("b", "group-b", true)), "attaching beside the declaring run");
    assert.throws(() => registry.check(reader("c", "group-c", false)), /topic "shared-events" on broker kafka is already used by run log/, "declaring it twice");
    assert.throws(() => registry.check(reader("d", "group-a", true)), /consumer group "group-a"/, "one group in two runs");
    log.end();
    await log.done();
    await new Promise((resolve) => setImmediate(resolve));
    assert.doesNotThrow(() => registry.check(reader("c", "group-a", false)));
  });

  it("an existing queue may be published into by one run and consumed by another, never consumed by both", () => {
    const registry = createClaimRegistry(context);
    const onQueue = (name: string, role: "producer" | "consumer", existing: boolean) => scenario({
      version: 1, name, brokers: { rabbit: { kind: "rabbitmq" } }, resources: { rabbit: { queues: [{ name: "jobs", existing }] } },
      services: [role === "producer"
        ? { name: "writer", producers: [{ name: "p", broker: "rabbit", to: { queue: "jobs" } }] }
        : { name: "reader", consumers: [{ name: "c", broker: "rabbit", from: { queue: "jobs" } }] }],
    });
    registry.hold(holder("consuming"), registry.check(onQueue("consuming", "consumer", true)));
    assert.doesNotThrow(() => registry.check(onQueue("writer", "producer", true)));
    assert.throws(() => registry.check(onQueue("second-reader", "consumer", true)), /^RunError: queue "jobs" on broker rabbit is already used by run consuming/);
  });

  it("the same name on another broker address is no conflict", () => {
    const registry = createClaimRegistry(context);
    registry.hold(holder("one"), registry.check(scenario()));
    const elsewhere = withChange("brokers.rabbit.url", "amqp://guest:guest@rabbit-two.example:5672", withChange("brokers.kafka.brokers", ["kafka-two.example:9092"]));
    assert.doesNotThrow(() => registry.check(scenario(elsewhere)));
  });
});

// A refused run points at the field that names the shared resource, so the lab can show it; and
// the clash rules per kind: exchanges and channels that runs only publish to, queues, groups.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { claimPath } from "../../../server/engine/claim-paths";
import { clash, createClaimRegistry, resourceClaims, type ClaimHolder } from "../../../server/engine/resource-claims";
import { RunError } from "../../../server/engine/run";
import { withChange } from "../scenario/helpers";

const context = engineContextFrom(loadConfig({}), { createRabbitAdmin: () => assert.fail("no broker may be touched"), createKafkaAdmin: () => assert.fail("no broker may be touched") });

function scenario(doc: Record<string, unknown>): Scenario {
  const result = validateScenario(doc);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
  return result.scenario;
}

const holder = (id: string): ClaimHolder => ({ id, scenario: { name: `${id}-scenario` }, status: () => "running", done: () => new Promise(() => {}) });

/** The claim of `name` that `doc` makes, resolved against the configured brokers. */
function claimOf(doc: Record<string, unknown>, name: string) {
  const s = scenario(doc);
  const brokers: Record<string, ResolvedBroker> = Object.fromEntries(Object.keys(s.brokers).map((b) => [b, { kind: "redis", url: "redis://127.0.0.1:6379" } as ResolvedBroker]));
  const found = resourceClaims(s, brokers).find((c) => c.name === name);
  assert.ok(found, `no claim on ${name}`);
  return found;
}

const redisRun = (consumer?: Record<string, unknown>) => ({
  version: 1, name: "chat", brokers: { cache: { kind: "redis" } }, resources: { cache: { channels: [{ name: "orders.new" }] } },
  services: [
    { name: "writer", producers: [{ name: "p", broker: "cache", to: { channel: "orders.new" } }] },
    ...(consumer ? [{ name: "reader", consumers: [{ name: "c", broker: "cache", from: consumer }] }] : []),
  ],
});

describe("claim paths", () => {
  it("names the declaration, the consumer's group, or the onError a retry queue comes from", () => {
    const withRetry = scenario(withChange("services[1].consumers[0].onError", { retries: 2, backoffMs: [500] }));
    assert.equal(claimPath(withRetry, "rabbit", "queue", "order_queue"), "resources.rabbit.queues[0].name");
    assert.equal(claimPath(withRetry, "rabbit", "exchange", "orders.dlx"), "resources.rabbit.exchanges[0].name");
    assert.equal(claimPath(withRetry, "kafka", "topic", "order-events"), "resources.kafka.topics[0].name");
    assert.equal(claimPath(withRetry, "kafka", "group", "audit"), "services[1].consumers[1].from.group");
    assert.equal(claimPath(withRetry, "rabbit", "queue", "order_queue.retry.500"), "services[1].consumers[0].onError");
    assert.equal(claimPath(withRetry, "rabbit", "queue", "nowhere"), "resources.rabbit");
  });

  it("a CONFLICT carries the path of the shared resource in this scenario, naming the other run and what to do", () => {
    const registry = createClaimRegistry(context);
    const jobs = (name: string, queues: string[]) => scenario({
      version: 1, name, brokers: { rabbit: { kind: "rabbitmq" } }, resources: { rabbit: { queues: queues.map((q) => ({ name: q })) } },
      services: [{ name: "reader", consumers: [{ name: "c", broker: "rabbit", from: { queue: "jobs" } }] }],
    });
    registry.hold(holder("r-first"), registry.check(jobs("first", ["jobs"])));
    assert.throws(() => registry.check(jobs("second", ["audit-log", "jobs"])), (error: unknown) => {
      assert.ok(error instanceof RunError);
      assert.equal(error.code, "CONFLICT");
      // Where this scenario declares the queue, not where the other run does.
      assert.deepEqual(error.problems, [{ path: "resources.rabbit.queues[1].name", message: 'is used by active run r-first (scenario r-first-scenario): rename it, e.g. "jobs-2", or stop run r-first first' }]);
      return true;
    });
  });
});

describe("clash rules", () => {
  it("a Redis channel clashes only when a run subscribes to it (by name or by pattern)", () => {
    const publishing = claimOf(redisRun(), "orders.new");
    assert.equal(clash(publishing, claimOf(redisRun(), "orders.new")), false, "both only publish");
    assert.equal(clash(publishing, claimOf(redisRun({ channel: "orders.new" }), "orders.new")), true, "the other subscribes");
    assert.equal(claimOf(redisRun({ channelPattern: "orders.*" }), "orders.new").consumed, true, "a pattern subscribes too");
    assert.equal(claimOf(redisRun({ channelPattern: "payments.*" }), "orders.new").consumed, undefined);
  });

  it("an exchange both declare clashes; one declared by a run and marked existing by another does not", () => {
    const exchange = (existing: boolean) => scenario({
      version: 1, name: "x", brokers: { rabbit: { kind: "rabbitmq" } }, resources: { rabbit: { exchanges: [{ name: "events", type: "fanout", existing }] } },
      services: [{ name: "writer", producers: [{ name: "p", broker: "rabbit", to: { exchange: "events", routingKey: "" } }] }],
    });
    const registry = createClaimRegistry(context);
    registry.hold(holder("declarer"), registry.check(exchange(false)));
    assert.doesNotThrow(() => registry.check(exchange(true)), "publishing into the other run's exchange");
    assert.throws(() => registry.check(exchange(false)), /exchange "events" on broker rabbit is already used by run declarer/);
  });
});

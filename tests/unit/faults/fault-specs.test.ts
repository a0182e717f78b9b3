// The fault forms of a scenario's timeline and of run:fault: what parses to what, which errors
// name which path, and the references checked against the scenario.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runFaultSchema } from "../../../lib/run/events";
import { describeFault, faultProblems, poisonRoute } from "../../../lib/scenario/faults";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";

const scenario = (faults: unknown[]) => ({
  version: 1,
  name: "faults",
  brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
  resources: {
    rabbit: { exchanges: [{ name: "orders.dlx" }], queues: [{ name: "orders", maxLength: 100, deadLetter: { exchange: "orders.dlx" } }, { name: "jobs" }], bindings: [{ exchange: "orders.dlx", queue: "jobs" }] },
    kafka: { topics: [{ name: "events" }] },
  },
  services: [
    { name: "order-service", producers: [{ name: "orders", broker: "rabbit", to: { queue: "orders" } }, { name: "events", broker: "kafka", to: { topic: "events" } }] },
    { name: "inventory-service", replicas: 2, consumers: [{ name: "stock", broker: "rabbit", from: { queue: "orders" }, failures: { poison: { field: "sku", equals: "BAD" } } }] },
  ],
  faults,
});

function valid(faults: unknown[]): Scenario {
  const result = validateScenario(scenario(faults));
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.scenario;
}

function problems(faults: unknown[]) {
  const result = validateScenario(scenario(faults));
  assert.ok(!result.ok, "expected problems");
  return result.problems;
}

describe("scenario fault entries", () => {
  it("keeps the first forms exactly as they were", () => {
    assert.deepEqual(valid([{ at: "5s", kill: "inventory-service" }, { at: 8000, start: "inventory-service" }]).faults, [
      { at: 5000, action: "kill", service: "inventory-service" },
      { at: 8000, action: "start", service: "inventory-service" },
    ]);
  });

  it("reads every action with its parameters; `for` is a duration", () => {
    const faults = valid([
      { at: "1s", kill: "inventory-service", replica: 1 },
      { at: "1s", pause: "inventory-service", for: "2s" },
      { at: "1s", slow: "inventory-service", ms: 50 },
      { at: "2s", latency: "inventory-service", ms: 200, jitterMs: 20, for: "10s" },
      { at: "2s", bandwidth: "order-service", broker: "rabbit", bytesPerSecond: 10_000 },
      { at: "2s", drop: "inventory-service" },
      { at: "2s", cut: "inventory-service", for: 500 },
      { at: "2s", reset: "order-service", broker: "kafka" },
      { at: "2s", closeConnection: "inventory-service", replica: 0 },
      { at: "3s", stopBroker: "rabbit", for: "5s" },
      { at: "9s", startBroker: "kafka" },
      { at: "4s", fillQueue: "orders" },
      { at: "4s", fillQueue: "jobs", count: 20 },
      { at: "4s", poison: "inventory-service" },
    ]).faults;
    assert.deepEqual(faults[1], { at: 1000, action: "pause", service: "inventory-service", forMs: 2000 });
    assert.deepEqual(faults[3], { at: 2000, action: "latency", service: "inventory-service", ms: 200, jitterMs: 20, forMs: 10_000 });
    assert.deepEqual(faults[9], { at: 3000, action: "stopBroker", broker: "rabbit", forMs: 5000 });
    assert.deepEqual(faults[12], { at: 4000, action: "fillQueue", queue: "jobs", count: 20 });
  });

  it("names the bad field", () => {
    assert.match(problems([{ at: "1s", explode: "order-service" }])[0]!.message, /^a fault has "at" and exactly one action: kill, start, restart, pause, resume, slow, latency/);
    assert.deepEqual(problems([{ at: "1s", latency: "inventory-service", ms: -5 }]).map((p) => p.path), ["faults[0].ms"]);
    assert.deepEqual(problems([{ at: "1s", kill: "inventory-service", ms: 5 }]), [{ path: "faults[0]", message: 'unknown field "ms" for kill' }]);
    assert.deepEqual(problems([{ at: "1s", pause: "inventory-service", for: "soon" }]).map((p) => p.path), ["faults[0].for"]);
    assert.deepEqual(problems([{ at: "1s", kill: 3 }]).map((p) => p.path), ["faults[0].kill"]);
  });

  it("checks references against the scenario", () => {
    const cases: [unknown, string, RegExp][] = [
      [{ at: 0, kill: "nobody" }, "faults[0].kill", /"nobody" is not a service of this scenario/],
      [{ at: 0, kill: "inventory-service", replica: 2 }, "faults[0].replica", /has 2 replicas \(0-1\)/],
      [{ at: 0, latency: "order-service", ms: 5 }, "faults[0].broker", /uses brokers rabbit, kafka; name the link's broker/],
      [{ at: 0, latency: "order-service", broker: "nats", ms: 5 }, "faults[0].broker", /does not use broker "nats"/],
      [{ at: 0, closeConnection: "order-service", broker: "kafka" }, "faults[0].broker", /needs a RabbitMQ broker/],
      [{ at: 0, slow: "order-service", ms: 5 }, "faults[0].slow", /has no consumers/],
      [{ at: 0, stopBroker: "redis" }, "faults[0].stopBroker", /not a broker of this scenario/],
      [{ at: 0, fillQueue: "jobs" }, "faults[0].fillQueue", /has no maxLength; set one on the queue or give fillQueue a count/],
      [{ at: 0, fillQueue: "nope", count: 5 }, "faults[0].fillQueue", /is not a queue declared/],
      [{ at: 0, poison: "order-service" }, "faults[0].poison", /no single consumer with a failures.poison rule/],
    ];
    for (const [fault, path, message] of cases) {
      const found = problems([fault]);
      assert.equal(found[0]?.path, path, JSON.stringify(found));
      assert.match(found[0]!.message, message);
    }
  });

  it("a poison fault goes through a producer that reaches the consumer's queue", () => {
    const s = valid([]);
    assert.deepEqual(poisonRoute(s, { action: "poison", service: "inventory-service" }), { service: "order-service", producer: "orders", consumer: "stock", patch: { sku: "BAD" } });
    assert.deepEqual(faultProblems(s, { action: "poison", service: "inventory-service" }), []);
  });

  it("describes faults in one line", () => {
    assert.equal(describeFault({ action: "latency", service: "a", ms: 200, jitterMs: 20 }, "rabbit"), "latency 200±20 ms on a↔rabbit");
    assert.equal(describeFault({ action: "stopBroker", broker: "kafka", forMs: 3000 }), "stop broker kafka for 3000 ms");
    assert.equal(describeFault({ action: "kill", service: "a", replica: 1 }), "kill a[1]");
  });
});

describe("run:fault payloads", () => {
  it("accepts the first form, every spec, and end", () => {
    assert.deepEqual(runFaultSchema.parse({ runId: "r1", action: "kill", service: "s" }), { runId: "r1", request: { action: "kill", service: "s" } });
    assert.deepEqual(runFaultSchema.parse({ runId: "r1", action: "latency", service: "s", ms: 200 }).request, { action: "latency", service: "s", ms: 200 });
    assert.deepEqual(runFaultSchema.parse({ runId: "r1", action: "end", faultId: "latency-3" }).request, { action: "end", faultId: "latency-3" });
  });

  it("refuses unknown actions, bad parameters and unknown fields, by path", () => {
    const paths = (payload: unknown) => (runFaultSchema.safeParse(payload).error?.issues ?? []).map((i) => i.path.join("."));
    assert.deepEqual(paths({ runId: "r1", action: "explode" }), ["action"]);
    assert.deepEqual(paths({ runId: "r1", action: "bandwidth", service: "s", bytesPerSecond: 1 }), ["bytesPerSecond"]);
    assert.deepEqual(paths({ runId: "r1", action: "end" }), ["faultId"]);
    assert.equal(runFaultSchema.safeParse({ runId: "r1", action: "kill", service: "s", extra: 1 }).success, false);
    assert.equal(runFaultSchema.safeParse({ runId: "bad id!", action: "kill", service: "s" }).success, false);
  });
});

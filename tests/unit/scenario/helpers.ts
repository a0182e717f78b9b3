// Shared fixtures for the scenario tests: a small valid scenario and a way to break one field.
import assert from "node:assert/strict";
import { validateScenario } from "../../../lib/scenario/validate";
import type { Scenario } from "../../../lib/scenario/schema";
import type { ScenarioProblem } from "../../../lib/scenario/validate";

/** A fresh, valid scenario with both broker kinds: a queue, a dead-letter route and a topic. */
export function baseScenario(): Record<string, unknown> {
  return {
    version: 1,
    name: "fixture",
    brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
    resources: {
      rabbit: {
        exchanges: [{ name: "orders.dlx", type: "direct" }],
        queues: [
          { name: "order_queue", deadLetter: { exchange: "orders.dlx", routingKey: "dead" } },
          { name: "order_queue.dead" },
        ],
        bindings: [{ exchange: "orders.dlx", queue: "order_queue.dead", routingKey: "dead" }],
      },
      kafka: { topics: [{ name: "order-events", partitions: 3 }] },
    },
    services: [
      {
        name: "order-service",
        producers: [
          { name: "new-orders", broker: "rabbit", to: { queue: "order_queue" }, payload: { orderId: "{{seq}}", customerId: "{{randomInt 1 5}}" } },
          { name: "events", broker: "kafka", to: { topic: "order-events", key: "{{customerId}}" }, payload: { customerId: "{{randomInt 1 5}}" } },
        ],
      },
      {
        name: "inventory-service",
        consumers: [
          { name: "update-stock", broker: "rabbit", from: { queue: "order_queue" } },
          { name: "audit", broker: "kafka", from: { topic: "order-events", group: "audit" } },
        ],
      },
    ],
  };
}

/**
 * A copy of `doc` with the field at `path` (e.g. `services[1].consumers[0].from.queue`) set to
 * `value`, or removed when `value` is undefined. Missing objects on the way are created.
 */
export function withChange(path: string, value: unknown, doc: Record<string, unknown> = baseScenario()): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node = copy as Record<string | number, unknown>;
  for (const [i, key] of keys.entries()) {
    if (i === keys.length - 1) {
      if (value === undefined) delete node[key];
      else node[key] = value;
    } else {
      node[key] ??= typeof keys[i + 1] === "number" ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
  }
  return copy;
}

export function expectValid(input: unknown): Scenario {
  const result = validateScenario(input);
  if (!result.ok) assert.fail(`expected a valid scenario, got:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
  return result.scenario;
}

export function problemsOf(result: ReturnType<typeof validateScenario>): ScenarioProblem[] {
  assert.equal(result.ok, false, "expected the scenario to be rejected");
  return result.ok ? [] : result.problems;
}

/** Asserts that `input` is rejected with exactly one problem, at `path`, whose message matches. */
export function expectProblem(input: unknown, path: string, message: RegExp | string): ScenarioProblem {
  const problems = problemsOf(validateScenario(input));
  assert.equal(problems.length, 1, `expected exactly one problem, got:\n${problems.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
  const [problem] = problems as [ScenarioProblem];
  assert.equal(problem.path, path);
  if (typeof message === "string") assert.equal(problem.message, message);
  else assert.match(problem.message, message);
  return problem;
}

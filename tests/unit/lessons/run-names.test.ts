// Lesson runs get names of their own (one suffix per page): every lesson's scenarios, renamed, still validate and name
// no resource by its old name, and every queue, topic and group a step's check reads resolves to
// one the renamed scenario declares, so the checks still find their resources.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { checkNodes, type Check } from "../../../lib/lessons/checks";
import { lessons } from "../../../lib/lessons/catalogue";
import { stepSolutionText, stepStartText } from "../../../lib/lessons/resolve";
import { evaluateCheck } from "../../../lib/lessons/evaluate";
import { checkForRun } from "../../../lib/lessons/run-names";
import { emptySnapshot } from "../../../lib/lessons/snapshot";
import { withDerivedResources } from "../../../lib/scenario/derived";
import { isolateNames, noRenames } from "../../../lib/scenario/isolate";
import type { Scenario } from "../../../lib/scenario/schema";
import { parseScenarioText, validateScenario } from "../../../lib/scenario/validate";
import { fakeRun } from "./fixtures";

const examplesDir = new URL("../../../examples/", import.meta.url);
const examples = Object.fromEntries(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).map((f) => [f.replace(/\.yaml$/, ""), readFileSync(new URL(f, examplesDir), "utf8")]));

function declared(scenario: Scenario) {
  const full = withDerivedResources(scenario);
  const rabbit = Object.values(full.resources).flatMap((r) => (r.kind === "rabbitmq" ? [r] : []));
  const kafka = Object.values(full.resources).flatMap((r) => (r.kind === "kafka" ? [r] : []));
  return {
    queue: new Set(rabbit.flatMap((r) => r.queues.map((q) => q.name))),
    exchange: new Set(rabbit.flatMap((r) => r.exchanges.map((e) => e.name))),
    topic: new Set(kafka.flatMap((r) => r.topics.map((t) => t.name))),
    group: new Set(full.services.flatMap((s) => s.consumers).flatMap((c) => ("group" in c.from ? [c.from.group] : []))),
  };
}

/** The broker names a check reads: [kind, name]. */
function namesRead(check: Check): ["queue" | "topic" | "group", string][] {
  return checkNodes(check, "root").flatMap(({ check: c }): ["queue" | "topic" | "group", string][] => {
    switch (c.kind) {
      case "queueDepth": case "queueConsumers": return [["queue", c.queue]];
      case "xDeath": return [["queue", c.queue], ...(c.fromQueue ? [["queue", c.fromQueue] as ["queue", string]] : [])];
      case "consumerGroupLag": return [["group", c.group], ...(c.topic ? [["topic", c.topic] as ["topic", string]] : [])];
      case "consumerGroupOffsets": return [["group", c.group], ["topic", c.topic]];
      default: return [];
    }
  });
}

describe("lesson runs with names of their own", () => {
  for (const lesson of lessons) {
    it(`${lesson.id}: every step's scenario, renamed, validates and its checks read the renamed resources`, () => {
      lesson.steps.forEach((step, index) => [stepStartText, stepSolutionText].forEach((textOf) => {
        const text = textOf(lesson, index, examples);
        if (!text.ok) return;
        const parsed = parseScenarioText(text.text);
        if (!parsed.ok) return; // a step that starts from a broken scenario on purpose
        const { scenario, names } = isolateNames(parsed.scenario, "t3st");
        // A validated scenario carries each broker's kind in its resources; the document does not.
        // (Faults are validated in their document form and kept in another: the renaming of faults is tested below.)
        const revalidated = validateScenario({ ...scenario, faults: [], resources: Object.fromEntries(Object.entries(scenario.resources).map(([b, { kind: _kind, ...rest }]) => [b, rest])) });
        assert.ok(revalidated.ok, `${lesson.id}/${step.id}: ${revalidated.ok ? "" : JSON.stringify(revalidated.problems)}`);
        const before = declared(parsed.scenario);
        const after = declared(scenario);
        for (const kind of ["queue", "exchange", "topic", "group"] as const) {
          for (const name of after[kind]) assert.ok(name.includes("-t3st"), `${lesson.id}/${step.id}: ${kind} ${name} kept its shared name`);
          assert.equal(after[kind].size, before[kind].size, `${lesson.id}/${step.id}: as many ${kind}s as before`);
        }
        if (!step.check) return;
        for (const [kind, name] of namesRead(checkForRun(step.check, names))) {
          if (!before[kind].has(name.replace(/-t3st$/, ""))) continue; // a check about a resource this scenario lacks fails as before
          assert.ok(after[kind].has(name), `${lesson.id}/${step.id}: the check reads ${kind} ${name}, which the run does not have`);
        }
      }));
    });
  }

  it("renames targets, sources, bindings, dead-letter routes through the default exchange, retry queues and faults alike", () => {
    const parsed = parseScenarioText(`
version: 1
name: routes
brokers: { rabbit: { kind: rabbitmq }, kafka: { kind: kafka } }
resources:
  rabbit:
    exchanges: [{ name: orders }, { name: shared, existing: true }]
    queues:
      - { name: work, deadLetter: { exchange: "", routingKey: work.dead } }
      - { name: work.dead }
    bindings: [{ exchange: orders, queue: work, routingKey: new }]
  kafka:
    topics: [{ name: events }]
services:
  - name: s
    producers:
      - { name: a, broker: rabbit, to: { exchange: "", routingKey: work }, payload: { queue: work } }
      - { name: b, broker: rabbit, to: { exchange: shared, routingKey: x } }
    consumers:
      - { name: c, broker: rabbit, from: { queue: work }, onError: { retries: 1, backoffMs: [100], then: dead-letter } }
      - { name: d, broker: kafka, from: { topic: events, group: readers } }
faults:
  - { at: 1s, fillQueue: work, count: 5 }
`);
    assert.ok(parsed.ok, parsed.ok ? "" : JSON.stringify(parsed.problems));
    const { scenario, names } = isolateNames(parsed.scenario, "ab12");
    const rabbit = scenario.resources.rabbit!;
    assert.ok(rabbit.kind === "rabbitmq");
    assert.deepEqual(rabbit.exchanges.map((e) => e.name), ["orders-ab12", "shared-ab12"], "an existing one too: in a lesson it is an earlier run's of the same page");
    assert.deepEqual(rabbit.queues.map((q) => q.name), ["work-ab12", "work.dead-ab12"]);
    assert.deepEqual(rabbit.queues[0]!.deadLetter, { exchange: "", routingKey: "work.dead-ab12" });
    assert.deepEqual(rabbit.bindings[0], { exchange: "orders-ab12", queue: "work-ab12", routingKey: "new" });
    const [a, b] = scenario.services[0]!.producers;
    assert.deepEqual(a!.to, { exchange: "", routingKey: "work-ab12" });
    assert.deepEqual(a!.payload, { queue: "work" }, "payloads are the user's data, never renamed");
    assert.deepEqual(b!.to, { exchange: "shared-ab12", routingKey: "x" });
    assert.deepEqual(scenario.services[0]!.consumers.map((c) => c.from), [{ queue: "work-ab12" }, { topic: "events-ab12", group: "readers-ab12", fromBeginning: false }]);
    assert.equal((scenario.faults[0] as { queue?: string }).queue, "work-ab12");
    assert.ok(declared(scenario).queue.has("work-ab12.retry.100"), "derived retry queues follow the renamed queue");
    assert.equal(names.group.readers, "readers-ab12");
  });

  it("a check reads the run's names, and the lesson's names without a renaming", () => {
    const names = noRenames();
    names.queue.order_queue = "order_queue-zz99";
    names.group.billing = "billing-zz99";
    names.topic.orders = "orders-zz99";
    const check: Check = { kind: "all", checks: [
      { kind: "queueDepth", queue: "order_queue", op: ">=", value: 1 },
      { kind: "consumerGroupOffsets", group: "billing", topic: "orders" },
      { kind: "xDeath", queue: "other", fromQueue: "order_queue" },
    ] };
    assert.deepEqual(namesRead(checkForRun(check, names)), [["queue", "order_queue-zz99"], ["group", "billing-zz99"], ["topic", "orders-zz99"], ["queue", "other"], ["queue", "order_queue-zz99"]]);
    assert.equal(checkForRun(check, undefined), check);
  });

  it("a scenario check's path selects the run's renamed queues, exchanges and topics", () => {
    const names = noRenames();
    names.queue.packing = "packing-zz99";
    names.topic["inventory-events"] = "inventory-events-zz99";
    const queue = checkForRun({ kind: "scenario", path: "resources.rabbit.queues[packing].overflow", equals: "drop-head" }, names);
    assert.equal((queue as { path: string }).path, "resources.rabbit.queues[packing-zz99].overflow");
    const topic = checkForRun({ kind: "scenario", path: "resources.kafka.topics[inventory-events].retention", op: ">=", value: 1 }, names);
    assert.equal((topic as { path: string }).path, "resources.kafka.topics[inventory-events-zz99].retention");
    const service = checkForRun({ kind: "scenario", path: "services[packing].replicas", op: ">=", value: 2 }, names);
    assert.equal((service as { path: string }).path, "services[packing].replicas", "services keep their names");
  });

  for (const lesson of lessons) {
    it(`${lesson.id}: every scenario check of a step finds its field in the step's renamed solution`, () => {
      lesson.steps.forEach((step, index) => {
        const text = stepSolutionText(lesson, index, examples);
        const parsed = text.ok ? parseScenarioText(text.text) : undefined;
        if (!parsed?.ok) return;
        const { scenario, names } = isolateNames(parsed.scenario, "t3st");
        const scenarioLeaves = (check: Check): Check[] => (check.kind === "all" || check.kind === "any" ? check.checks.flatMap(scenarioLeaves) : check.kind === "scenario" ? [check] : []);
        for (const leaf of scenarioLeaves(checkForRun(step.check, names))) {
          if (leaf.kind !== "scenario" || !/(queues|exchanges|topics)\[/.test(leaf.path)) continue;
          const verdict = evaluateCheck(leaf, { ...emptySnapshot(), run: fakeRun({ scenario }) }, "scenario");
          assert.doesNotMatch(verdict.detail, /not set/, `${lesson.id}/${step.id}: ${leaf.path}: ${verdict.detail}`);
        }
      });
    });
  }

  it("a name like __proto__ is a key like any other", () => {
    const names = noRenames();
    names.queue["__proto__"] = "__proto__-x";
    assert.equal(checkForRun({ kind: "queueDepth", queue: "__proto__", op: ">=", value: 1 }, names).kind, "queueDepth");
    assert.equal((checkForRun({ kind: "queueDepth", queue: "__proto__", op: ">=", value: 1 }, names) as { queue: string }).queue, "__proto__-x");
  });
});

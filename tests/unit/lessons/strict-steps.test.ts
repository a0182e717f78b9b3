// Steps that must not complete on pressing Start alone (issue 14): each one's check fails on the
// scenario the step loads, because a part of it that every pass needs asks for the learner's change.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import { checkSchema, type Check } from "../../../lib/lessons/checks";
import { evaluateCheck } from "../../../lib/lessons/evaluate";
import { parseMetricPath } from "../../../lib/lessons/metric-path";
import { applyPatches } from "../../../lib/lessons/patch";
import { stepSolutionText, stepStartText } from "../../../lib/lessons/resolve";
import { emptySnapshot } from "../../../lib/lessons/snapshot";
import { withDerivedResources } from "../../../lib/scenario/derived";
import type { Scenario } from "../../../lib/scenario/schema";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { fakeRun } from "./fixtures";

const examplesDir = new URL("../../../examples/", import.meta.url);
const examples = Object.fromEntries(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).map((f) => [f.replace(/\.yaml$/, ""), readFileSync(new URL(f, examplesDir), "utf8")]));

/** Steps whose check needs the learner to change the loaded scenario (issue 14, sections 1 and 2). */
const strictSteps = [
  "work-queues/scale-out",
  "declaration-pitfalls/wrong-name",
  "declaration-pitfalls/mismatched-arguments",
  "connection-trouble/wrong-port",
  "connection-trouble/wrong-credentials",
  "exercise-first-pipeline/declarations",
  "routing-topics/new-event",
  "duplicates-ordering/idempotent-consumer",
  "observability/fix-the-bottleneck",
  "choosing-a-broker/race",
  "security/credentials",
  "security/vhost",
  "security/tls",
  "knowledge-checks/decoupling",
  "knowledge-checks/one-to-many",
  "knowledge-checks/streams",
  "observability-2/span-links",
];

/** The leaves every pass needs: those reached through `all` nodes only (an `any` offers other ways). */
function requiredLeaves(check: Check): Check[] {
  if (check.kind === "all") return check.checks.flatMap(requiredLeaves);
  return check.kind === "any" ? [] : [check];
}

const consumerCount = (scenario: Scenario) => scenario.services.reduce((sum, s) => sum + s.consumers.length, 0);

/** Why the check cannot pass on this scenario, or undefined when nothing stands in its way. */
function blocker(check: Check, scenario: Scenario): string | undefined {
  // A refused run or scenario: the loaded one validates and runs, so the try has no refusal to show.
  const attemptOnly = check.kind === "runError" || check.kind === "scenarioProblem" || (check.kind === "any" && check.checks.every((c) => c.kind === "runError"));
  if (attemptOnly) {
    const verdict = evaluateCheck(check, { ...emptySnapshot(), attempt: { at: 0, problems: [], runId: "start-alone" } }, "root");
    return verdict.state === "pass" ? undefined : `a clean try does not pass: ${verdict.detail}`;
  }
  for (const leaf of requiredLeaves(check)) {
    if (leaf.kind === "scenario") {
      const verdict = evaluateCheck(leaf, { ...emptySnapshot(), run: fakeRun({ scenario }) }, "scenario");
      if (verdict.state !== "pass") return `${leaf.label}: ${verdict.detail}`;
    }
    if (leaf.kind === "runMetric" && typeof leaf.need === "number") {
      const path = parseMetricPath(leaf.path);
      if (!("error" in path) && path.section === "consumers" && path.key === "*" && consumerCount(scenario) < leaf.need) return `${leaf.label}: the scenario has ${consumerCount(scenario)} consumers`;
    }
  }
  return undefined;
}

function scenarioOf(text: { ok: true; text: string } | { ok: false; error: string }): Scenario {
  assert.ok(text.ok, text.ok ? "" : text.error);
  const parsed = parseScenarioText(text.text);
  assert.ok(parsed.ok, "the step's scenario validates, so Start runs it");
  return withDerivedResources(parsed.scenario);
}

describe("steps that Start alone cannot complete", () => {
  for (const key of strictSteps) {
    it(`${key}: the loaded scenario fails the check; Show me's solution is not blocked`, () => {
      const [lessonId, stepId] = key.split("/") as [string, string];
      const lesson = lessons.find((l) => l.id === lessonId);
      assert.ok(lesson, `no lesson ${lessonId}`);
      const index = lesson.steps.findIndex((s) => s.id === stepId);
      assert.ok(index >= 0, `no step ${key}`);
      const step = lesson.steps[index]!;
      const start = stepStartText(lesson, index, examples);
      assert.ok(blocker(step.check, scenarioOf(start)), "Start alone on the loaded scenario could pass the check");
      const solution = stepSolutionText(lesson, index, examples);
      assert.ok(solution.ok, solution.ok ? "" : solution.error);
      const parsed = parseScenarioText(solution.text);
      // A refused scenario is itself the solution of a scenarioProblem step.
      if (parsed.ok && step.check.kind !== "runError" && !(step.check.kind === "any")) assert.equal(blocker(step.check, withDerivedResources(parsed.scenario)), undefined);
    });
  }

  it("a scenario check with matches takes any value of the pattern, and refuses others", () => {
    const check = checkSchema.parse({ kind: "scenario", path: "services[order-service].producers[new-orders].to.queue", matches: "^order_" });
    const withQueue = (queue: string) => {
      const scenario = fakeRun().scenario;
      const services = scenario.services.map((s) => ({ ...s, producers: s.producers.map((p) => ({ ...p, to: { queue } })) }));
      return { ...emptySnapshot(), run: fakeRun({ scenario: { ...scenario, services } }) };
    };
    assert.equal(evaluateCheck(check, withQueue("order_queue"), "m").state, "pass");
    assert.equal(evaluateCheck(check, withQueue("order_archive"), "m").state, "pass");
    const refused = evaluateCheck(check, withQueue("invoices"), "m");
    assert.equal(refused.state, "fail");
    assert.match(refused.detail, /"invoices"; this step wants a value matching \/\^order_\//);
    assert.equal(checkSchema.safeParse({ kind: "scenario", path: "a.b", matches: "(" }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "scenario", path: "a.b", matches: "x", equals: "x" }).success, false);
  });

  it("lesson 2's scale-out wants prefetch 1 back: five workers that keep step 2's prefetch 100 do not pass", () => {
    const lesson = lessons.find((l) => l.id === "work-queues")!;
    const roundRobin = stepSolutionText(lesson, 1, examples);
    assert.ok(roundRobin.ok);
    const fiveWorkers = applyPatches(roundRobin.text, [{ set: "services[worker].replicas", value: 5 }]);
    assert.ok(fiveWorkers.ok);
    assert.match(blocker(lesson.steps[2]!.check, scenarioOf(fiveWorkers)) ?? "", /prefetch 1 again: .*prefetch: 100; this step wants 1/);
  });

  it("lesson 5's broker restart counts only the acks after the outage", () => {
    const lesson = lessons.find((l) => l.id === "connection-trouble")!;
    const resumed = requiredLeaves(lesson.steps.find((s) => s.id === "broker-restart")!.check).find((c) => c.kind === "resumedAfterGap")!;
    const acks = (times: number[]) => ({ ...emptySnapshot(), run: fakeRun({ events: times.map((at, i) => ({ id: `order-service/new-orders/${i + 1}`, kind: "acked" as const, at, service: "inventory-service", replica: 0, actor: "update-stock" })) }) });
    const every100ms = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * 100);
    // 300 acks before RabbitMQ stopped and none since: the old counter said "processed again".
    assert.equal(evaluateCheck(resumed, acks(every100ms(0, 300)), "r").state, "fail");
    assert.equal(evaluateCheck(resumed, acks([...every100ms(0, 300), ...every100ms(40_000, 5)]), "r").state, "partial");
    assert.equal(evaluateCheck(resumed, acks([...every100ms(0, 300), ...every100ms(40_000, 25)]), "r").state, "pass");
  });

  it("lesson 10's delivery-limit step wants the broker's reason, not a consumer's reject", () => {
    const lesson = lessons.find((l) => l.id === "retries-dead-letters")!;
    const step = lesson.steps.find((s) => s.id === "requeue-loop")!;
    const xDeath = requiredLeaves(step.check).find((c) => c.kind === "xDeath")!;
    const snapshot = (reason: string) => ({ ...emptySnapshot(), run: fakeRun(), deadLetters: { "payments.dead": { value: [[{ queue: "payments", reason, count: 1 }]] } } });
    assert.equal(evaluateCheck(xDeath, snapshot("rejected"), "x").state, "fail");
    assert.equal(evaluateCheck(xDeath, snapshot("delivery_limit"), "x").state, "pass");
  });
});

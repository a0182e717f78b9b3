// The catalogue: every lesson validates against the schema, covers DESIGN.md §6 and the course's
// quiz, and every step's scenario resolves, validates, and names what its check reads.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { catalogueSummary, lessons } from "../../../lib/lessons/catalogue";
import type { Check } from "../../../lib/lessons/checks";
import { evaluateCheck } from "../../../lib/lessons/evaluate";
import { parseMetricPath } from "../../../lib/lessons/metric-path";
import { readPath } from "../../../lib/lessons/patch";
import { examplesUsed, stepSolutionText, stepStartText } from "../../../lib/lessons/resolve";
import { lessonSchema } from "../../../lib/lessons/schema";
import { emptySnapshot } from "../../../lib/lessons/snapshot";
import { withDerivedResources } from "../../../lib/scenario/derived";
import type { Scenario } from "../../../lib/scenario/schema";
import { formatProblems, parseScenarioText } from "../../../lib/scenario/validate";
import { fakeRun } from "./fixtures";

const examplesDir = new URL("../../../examples/", import.meta.url);
const examples = Object.fromEntries(
  readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).map((f) => [f.replace(/\.yaml$/, ""), readFileSync(new URL(f, examplesDir), "utf8")]),
);

const leaves = (check: Check): Check[] => (check.kind === "all" || check.kind === "any" ? check.checks.flatMap(leaves) : [check]);

/** `requests.<service>/<requester>…`, `projections.<service>/<projection>…`, `webhooks.receivers.<service>…`, `tasks…`. */
function patternPartExists(scenario: Scenario, key: string): boolean {
  const [kind, name, third] = key.split(".");
  const parts = (field: string) => scenario.services.flatMap((s) => ((s as unknown as Record<string, { name: string }[] | undefined>)[field] ?? []).map((p) => `${s.name}/${p.name}`));
  const hasField = (field: string) => scenario.services.some((s) => (s as unknown as Record<string, unknown>)[field] !== undefined && (s as unknown as Record<string, unknown>)[field] !== null && !(Array.isArray((s as unknown as Record<string, unknown>)[field]) && ((s as unknown as Record<string, unknown[]>)[field]!).length === 0));
  switch (kind) {
    case "requests":
      return parts("requesters").includes(name ?? "");
    case "repliers":
      return parts("repliers").includes(name ?? "");
    case "projections":
      return parts("projections").includes(name ?? "");
    case "tasks":
      return hasField("tasks") || hasField("workers");
    case "webhooks":
      return name !== "receivers" || scenario.services.some((s) => s.name === third && hasField("webhookReceiver"));
    default:
      return false;
  }
}

/** Everything a check names must exist in the scenario it runs against. */
function unknownNames(check: Check, scenario: Scenario): string[] {
  const services = new Map(scenario.services.map((s) => [s.name, s]));
  const consumers = new Set(scenario.services.flatMap((s) => s.consumers.map((c) => `${s.name}/${c.name}`)));
  const producers = new Set(scenario.services.flatMap((s) => s.producers.map((p) => `${s.name}/${p.name}`)));
  const queues = new Set(Object.values(scenario.resources).flatMap((r) => (r.kind === "rabbitmq" || r.kind === "aws" ? r.queues.map((q) => q.name) : [])));
  const topics = new Set(Object.values(scenario.resources).flatMap((r) => (r.kind === "kafka" ? r.topics.map((t) => t.name) : [])));
  const groups = new Set(scenario.services.flatMap((s) => s.consumers.flatMap((c) => ("group" in c.from ? [c.from.group] : []))));
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => void (ok || problems.push(what));
  for (const leaf of leaves(check)) {
    switch (leaf.kind) {
      case "runMetric": {
        const path = parseMetricPath(leaf.path);
        assert.ok(!("error" in path));
        if (path.key === "*" || path.key === undefined) break;
        if (path.section === "patterns") {
          need(patternPartExists(scenario, path.key), `${leaf.path}: the scenario has no such pattern part`);
          break;
        }
        const known = { producers, consumers, queues, lag: groups, ledger: new Set<string>() }[path.section];
        need(known.has(path.key), `${leaf.path}: no ${path.section} ${path.key}`);
        break;
      }
      case "replicaMetric":
      case "deliveryOrder":
      case "partitionByKey":
      case "resumedAfterGap":
        need(consumers.has(leaf.consumer), `no consumer ${leaf.consumer}`);
        break;
      case "replicaState":
        need(services.has(leaf.service), `no service ${leaf.service}`);
        break;
      case "connectionState":
        need(services.has(leaf.service) && leaf.broker in scenario.brokers, `no service ${leaf.service} or broker ${leaf.broker}`);
        break;
      case "queueDepth":
      case "queueConsumers":
      case "xDeath":
        need(queues.has(leaf.queue), `no queue ${leaf.queue}`);
        break;
      case "consumerGroupLag":
      case "consumerGroupOffsets":
        need(groups.has(leaf.group) && (!leaf.topic || topics.has(leaf.topic)), `no group ${leaf.group} on ${leaf.topic}`);
        break;
      case "traceHasSpan":
        need(services.has(leaf.service), `no service ${leaf.service}`);
        break;
      case "traceCrosses":
        for (const s of leaf.services) need(services.has(s), `no service ${s}`);
        break;
      case "scenario":
        need(readPath(scenario, leaf.path) !== undefined, `the scenario has no ${leaf.path}`);
        break;
      default:
        break;
    }
  }
  return problems;
}

describe("the lesson catalogue", () => {
  it("holds the 18 lessons of DESIGN.md §6, three on Amazon SQS/SNS (and the five-broker comparison), two on Google Pub/Sub, and the later ones, numbered 1, 2, … without gaps, and the course's exercise", () => {
    const numbered = lessons.filter((l) => l.kind === "lesson").map((l) => l.number);
    assert.ok(numbered.length >= 22, `${numbered.length} lessons`);
    assert.deepEqual(numbered, Array.from({ length: numbered.length }, (_, i) => i + 1));
    assert.deepEqual(lessons.filter((l) => l.brokers.includes("aws")).map((l) => l.number), [19, 20, 21, 34]);
    assert.deepEqual(lessons.filter((l) => l.brokers.includes("pubsub")).map((l) => l.number), [33, 34]);
    assert.equal(lessons.filter((l) => l.kind === "exercise").length, 1);
    const ids = lessons.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length, "lesson ids are unique");
  });

  it("covers all ten questions of the course's quiz in the knowledge-check lesson", () => {
    const quiz = lessons.find((l) => l.number === 18)!.steps.flatMap((s) => s.quiz ?? []);
    assert.equal(quiz.length, 10);
    const topics = [/benefit|main thing/i, /message brokers/i, /AWS service/i, /SNS and SQS/i, /publish\/subscribe, how many/i, /one-to-many/i, /event-driven architecture/i, /deferred/i, /stream processing/i, /Clojure/i];
    for (const topic of topics) assert.ok(quiz.some((q) => topic.test(q.prompt)), `no question matches ${topic}`);
    assert.ok(quiz.find((q) => /message brokers/.test(q.prompt))!.options.filter((o) => o.correct).length === 2, "the brokers question has two right answers");
  });

  it("has a predict-then-run question in the acknowledgements lesson, on the ledger", () => {
    const step = lessons.find((l) => l.id === "acknowledgements")!.steps.find((s) => s.predict);
    assert.equal(step?.predict?.metric, "ledger.lost");
  });

  it("summarises each lesson with its steps' check ids for GET /api/lessons", () => {
    const summary = catalogueSummary();
    assert.equal(summary.length, lessons.length);
    const first = summary[0]!;
    assert.equal(first.id, "hello-queue");
    assert.equal(first.steps[0]!.checkId, "first-order-acked");
    assert.ok(first.steps[0]!.checkIds.length > 1);
    assert.doesNotThrow(() => JSON.stringify(summary));
  });

  for (const lesson of lessons) {
    describe(`${lesson.kind === "exercise" ? "exercise" : `lesson ${lesson.number}`}: ${lesson.id}`, () => {
      it("validates against the lesson schema", () => {
        const parsed = lessonSchema.safeParse(lesson);
        assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues, null, 1));
      });

      it("loads only examples that exist", () => {
        for (const id of examplesUsed(lesson)) assert.ok(examples[id], `examples/${id}.yaml is missing`);
      });

      lesson.steps.forEach((step, index) => {
        it(`step ${step.id}: its scenarios resolve, and its check names what the solution declares`, () => {
          const start = stepStartText(lesson, index, examples);
          assert.ok(start.ok, start.ok ? "" : start.error);
          const solution = stepSolutionText(lesson, index, examples);
          assert.ok(solution.ok, solution.ok ? "" : solution.error);
          const parsed = parseScenarioText(solution.text);
          const refused = leaves(step.check).some((c) => c.kind === "scenarioProblem");
          if (refused) {
            assert.ok(!parsed.ok, "a step about a refused scenario refuses its solution");
            const verdict = evaluateCheck(step.check, { ...emptySnapshot(), attempt: { at: 0, problems: parsed.problems } }, step.id);
            assert.equal(verdict.state, "pass", verdict.detail);
            return;
          }
          assert.ok(parsed.ok, parsed.ok ? "" : formatProblems(parsed.problems));
          const scenario = withDerivedResources(parsed.scenario);
          assert.deepEqual(unknownNames(step.check, scenario), []);
          if (step.predict) {
            const path = parseMetricPath(step.predict.metric);
            assert.ok(!("error" in path));
          }
          // The solution satisfies the step's own scenario conditions.
          for (const leaf of leaves(step.check).filter((c) => c.kind === "scenario")) {
            const verdict = evaluateCheck(leaf, { ...emptySnapshot(), run: fakeRun({ scenario }) }, "scenario");
            assert.equal(verdict.state, "pass", verdict.detail);
          }
        });
      });
    });
  }
});

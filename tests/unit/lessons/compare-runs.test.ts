// How a lesson's side-by-side step finds its two recorded runs: the same step before and after a
// change, the step before it, or the broker before it in lesson 34's measured table; nothing while
// a run is missing, still running, or the step compares nothing. On the real catalogue.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lessonById } from "../../../lib/lessons/catalogue";
import { runsToCompare, stepComparesRuns } from "../../../lib/lessons/compare-runs";
import type { Lesson } from "../../../lib/lessons/schema";
import type { StoredRunSummary } from "../../../lib/runs/history";

const lesson = (id: string): Lesson => {
  const found = lessonById(id);
  assert.ok(found, `lesson ${id} is in the catalogue`);
  return found;
};

let minute = 0;
const run = (lessonId: string, stepId: string, status: StoredRunSummary["status"] = "finished"): StoredRunSummary => ({
  runId: `${stepId}-${++minute}`, scenario: "s", origin: "lesson", lessonId, stepId, brokers: ["rabbitmq"], status,
  startedAt: new Date(Date.UTC(2026, 11, 7, 6, minute)).toISOString(), pinned: false, outcomes: [], frames: 10, bytes: 100,
});

describe("the two runs a lesson step compares", () => {
  it("lesson 16's race: the two latest finished runs of the step, before and after the change; none with one run", () => {
    const race = lesson("choosing-a-broker");
    const first = run(race.id, "race");
    assert.equal(runsToCompare(race, "race", [first]), undefined);
    const second = run(race.id, "race");
    const third = run(race.id, "race");
    const running = run(race.id, "race", "running");
    const pair = runsToCompare(race, "race", [third, running, first, second]);
    assert.deepEqual([pair?.a.runId, pair?.b.runId], [second.runId, third.runId]);
    assert.match(pair!.aIs, /before your change/);
  });

  it("lesson 34: a broker's step beside the nearest broker before it that has a run (the first broker: the next one)", () => {
    const measured = lesson("choosing-a-broker-measured");
    const rabbit = run(measured.id, "rabbitmq");
    const kafka = run(measured.id, "kafka");
    const redis = run(measured.id, "redis-streams");
    const runs = [rabbit, kafka, redis];
    assert.deepEqual([runsToCompare(measured, "redis-streams", runs)?.a.runId, runsToCompare(measured, "redis-streams", runs)?.b.runId], [kafka.runId, redis.runId], "sns-sqs has no run: Kafka's stands before Redis");
    const forRabbit = runsToCompare(measured, "rabbitmq", runs);
    assert.deepEqual([forRabbit?.a.runId, forRabbit?.b.runId], [kafka.runId, rabbit.runId]);
    assert.match(`${forRabbit!.aIs} / ${forRabbit!.bIs}`, /Kafka .* \/ .*RabbitMQ/);
    assert.equal(runsToCompare(measured, "pubsub", runs), undefined, "no Pub/Sub run yet");
    assert.equal(runsToCompare(measured, "kafka", [kafka]), undefined, "no other broker's run yet");
  });

  it("a step that changes one setting of the step before: its run beside that step's", () => {
    const producer = lesson("producer-guarantees");
    const zero = run(producer.id, "acks-zero");
    const all = run(producer.id, "acks-all");
    const pair = runsToCompare(producer, "acks-all", [all, zero]);
    assert.deepEqual([pair?.a.runId, pair?.b.runId], [zero.runId, all.runId]);
    assert.match(pair!.aIs, /acks 0/);
  });

  it("a step run once whose lesson asks for before and after falls back to the step before's run of the same scenario; other steps compare nothing", () => {
    const duplicates = lesson("duplicates-ordering");
    const before = run(duplicates.id, "at-least-once");
    const after = run(duplicates.id, "idempotent-consumer");
    assert.equal(runsToCompare(duplicates, "idempotent-consumer", [before, after])?.a.runId, before.runId);
    assert.equal(runsToCompare(duplicates, "idempotent-consumer", [{ ...before, scenario: "kafka-duplicates" }, after]), undefined, "another scenario is no before");
    assert.equal(stepComparesRuns(duplicates, "out-of-order"), false);
    assert.equal(runsToCompare(duplicates, "out-of-order", [run(duplicates.id, "out-of-order"), run(duplicates.id, "out-of-order")]), undefined);
    assert.equal(stepComparesRuns(lesson("durability"), "quorum-queue"), true);
  });

  it("every step it names exists in the catalogue", () => {
    for (const [lessonId, steps] of [["choosing-a-broker", ["race"]], ["duplicates-ordering", ["idempotent-consumer"]], ["producer-guarantees", ["acks-all", "idempotent"]], ["durability", ["durable-queue", "persistent-confirmed", "quorum-queue"]]] as const) {
      const ids = lesson(lessonId).steps.map((step) => step.id);
      for (const step of steps) assert.ok(ids.includes(step), `${lessonId} has a step ${step}`);
    }
  });
});

// Every lesson step that needs no hands (no Kill button, no broker to stop) is taken with its own
// "Show me" solution on the real stack, and its check must turn green. Steps about refused scenarios
// and failed runs are tried as a learner would: the refusal must be caught. Slow (a run per step):
// BROKERLAB_LESSON_SWEEP=all runs every lesson, otherwise a sample that covers every kind of check.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import type { Check } from "../../../lib/lessons/checks";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import { stepSolutionText } from "../../../lib/lessons/resolve";
import type { Lesson } from "../../../lib/lessons/schema";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { loadConfig } from "../../../server/config";
import { RunError } from "../../../server/engine/run";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import { createDeadLetterReader } from "../../../server/lessons/dead-letters";
import { createExampleSource } from "../../../server/lessons/examples";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { createLessonService } from "../../../server/lessons/service";
import { createSnapshotReader } from "../../../server/lessons/snapshot";
import { repoRoot, testEngine } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

/** Steps a learner completes with their own hands (Kill, Start, stopping a broker), or with two runs at once. */
const byHand = new Set([
  "hello-queue/queue-buffers",
  "hello-queue/catch-up",
  "kafka-partitions-groups/rebalance",
  "connection-trouble/broker-restart",
  "event-sourcing/replay",
  "event-sourcing/new-reader",
]);
/** The sample: one or more steps per kind of check, and the exercise's mistakes. */
const sample = new Set([
  "retries-dead-letters/poison",
  "routing-topics/patterns",
  "callbacks-webhooks/accept-then-call-back",
  "work-queues/compete",
  "exercise-first-pipeline/typo",
  "exercise-first-pipeline/declarations",
  "exercise-first-pipeline/connection",
  "exercise-first-pipeline/auto-ack",
  "security/vhost",
  // Amazon SQS/SNS on moto's server: duplicates after the visibility timeout, filter policies,
  // redrive after maxReceiveCount, and one fan-out on all three brokers.
  "sqs-visibility-timeout/too-short",
  "sqs-visibility-timeout/long-enough",
  "sns-filter-policies/fan-out",
  "sns-filter-policies/filter",
  "sns-filter-policies/three-brokers",
  "sqs-redrive/redrive",
  "sqs-redrive/more-receives",
]);
const everything = process.env.BROKERLAB_LESSON_SWEEP === "all";

const examplesDir = path.join(repoRoot, "examples");
const examples = Object.fromEntries(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).map((f) => [f.replace(/\.yaml$/, ""), readFileSync(path.join(examplesDir, f), "utf8")]));
const engine = testEngine();
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-lesson-sweep-"));
const progress = createProgressStore({ file: path.join(dir, "progress.json") });
const service = createLessonService({
  engine,
  progress,
  examples: createExampleSource(),
  readSnapshot: createSnapshotReader({ engine, jaeger: createJaegerQueryClient({ baseUrl: loadConfig().JAEGER_QUERY_URL }), readDeadLetters: createDeadLetterReader() }),
  intervalMs: 1000,
});
const learnerId = `sweep-${Date.now().toString(36)}`;

after(async () => {
  service.close();
  await engine.shutdown();
  await progress.flush();
  rmSync(dir, { recursive: true, force: true });
});

const leaves = (check: Check): Check[] => (check.kind === "all" || check.kind === "any" ? check.checks.flatMap(leaves) : [check]);

async function takeStep(lesson: Lesson, index: number, keepRunning = false): Promise<LessonCheckUpdate> {
  const step = lesson.steps[index]!;
  const text = stepSolutionText(lesson, index, examples);
  assert.ok(text.ok, text.ok ? "" : text.error);
  const focus = { learnerId, lessonId: lesson.id, stepId: step.id };
  const parsed = parseScenarioText(text.text);
  if (!parsed.ok) return service.attempt("sweep", { ...focus, scenario: text.text });
  const run = engine.create(parsed.scenario, step.run ? { durationMs: step.run.durationSeconds * 1000 } : { limitMs: 120_000 });
  try {
    await run.start();
  } catch (error) {
    assert.ok(error instanceof RunError, String(error));
    return service.attempt("sweep", { ...focus, scenario: text.text, error: { code: error.code, message: error.message } });
  }
  const updates: LessonCheckUpdate[] = [await service.attempt("sweep", { ...focus, scenario: text.text, runId: run.id })];
  updates.push(await service.watch("sweep", { ...focus, runId: run.id }, (u) => updates.push(u)));
  try {
    const budget = (step.run?.durationSeconds ?? 60) * 1000 + 60_000;
    return await waitFor(() => updates.find((u) => u.result.state === "pass"), { timeoutMs: budget, intervalMs: 500, description: `${lesson.id}/${step.id} to pass; last: ${JSON.stringify(updates.at(-1)?.result.children?.map((c) => [c.label, c.state, c.detail]) ?? updates.at(-1)?.result.detail)}` });
  } finally {
    service.unwatch("sweep");
    if (!keepRunning) await run.stop("sweep moves on");
  }
}

describe("lesson solutions on the real stack", { timeout: 3_600_000 }, () => {
  for (const lesson of lessons) {
    lesson.steps.forEach((step, index) => {
      const key = `${lesson.id}/${step.id}`;
      if (byHand.has(key) || (!everything && !sample.has(key))) return;
      it(`${key}: Show me turns the check green`, async () => {
        const result = await takeStep(lesson, index);
        assert.equal(result.result.state, "pass", JSON.stringify(result.result, null, 1));
        if (leaves(step.check).some((c) => c.kind === "runError" || c.kind === "scenarioProblem")) assert.ok(result.result.detail.length > 0);
      });
    });
  }

  it("event-sourcing/replay: a replay from offset 0 rebuilds the projection", { skip: !everything && "BROKERLAB_LESSON_SWEEP=all" }, async () => {
    const lesson = lessons.find((l) => l.id === "event-sourcing")!;
    const text = stepSolutionText(lesson, 1, examples);
    assert.ok(text.ok);
    const parsed = parseScenarioText(text.text);
    assert.ok(parsed.ok);
    const run = await engine.start(parsed.scenario, { durationMs: 60_000 });
    try {
      await waitFor(() => (run.latestFrame().patterns?.projections?.["inventory-view/stock-levels"]?.applied ?? 0) >= 600, { timeoutMs: 30_000, description: "the first pass" });
      assert.ok(run.replay("inventory-view", "stock-levels") > 0);
      const focus = { learnerId, lessonId: lesson.id, stepId: "replay" };
      const updates: LessonCheckUpdate[] = [await service.attempt("sweep", { ...focus, scenario: text.text, runId: run.id })];
      updates.push(await service.watch("sweep", { ...focus, runId: run.id }, (u) => updates.push(u)));
      await waitFor(() => updates.find((u) => u.result.state === "pass"), { timeoutMs: 30_000, description: "the replay check" });
      service.unwatch("sweep");
    } finally {
      await run.stop("replayed");
    }
  });

  it("event-sourcing/new-reader: a new group reads the log of a run that is still on", { skip: !everything && "BROKERLAB_LESSON_SWEEP=all" }, async () => {
    const lesson = lessons.find((l) => l.id === "event-sourcing")!;
    const log = parseScenarioText(lesson.steps[2]!.scenario && "yaml" in lesson.steps[2]!.scenario ? lesson.steps[2]!.scenario.yaml : "");
    assert.ok(log.ok);
    const first = await engine.start(log.scenario, { durationMs: 90_000 });
    try {
      await waitFor(() => first.latestFrame().ledger.consumed >= 80, { timeoutMs: 30_000, description: "the log to be written" });
      const reader = await takeStep(lesson, 2);
      assert.equal(reader.result.state, "pass", JSON.stringify(reader.result, null, 1));
    } finally {
      await first.stop("read");
    }
  });
});

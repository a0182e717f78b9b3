// When a step was first tried (Start or Show me), kept in the progress so a teacher can see a
// learner stuck on it; and every learner's progress read at once for the teacher's grid.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { emptyProgress, progressFileSchema, recordStepStarted } from "../../../lib/lessons/progress";
import type { Lesson } from "../../../lib/lessons/schema";
import type { Engine } from "../../../server/engine/engine";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { createLessonService } from "../../../server/lessons/service";
import { emptySnapshot } from "../../../lib/lessons/snapshot";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-step-started-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("a step's start", () => {
  it("is stamped by the first attempt and kept by later ones", () => {
    const first = recordStepStarted(emptyProgress("l", 1), "s", 5);
    assert.equal(first.steps.s?.startedAt, 5);
    assert.equal(first.updatedAt, 5);
    assert.equal(recordStepStarted(first, "s", 9), first, "a second attempt changes nothing");
  });

  it("is optional: a progress file written before it reads back unchanged", () => {
    const old = { version: 1, learners: { "learner-0001": { lessons: { l: { lessonId: "l", startedAt: 1, updatedAt: 2, steps: { s: { completedAt: 2 } }, answers: {}, predictions: {} } } } } };
    assert.deepEqual(progressFileSchema.parse(old), old);
  });

  it("is saved when the lesson service records an attempt", async () => {
    const lesson: Lesson = {
      id: "fake", kind: "exercise", title: "Fake", summary: "s", brokers: ["rabbitmq"], minutes: 1, intro: "i", recap: ["r"],
      steps: [{ id: "first", title: "First", body: "b", scenario: { yaml: "version: 1" }, hints: ["h"], check: { kind: "ledger", field: "lost", op: "==", value: 0 } }],
    };
    const file = path.join(dir, "svc", "progress.json");
    let clock = 1000;
    const service = createLessonService({
      engine: { get: () => undefined, list: () => [] } as unknown as Engine,
      progress: createProgressStore({ file }),
      examples: { read: async () => "" },
      readSnapshot: async () => emptySnapshot(),
      findLesson: (id) => (id === lesson.id ? lesson : undefined),
      intervalMs: 60_000,
      now: () => clock,
    });
    after(() => service.close());
    await service.attempt("socket-1", { learnerId: "learner-0001", lessonId: "fake", stepId: "first", scenario: "version: 1" });
    clock = 5000;
    await service.attempt("socket-1", { learnerId: "learner-0001", lessonId: "fake", stepId: "first", scenario: "version: 1" });
    const everyone = await service.everyone();
    assert.equal(everyone["learner-0001"]?.fake?.steps.first?.startedAt, 1000);
    everyone["learner-0001"]!.fake!.steps.first!.startedAt = 1;
    assert.equal((await service.everyone())["learner-0001"]?.fake?.steps.first?.startedAt, 1000, "the copy handed out changes nothing stored");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(JSON.parse(readFileSync(file, "utf8")).learners["learner-0001"].lessons.fake.steps.first.startedAt, 1000);
  });

  it("lists every learner of a progress file", async () => {
    const file = path.join(dir, "all.json");
    writeFileSync(file, JSON.stringify({ version: 1, learners: { "learner-a001": { lessons: {} }, constructor: { lessons: {} } } }));
    assert.deepEqual(Object.keys(await createProgressStore({ file }).learners()).sort(), ["constructor", "learner-a001"]);
  });
});

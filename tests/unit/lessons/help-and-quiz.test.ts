// Progress that a teacher can trust: a step passed after "Show me" is solved with help, a lesson is
// complete only with every quiz question answered, and a step's check decides nothing (and
// completes nothing) until Start or Show me was pressed on it, or on the step whose run it continues.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { lessonById } from "../../../lib/lessons/catalogue";
import { completeStep, emptyProgress, lessonComplete, recordAnswer, recordSolutionShown, solvedWithHelp, tally } from "../../../lib/lessons/progress";
import type { Lesson } from "../../../lib/lessons/schema";
import { emptySnapshot } from "../../../lib/lessons/snapshot";
import type { Engine } from "../../../server/engine/engine";
import type { Run } from "../../../server/engine/run";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { createLessonService } from "../../../server/lessons/service";
import { fakeRun, fixtureScenario, frame } from "./fixtures";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-help-quiz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("solved with help", () => {
  const lesson = lessonById("acknowledgements") as Lesson;

  it("counts a step passed after its solution was shown, not one shown only after passing", () => {
    let p = recordSolutionShown(emptyProgress(lesson.id, 1), "auto-ack", 2);
    p = recordSolutionShown(p, "auto-ack", 3);
    assert.deepEqual(p.steps["auto-ack"], { solutionShownAt: 2, solutionShown: 2 });
    assert.equal(solvedWithHelp(p, "auto-ack"), false, "shown, not passed yet");
    p = completeStep(lesson, p, "auto-ack", { runId: "r2", detail: "ok" }, 4);
    assert.equal(p.steps["auto-ack"]?.solutionShownAt, 2, "completing keeps the record of help");
    assert.equal(solvedWithHelp(p, "auto-ack"), true);
    p = completeStep(lesson, p, "manual-ack", { detail: "ok" }, 5);
    p = recordSolutionShown(p, "manual-ack", 6);
    assert.equal(solvedWithHelp(p, "manual-ack"), false, "Show me after passing is not help");
    assert.equal(tally(lesson, p).stepsWithHelp, 1);
  });
});

describe("quiz questions gate completion", () => {
  const lesson = lessonById("acknowledgements") as Lesson;
  const questions = lesson.steps.flatMap((s) => s.quiz ?? []);

  it("completes the lesson only when every step passed and every question is answered, right or wrong", () => {
    assert.ok(questions.length > 0);
    let p = emptyProgress(lesson.id, 1);
    for (const step of lesson.steps) p = completeStep(lesson, p, step.id, { detail: "ok" }, 2);
    assert.equal(p.completedAt, undefined, "every check passed, no question answered");
    assert.equal(tally(lesson, p).complete, false);
    questions.forEach((q, i) => {
      const wrong = q.options.findIndex((o) => !o.correct);
      p = recordAnswer(p, q, [wrong], 10 + i, lesson);
      assert.equal(p.completedAt, i === questions.length - 1 ? 10 + i : undefined);
    });
    assert.equal(tally(lesson, p).complete, true);
    assert.equal(tally(lesson, p).rightFirstTime, 0, "wrong answers still count as answered");
  });

  it("completes on the last step when the questions were answered first", () => {
    let p = emptyProgress(lesson.id, 1);
    for (const q of questions) p = recordAnswer(p, q, [0], 2, lesson);
    assert.equal(p.completedAt, undefined, "no step passed yet");
    for (const step of lesson.steps) p = completeStep(lesson, p, step.id, { detail: "ok" }, 3);
    assert.equal(p.completedAt, 3);
  });

  it("lesson 18, the knowledge checks, cannot be finished without answering", () => {
    const checks = lessonById("knowledge-checks") as Lesson;
    let p = emptyProgress(checks.id, 1);
    for (const step of checks.steps) p = completeStep(checks, p, step.id, { detail: "ok" }, 2);
    assert.equal(lessonComplete(checks, p), false);
    const all = checks.steps.flatMap((s) => s.quiz ?? []);
    assert.ok(all.length >= 10, `lesson 18 asks ${all.length} questions`);
    for (const q of all.slice(0, -1)) p = recordAnswer(p, q, [0], 3, checks);
    assert.equal(lessonComplete(checks, p), false, "one question still open");
    p = recordAnswer(p, all.at(-1)!, [0], 4, checks);
    assert.equal(p.completedAt, 4);
  });
});

describe("the lesson service: runs of a step, Show me, and the quiz", () => {
  const lesson: Lesson = {
    id: "fake-help", kind: "exercise", title: "Fake", summary: "s", brokers: ["rabbitmq"], minutes: 1, intro: "i", recap: ["r"],
    steps: [
      { id: "first", title: "First", body: "b", scenario: { yaml: "version: 1" }, hints: ["h"], check: { kind: "ledger", field: "lost", op: "==", value: 0 } },
      // Neither a scenario nor a solution: it goes on with the first step's run.
      { id: "goes-on", title: "Goes on", body: "b", hints: ["h"], check: { kind: "ledger", field: "lost", op: "==", value: 0 } },
      {
        id: "own", title: "Own", body: "b", scenario: { yaml: "version: 1" }, solution: { yaml: "version: 1\n# solved" }, hints: ["h"],
        check: { kind: "ledger", field: "lost", op: "==", value: 0 },
        quiz: [{ id: "why", prompt: "p", options: [{ text: "a", correct: true }, { text: "b" }], explanation: "e" }],
      },
    ],
  };
  const runOf = (id: string) => ({
    id, scenario: fixtureScenario(), status: () => "running", startedAt: () => Date.now(), latestFrame: () => ({ ...frame(), status: "running" }),
    report: () => ({ errors: [], consumers: {} }), done: () => new Promise(() => {}), messages: { recent: () => [] }, resourceNames: () => undefined,
  }) as unknown as Run;
  const runs = new Map(["run-1", "run-2"].map((id) => [id, runOf(id)]));
  const file = path.join(dir, "svc", "progress.json");
  const service = createLessonService({
    engine: { get: (id: string) => runs.get(id), list: () => [...runs.values()] } as unknown as Engine,
    progress: createProgressStore({ file }),
    examples: { read: async () => "" },
    // Every run's ledger holds nothing lost: each check passes on any run it reads.
    readSnapshot: async (r) => ({ ...emptySnapshot(), ...(r ? { run: fakeRun({ id: r.id, status: "running", frame: frame() }) } : {}) }),
    findLesson: (id) => (id === lesson.id ? lesson : undefined),
    intervalMs: 60_000,
  });
  after(() => service.close());
  const learnerId = "learner-help-1";
  const focus = (stepId: string, runId?: string) => ({ learnerId, lessonId: lesson.id, stepId, ...(runId ? { runId } : {}) });

  it("shows no verdict and completes nothing until a run of the step has started", async () => {
    const before = await service.watch("h1", focus("own", "run-1"), () => {});
    assert.equal(before.result.state, "pass", "the check itself holds on run-1");
    assert.equal(before.started, false, "but run-1 was not started on this step");
    assert.equal(before.progress.steps["own"]?.completedAt, undefined);

    const first = await service.attempt("h1", { ...focus("first", "run-1"), scenario: "version: 1" });
    assert.equal(first.started, true);
    assert.ok(first.progress.steps["first"]?.completedAt);
    const goesOn = await service.watch("h1", focus("goes-on", "run-1"), () => {});
    assert.equal(goesOn.started, true, "a step without a scenario of its own goes on with the first step's run");
    assert.ok(goesOn.progress.steps["goes-on"]?.completedAt);
    const own = await service.watch("h1", focus("own", "run-1"), () => {});
    assert.equal(own.started, false, "still nothing on a step with a scenario of its own");
    assert.equal(own.progress.steps["own"]?.completedAt, undefined);
  });

  it("records Show me in the progress file, marks the step solved with help, and waits for the quiz", async () => {
    const shown = await service.attempt("h1", { ...focus("own", "run-2"), scenario: "version: 1\n# solved", solution: true });
    assert.equal(shown.started, true);
    assert.ok(solvedWithHelp(shown.progress, "own"));
    assert.equal(shown.progress.completedAt, undefined, "the quiz of the last step is not answered");
    const answered = await service.answer(learnerId, lesson.id, "why", [1]);
    assert.equal(answered.correct, false);
    assert.ok(answered.progress.completedAt, "answered, even wrongly, completes the lesson");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const saved = JSON.parse(readFileSync(file, "utf8")).learners[learnerId].lessons[lesson.id];
    assert.equal(saved.steps.own.solutionShown, 1);
    assert.ok(saved.steps.own.solutionShownAt <= saved.steps.own.completedAt);
    assert.equal(saved.steps.first.solutionShownAt, undefined, "steps passed without help carry no mark");
  });
});

// The teacher's grid from progress records: step states (done, with help, stuck after N minutes),
// the prediction tallies, and the CSV export with RFC 4180 quoting and formulas defused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classGrid, rowCounts, stepCell, type GridLearner } from "../../../lib/classroom/grid";
import { csvField, gridCsv, gridCsvColumns, gridCsvFileName } from "../../../lib/classroom/grid-csv";
import { emptyProgress, lessonProgressSchema, recordPrediction, recordSolutionShown, recordStepStarted, completeStep, type LessonProgress } from "../../../lib/lessons/progress";
import type { Lesson } from "../../../lib/lessons/schema";

const check = { kind: "ledger", field: "lost", op: "==", value: 0 } as const;
const predict = {
  prompt: "How many are lost?", metric: "ledger.lost", explanation: "e",
  options: [{ text: "none", min: 0, max: 0 }, { text: "some", min: 1, max: 99 }, { text: "many", min: 100 }],
};
const lesson: Lesson = {
  id: "crash", number: 1, kind: "lesson", title: "Crash, recover", summary: "s", brokers: ["rabbitmq"], minutes: 5, intro: "i", recap: ["r"],
  steps: [
    { id: "run", title: "Run it", body: "b", scenario: { yaml: "version: 1" }, hints: ["h"], check },
    { id: "kill", title: "Kill, then count", body: "b", hints: ["h"], check, predict },
    { id: "fix", title: "Fix it", body: "b", hints: ["h"], check },
  ],
};
const untouched: Lesson = { ...lesson, id: "untouched", number: 2, title: "Nobody here" };
const minute = 60_000;
const t0 = 1_700_000_000_000;

function learner(learnerId: string, progress: LessonProgress | undefined, name?: string): GridLearner {
  return { learnerId, ...(name ? { name } : {}), progress: progress ? { [lesson.id]: progress } : {} };
}

describe("a step's cell", () => {
  const options = { now: t0 + 12 * minute, stuckAfterMinutes: 10 };
  it("is todo until the first attempt, working before the threshold, stuck after it", () => {
    const p = emptyProgress(lesson.id, t0);
    assert.deepEqual(stepCell(p, "run", options), { state: "todo" });
    assert.deepEqual(stepCell(recordStepStarted(p, "run", t0 + 5 * minute), "run", options), { state: "working", startedAt: t0 + 5 * minute, minutes: 7 });
    assert.deepEqual(stepCell(recordStepStarted(p, "run", t0 + 2 * minute), "run", options), { state: "stuck", startedAt: t0 + 2 * minute, minutes: 10 });
  });

  it("is done when the check passed, done with help when it passed after Show me", () => {
    let p = recordStepStarted(emptyProgress(lesson.id, t0), "run", t0);
    p = completeStep(lesson, p, "run", { detail: "ok" }, t0 + minute);
    assert.deepEqual(stepCell(p, "run", options), { state: "done", startedAt: t0, completedAt: t0 + minute });
    const helped = completeStep(lesson, recordSolutionShown(recordStepStarted(emptyProgress(lesson.id, t0), "run", t0), "run", t0 + minute), "run", { detail: "ok" }, t0 + 2 * minute);
    assert.equal(stepCell(helped, "run", options).state, "helped");
  });

  it("reads a record saved before steps carried startedAt: Show me counts as the start", () => {
    const old = lessonProgressSchema.parse({ lessonId: lesson.id, startedAt: t0, updatedAt: t0, steps: { run: { solutionShownAt: t0, solutionShown: 1 } } });
    assert.equal(stepCell(old, "run", options).state, "stuck");
  });
});

describe("the class grid", () => {
  let ada = recordStepStarted(emptyProgress(lesson.id, t0), "run", t0);
  ada = completeStep(lesson, ada, "run", { detail: "ok" }, t0 + minute);
  ada = recordPrediction(ada, "kill", 1, t0 + 2 * minute) as LessonProgress;
  let bo = recordStepStarted(emptyProgress(lesson.id, t0), "run", t0);
  bo = recordPrediction(bo, "kill", 1, t0 + minute) as LessonProgress;
  const cy = { ...(recordPrediction(emptyProgress(lesson.id, t0), "kill", -1, t0) as LessonProgress) };
  cy.predictions = { kill: { ...cy.predictions.kill!, runId: "r1", actual: 0, correct: false } };
  const learners = [learner("learner-b0", bo, "Bo"), learner("learner-a0", ada, "Ada"), learner("learner-c0", cy), learner("learner-d0", undefined)];
  const grid = classGrid([lesson, untouched], learners, { now: t0 + 30 * minute, stuckAfterMinutes: 10 });

  it("has a row per learner, sorted by name, with a cell per step of each lesson they opened", () => {
    assert.deepEqual(grid.learners.map((r) => r.name), ["Ada", "Bo", "learner-c0", "learner-d0"]);
    assert.deepEqual(grid.learners[0]!.lessons.crash!.map((c) => c.state), ["done", "todo", "todo"]);
    assert.deepEqual(grid.learners[1]!.lessons.crash!.map((c) => c.state), ["stuck", "todo", "todo"]);
    assert.deepEqual(grid.learners[3]!.lessons, {});
    assert.equal(grid.learners[0]!.lastActiveAt, t0 + 2 * minute);
    assert.deepEqual(rowCounts(grid.learners[1]!), { done: 0, helped: 0, stuck: 1, working: 0, todo: 2 });
  });

  it("keeps only the lessons someone opened, unless asked for all", () => {
    assert.deepEqual(grid.lessons.map((l) => l.id), ["crash"]);
    assert.deepEqual(grid.lessons[0]!.steps.map((s) => s.id), ["run", "kill", "fix"]);
    assert.deepEqual(classGrid([lesson, untouched], learners, { now: t0, stuckAfterMinutes: 10, include: "all" }).lessons.map((l) => l.id), ["crash", "untouched"]);
  });

  it("counts each predicted option, the skipped ones and the ones a run decided", () => {
    assert.deepEqual(grid.predictions, [{
      lessonId: "crash", stepId: "kill", prompt: "How many are lost?",
      options: [{ text: "none", count: 0 }, { text: "some", count: 2 }, { text: "many", count: 0 }],
      skipped: 1, decided: 1,
    }]);
  });

  it("finds only what was stored under a learner's own keys (a lesson called constructor)", () => {
    const odd = classGrid([{ ...lesson, id: "constructor" }], [learner("learner-x0", undefined)], { now: t0, stuckAfterMinutes: 10 });
    assert.deepEqual(odd.lessons, []);
    assert.deepEqual(odd.learners[0]!.lessons, {});
  });
});

describe("the CSV export", () => {
  it("quotes commas, quotes and line breaks as RFC 4180 says", () => {
    assert.equal(csvField("plain"), "plain");
    assert.equal(csvField('say "hi", then go'), '"say ""hi"", then go"');
    assert.equal(csvField("two\r\nlines"), '"two\r\nlines"');
    assert.equal(csvField(undefined), "");
    assert.equal(csvField(7), "7");
  });

  it("defuses a cell a spreadsheet would run as a formula", () => {
    for (const bad of ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\tx"]) assert.ok(csvField(bad).replace(/^"/, "").startsWith("'"), bad);
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  });

  it("has a header and one row per learner and step of the lessons they opened, CRLF-ended", () => {
    let p = recordStepStarted(emptyProgress(lesson.id, t0), "run", t0);
    p = completeStep(lesson, p, "run", { detail: "ok" }, t0 + minute);
    const grid = classGrid([lesson], [learner("learner-a0", p, "=cmd, \"Ada\""), learner("learner-z0", undefined, "Zed")], { now: t0 + 20 * minute, stuckAfterMinutes: 10 });
    const csv = gridCsv(grid);
    assert.ok(csv.endsWith("\r\n"));
    const lines = csv.split("\r\n").slice(0, -1);
    assert.equal(lines[0], gridCsvColumns.join(","));
    assert.equal(lines.length, 1 + 3, "three steps of one opened lesson; Zed opened none");
    assert.equal(lines[1], `learner-a0,"'=cmd, ""Ada""",crash,"Crash, recover",run,Run it,done,${new Date(t0).toISOString()},${new Date(t0 + minute).toISOString()},`);
    assert.match(lines[2]!, /,kill,"Kill, then count",not started,,,$/);
    assert.equal(gridCsvFileName(Date.UTC(2026, 11, 7, 3)), "brokerlab-class-progress-2026-12-07.csv");
  });
});

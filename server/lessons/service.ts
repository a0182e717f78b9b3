// Lessons on the server: keeps each learner's step checks live over their run (re-evaluated every
// ~1.5 s and pushed), records attempts, quiz answers and predictions, and saves progress.
import { lessonById } from "../../lib/lessons/catalogue";
import { checkNodes } from "../../lib/lessons/checks";
import { evaluateCheck, newlyLatched, type CheckResult } from "../../lib/lessons/evaluate";
import type { LessonAnswered, LessonCheckUpdate, LessonOpened } from "../../lib/lessons/events";
import { checkNeeds } from "../../lib/lessons/needs";
import { checkForRun } from "../../lib/lessons/run-names";
import { completeStep, gradeAnswer, lockPrediction, recordAnswer, recordPrediction, recordSolutionShown, recordStepStarted, type LearnerProgress, type LessonProgress } from "../../lib/lessons/progress";
import { continuesPreviousRun, examplesUsed } from "../../lib/lessons/resolve";
import type { Lesson, Step } from "../../lib/lessons/schema";
import type { AttemptView } from "../../lib/lessons/snapshot";
import { AppError, type ErrorCode } from "../../lib/errors";
import { parseScenarioText } from "../../lib/scenario/validate";
import type { Engine } from "../engine/engine";
import type { ExampleSource } from "./examples";
import { createPredictionJudge } from "./predictions";
import type { ProgressStore } from "./progress-store";
import type { SnapshotReader } from "./snapshot";

export interface LessonServiceOptions {
  engine: Engine;
  progress: ProgressStore;
  examples: ExampleSource;
  readSnapshot: SnapshotReader;
  /** Where lessons come from: the catalogue, or a test's own. */
  findLesson?: (id: string) => Lesson | undefined;
  intervalMs?: number;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

interface Focus {
  learnerId: string;
  lessonId: string;
  stepId: string;
  runId?: string;
}

interface Watcher {
  focus: Focus;
  push: (update: LessonCheckUpdate) => void;
  timer: NodeJS.Timeout;
  busy: boolean;
  last?: string;
  /** The last evaluation error, logged once until it changes (the loop ticks every second). */
  lastError?: string;
}

const maxRemembered = 1000;
const evaluationTimeoutMs = 15_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > maxRemembered) map.delete(map.keys().next().value as K);
}

export function createLessonService(options: LessonServiceOptions) {
  const { engine, progress, examples, readSnapshot } = options;
  const findLesson = options.findLesson ?? lessonById;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1500;
  const log = options.log ?? ((message, error) => console.error(`[lessons] ${message}`, error ?? ""));
  const watchers = new Map<string, Watcher>();
  /** The learner's last attempt per step, and what sticky checks saw per step and run. */
  const attempts = new Map<string, AttemptView>();
  const latches = new Map<string, Map<string, string>>();
  const predictions = createPredictionJudge({ progress, now, log });

  const stepKey = (f: Omit<Focus, "runId">) => `${f.learnerId}|${f.lessonId}|${f.stepId}`;

  function lessonAndStep(lessonId: string, stepId?: string): { lesson: Lesson; step: Step } {
    const lesson = findLesson(lessonId);
    if (!lesson) throw new AppError("NOT_FOUND", `There is no lesson "${lessonId}".`);
    const step = stepId === undefined ? lesson.steps[0]! : lesson.steps.find((s) => s.id === stepId);
    if (!step) throw new AppError("NOT_FOUND", `Lesson "${lessonId}" has no step "${stepId}".`);
    return { lesson, step };
  }

  /** Start or Show me was pressed on this step, or on the one whose run it goes on with. */
  function started(focus: Focus, lesson: Lesson): boolean {
    for (let i = lesson.steps.findIndex((s) => s.id === focus.stepId); i >= 0; i--) {
      const step = lesson.steps[i]!;
      if (attempts.has(stepKey({ ...focus, stepId: step.id }))) return true;
      if (!continuesPreviousRun(step)) return false;
    }
    return false;
  }

  async function evaluate(focus: Focus): Promise<LessonCheckUpdate> {
    const { lesson, step } = lessonAndStep(focus.lessonId, focus.stepId);
    // A run the learner did not start on this step (the last step's, say) decides nothing here.
    const begun = started(focus, lesson);
    const run = focus.runId ? engine.get(focus.runId) : undefined;
    const latchKey = `${stepKey(focus)}|${run?.id ?? ""}`;
    const latched = latches.get(latchKey) ?? new Map<string, string>();
    // A sticky check that already held needs no more reading (its dead-letter queue may be gone).
    // A lesson run has names of its own: the check reads its queues, topics and groups under those.
    const check = checkForRun(step.check, run?.resourceNames());
    const ids = new Map(checkNodes(check, step.id).map((node) => [node.check, node.id]));
    const needs = checkNeeds(check, (node) => node.sticky === true && latched.has(ids.get(node) ?? ""));
    const snapshot = await readSnapshot(run, needs, attempts.get(stepKey(focus)));
    const result: CheckResult = evaluateCheck(check, snapshot, step.id, latched);
    const fresh = newlyLatched(result);
    if (fresh.size > 0) remember(latches, latchKey, new Map([...latched, ...fresh]));
    let current = await progress.lesson(focus.learnerId, lesson.id);
    if (begun && result.state === "pass" && current.steps[step.id]?.completedAt === undefined) {
      current = await progress.update(focus.learnerId, lesson.id, (p) => completeStep(lesson, p, step.id, { ...(run ? { runId: run.id } : {}), detail: result.detail }, now()));
    }
    return { lessonId: lesson.id, stepId: step.id, ...(run ? { runId: run.id } : {}), at: now(), started: begun, result, progress: current };
  }

  async function tick(watcher: Watcher) {
    if (watcher.busy) return;
    watcher.busy = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A reading that never settles (a broker or Jaeger that stops answering) must not stop the loop.
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`evaluating ${watcher.focus.lessonId}/${watcher.focus.stepId} took longer than ${evaluationTimeoutMs} ms`)), evaluationTimeoutMs)));
      const update = await Promise.race([evaluate(watcher.focus), late]);
      const { at: _at, ...comparable } = update;
      const fingerprint = JSON.stringify(comparable);
      watcher.lastError = undefined;
      if (fingerprint !== watcher.last) {
        watcher.last = fingerprint;
        watcher.push(update);
      }
    } catch (error) {
      // An AppError (a run not found yet, a broker not answering) is expected now and then; it is
      // still worth a line, once, when a check stays stuck and nobody can see why.
      const text = error instanceof Error ? error.message : String(error);
      if (text !== watcher.lastError) {
        watcher.lastError = text;
        log(error instanceof AppError ? `a check of ${watcher.focus.lessonId}/${watcher.focus.stepId} could not be evaluated this time` : "evaluating a check failed", error);
      }
    } finally {
      clearTimeout(timer);
      watcher.busy = false;
    }
  }

  /** Keeps the learner's step and the lesson's last run in the progress, so a reload finds them again. */
  async function rememberFocus(focus: Focus) {
    const current = await progress.lesson(focus.learnerId, focus.lessonId);
    if ((focus.runId && current.lastRunId !== focus.runId) || current.currentStep !== focus.stepId) {
      await progress.update(focus.learnerId, focus.lessonId, (p) => ({ ...p, ...(focus.runId ? { lastRunId: focus.runId } : {}), currentStep: focus.stepId, updatedAt: now() }));
    }
  }

  function unwatch(socketId: string) {
    const watcher = watchers.get(socketId);
    if (watcher) clearInterval(watcher.timer);
    watchers.delete(socketId);
  }

  return {
    async progressOf(learnerId: string): Promise<LearnerProgress> {
      return progress.learner(learnerId);
    },

    /** Every learner's progress, for the teacher's dashboard. */
    everyone: (): Promise<Record<string, LearnerProgress>> => progress.learners(),

    async open(learnerId: string, lessonId: string): Promise<LessonOpened> {
      const { lesson } = lessonAndStep(lessonId);
      const texts = Object.fromEntries(await Promise.all(examplesUsed(lesson).map(async (id) => [id, await examples.read(id)] as const)));
      const current = await predictions.resume(learnerId, lesson, engine, await progress.lesson(learnerId, lessonId));
      const last = current.lastRunId ? engine.get(current.lastRunId) : undefined;
      return { progress: current, examples: texts, ...(last ? { run: { runId: last.id, status: last.status() } } : {}) };
    },

    /** Follows one step for one socket: evaluates now, then pushes every change. */
    async watch(socketId: string, focus: Focus, push: (update: LessonCheckUpdate) => void): Promise<LessonCheckUpdate> {
      lessonAndStep(focus.lessonId, focus.stepId);
      unwatch(socketId);
      if (!focus.runId) {
        // Without a run of its own, the step reads the lesson's last run while the engine has it.
        const last = (await progress.lesson(focus.learnerId, focus.lessonId)).lastRunId;
        if (last && engine.get(last)) focus = { ...focus, runId: last };
      }
      await rememberFocus(focus);
      const update = await evaluate(focus);
      const watcher: Watcher = { focus, push, busy: false, timer: setInterval(() => void tick(watcher), intervalMs) };
      watcher.timer.unref();
      const { at: _at, ...comparable } = update;
      watcher.last = JSON.stringify(comparable);
      watchers.set(socketId, watcher);
      return update;
    },

    unwatch,

    /** Records what the learner just tried on a step: the scenario, the run it started or why none did. */
    async attempt(socketId: string, input: Focus & { scenario: string; error?: { code: ErrorCode; message: string }; solution?: true }): Promise<LessonCheckUpdate> {
      const { lesson, step } = lessonAndStep(input.lessonId, input.stepId);
      await progress.update(input.learnerId, lesson.id, (p) => {
        const begun = recordStepStarted(p, step.id, now());
        return input.solution ? recordSolutionShown(begun, step.id, now()) : begun;
      });
      const parsed = parseScenarioText(input.scenario);
      const attempt: AttemptView = { at: now(), problems: parsed.ok ? [] : parsed.problems };
      if (input.runId) {
        const run = engine.get(input.runId);
        if (!run) throw new AppError("NOT_FOUND", `There is no run "${input.runId}".`);
        attempt.runId = run.id;
        if (step.predict) {
          await progress.update(input.learnerId, lesson.id, (p) => lockPrediction(p, step.id, run.id, now()));
          predictions.decideWhenDone(input.learnerId, lesson, step, run);
        }
      } else if (input.error && parsed.ok) {
        // Confirm the browser's story with the engine: the failed run must exist and say the same.
        const name = parsed.scenario.name;
        const failed = engine.list()
          .filter((r) => r.status() === "failed" && r.scenario.name === name && r.startedAt() >= now() - 120_000)
          .sort((a, b) => b.startedAt() - a.startedAt())
          .find((r) => r.report().errors.some((e) => e.includes(input.error!.message) || input.error!.message.includes(e)));
        const message = failed?.report().errors.find((e) => e.includes(input.error!.message) || input.error!.message.includes(e)) ?? input.error.message;
        attempt.error = { code: input.error.code, message, verified: failed !== undefined };
      }
      remember(attempts, stepKey(input), attempt);
      const watcher = watchers.get(socketId);
      const watching = watcher && stepKey(watcher.focus) === stepKey(input) ? watcher : undefined;
      const runId = input.runId ?? watching?.focus.runId ?? (await progress.lesson(input.learnerId, lesson.id)).lastRunId;
      const focus: Focus = { learnerId: input.learnerId, lessonId: lesson.id, stepId: step.id, ...(runId ? { runId } : {}) };
      if (watching) watching.focus = focus;
      await rememberFocus(focus);
      const update = await evaluate(focus);
      if (watching) {
        const { at: _at, ...comparable } = update;
        watching.last = JSON.stringify(comparable);
      }
      return update;
    },

    async predict(learnerId: string, lessonId: string, stepId: string, choice: number): Promise<LessonProgress> {
      const { step } = lessonAndStep(lessonId, stepId);
      if (!step.predict) throw new AppError("INVALID_INPUT", `Step "${stepId}" asks for no prediction.`);
      if (choice >= step.predict.options.length) throw new AppError("INVALID_INPUT", `The prediction has ${step.predict.options.length} options.`);
      const before = await progress.lesson(learnerId, lessonId);
      const next = recordPrediction(before, stepId, choice, now());
      if ("error" in next) throw new AppError("CONFLICT", next.error);
      return progress.update(learnerId, lessonId, () => next);
    },

    async answer(learnerId: string, lessonId: string, questionId: string, choices: number[]): Promise<LessonAnswered> {
      const { lesson } = lessonAndStep(lessonId);
      const question = lesson.steps.flatMap((s) => s.quiz ?? []).find((q) => q.id === questionId);
      if (!question) throw new AppError("NOT_FOUND", `Lesson "${lessonId}" has no question "${questionId}".`);
      if (choices.some((c) => c >= question.options.length)) throw new AppError("INVALID_INPUT", `The question has ${question.options.length} options.`);
      const saved = await progress.update(learnerId, lessonId, (p) => recordAnswer(p, question, choices, now(), lesson));
      return { ...gradeAnswer(question, choices), explanation: question.explanation, progress: saved };
    },

    async reset(learnerId: string, lessonId: string): Promise<LessonProgress> {
      lessonAndStep(lessonId);
      for (const key of [...attempts.keys(), ...latches.keys()]) {
        if (key.startsWith(`${learnerId}|${lessonId}|`)) {
          attempts.delete(key);
          latches.delete(key);
        }
      }
      return progress.reset(learnerId, lessonId);
    },

    close() {
      for (const socketId of [...watchers.keys()]) unwatch(socketId);
    },
  };
}

export type LessonService = ReturnType<typeof createLessonService>;

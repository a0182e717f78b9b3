// A learner's progress through the lessons, and the pure moves that change it: a step's check
// passed, a quiz answered, a prediction made, locked to a run, and decided by it, and "Show me"
// pressed (a step solved after its solution was shown is solved with help; a teacher sees it).
import { z } from "zod";
import type { Lesson, Prediction, Question } from "./schema";

const stepProgressSchema = z.object({
  /** The first attempt on the step (Start or Show me): a teacher sees a step started and not done as stuck. */
  startedAt: z.number().optional(),
  completedAt: z.number().optional(),
  runId: z.string().optional(),
  detail: z.string().optional(),
  /** When "Show me" first loaded and started the step's solution, and how often it was pressed. */
  solutionShownAt: z.number().optional(),
  solutionShown: z.number().int().optional(),
});
const answerSchema = z.object({ choices: z.array(z.number().int()), correct: z.boolean(), firstCorrect: z.boolean(), at: z.number() });
const predictionProgressSchema = z.object({
  /** The chosen option; -1 when the learner skipped the prediction. */
  choice: z.number().int(),
  at: z.number(),
  /** The run it was locked to: the first run started after answering. */
  runId: z.string().optional(),
  actual: z.number().optional(),
  correct: z.boolean().optional(),
});

export const lessonProgressSchema = z.object({
  lessonId: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  currentStep: z.string().optional(),
  lastRunId: z.string().optional(),
  steps: z.record(z.string(), stepProgressSchema).default({}),
  answers: z.record(z.string(), answerSchema).default({}),
  predictions: z.record(z.string(), predictionProgressSchema).default({}),
  completedAt: z.number().optional(),
});

export const learnerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "is not a learner id")
  // A JSON key that would be dropped (or change a prototype) when the progress file is read back.
  .refine((id) => id !== "__proto__", "is reserved; use another learner id");

export const progressFileSchema = z.object({
  version: z.literal(1),
  learners: z.record(z.string(), z.object({ lessons: z.record(z.string(), lessonProgressSchema).default({}) })).default({}),
});

export type LessonProgress = z.infer<typeof lessonProgressSchema>;
export type PredictionProgress = z.infer<typeof predictionProgressSchema>;
export type ProgressFile = z.infer<typeof progressFileSchema>;
export type LearnerProgress = Record<string, LessonProgress>;

export const emptyProgress = (lessonId: string, now: number): LessonProgress => ({ lessonId, startedAt: now, updatedAt: now, steps: {}, answers: {}, predictions: {} });

const stamp = (progress: LessonProgress, now: number): LessonProgress => ({ ...progress, updatedAt: now });

/** The shape completion needs: each step's id and its quiz questions' ids. */
export interface CompletionShape {
  steps: readonly { id: string; quiz?: readonly { id: string }[] }[];
}

/** A lesson is complete when every step's check has passed and every quiz question is answered (right or not). */
export function lessonComplete(lesson: CompletionShape, progress: LessonProgress | undefined): boolean {
  if (!progress) return false;
  return lesson.steps.every((s) => progress.steps[s.id]?.completedAt !== undefined && (s.quiz ?? []).every((q) => progress.answers[q.id] !== undefined));
}

/** Stamps the lesson complete the first time it is. */
export function settleCompletion(lesson: CompletionShape, progress: LessonProgress, now: number): LessonProgress {
  return progress.completedAt === undefined && lessonComplete(lesson, progress) ? { ...progress, completedAt: now } : progress;
}

/** Marks a step done (the first time its check passed); the lesson may be complete then. */
export function completeStep(lesson: Lesson, progress: LessonProgress, stepId: string, outcome: { runId?: string; detail: string }, now: number): LessonProgress {
  if (progress.steps[stepId]?.completedAt !== undefined) return progress;
  const steps = { ...progress.steps, [stepId]: { ...progress.steps[stepId], completedAt: now, ...(outcome.runId ? { runId: outcome.runId } : {}), detail: outcome.detail } };
  return stamp(settleCompletion(lesson, { ...progress, steps }, now), now);
}

/** Stamps the step's first attempt; later attempts keep it, so "stuck for N minutes" counts from the first. */
export function recordStepStarted(progress: LessonProgress, stepId: string, now: number): LessonProgress {
  const step = progress.steps[stepId] ?? {};
  if (step.startedAt !== undefined) return progress;
  return stamp({ ...progress, steps: { ...progress.steps, [stepId]: { ...step, startedAt: now } } }, now);
}

/** Records that "Show me" loaded and started the step's solution. */
export function recordSolutionShown(progress: LessonProgress, stepId: string, now: number): LessonProgress {
  const step = progress.steps[stepId] ?? {};
  const shown = { ...step, solutionShownAt: step.solutionShownAt ?? now, solutionShown: (step.solutionShown ?? 0) + 1 };
  return stamp({ ...progress, steps: { ...progress.steps, [stepId]: shown } }, now);
}

/** The step passed its check after its solution was shown: solved with help. Showing it after passing is not. */
export function solvedWithHelp(progress: LessonProgress | undefined, stepId: string): boolean {
  const step = progress?.steps[stepId];
  return step?.completedAt !== undefined && step.solutionShownAt !== undefined && step.solutionShownAt <= step.completedAt;
}

export function gradeAnswer(question: Question, choices: readonly number[]): { correct: boolean; correctChoices: number[] } {
  const correctChoices = question.options.flatMap((o, i) => (o.correct ? [i] : []));
  const chosen = [...new Set(choices)].sort((a, b) => a - b);
  return { correct: chosen.length === correctChoices.length && chosen.every((c, i) => c === correctChoices[i]), correctChoices };
}

/** Records an answer; with the lesson given, the last answer needed completes it. */
export function recordAnswer(progress: LessonProgress, question: Question, choices: readonly number[], now: number, lesson?: CompletionShape): LessonProgress {
  const { correct } = gradeAnswer(question, choices);
  const before = progress.answers[question.id];
  const answer = { choices: [...choices], correct, firstCorrect: before ? before.firstCorrect : correct, at: now };
  const next = { ...progress, answers: { ...progress.answers, [question.id]: answer } };
  return stamp(lesson ? settleCompletion(lesson, next, now) : next, now);
}

/** Records (or changes) a prediction; once a run decides it, it stays. */
export function recordPrediction(progress: LessonProgress, stepId: string, choice: number, now: number): LessonProgress | { error: string } {
  const current = progress.predictions[stepId];
  if (current?.runId) return { error: "This prediction is locked to a run already; see how it turned out." };
  return stamp({ ...progress, predictions: { ...progress.predictions, [stepId]: { choice, at: now } } }, now);
}

export function lockPrediction(progress: LessonProgress, stepId: string, runId: string, now: number): LessonProgress {
  const current = progress.predictions[stepId];
  if (!current || current.runId || current.choice < 0) return progress;
  return stamp({ ...progress, predictions: { ...progress.predictions, [stepId]: { ...current, runId } } }, now);
}

/** The option whose range holds the outcome, or -1. */
export function optionFor(prediction: Prediction, actual: number): number {
  return prediction.options.findIndex((o) => actual >= o.min && actual <= (o.max ?? Number.POSITIVE_INFINITY));
}

export function decidePrediction(progress: LessonProgress, stepId: string, prediction: Prediction, actual: number, now: number): LessonProgress {
  const current = progress.predictions[stepId];
  if (!current || current.correct !== undefined) return progress;
  const decided = { ...current, actual, correct: optionFor(prediction, actual) === current.choice };
  return stamp({ ...progress, predictions: { ...progress.predictions, [stepId]: decided } }, now);
}

export interface LessonTally {
  stepsDone: number;
  steps: number;
  /** Steps that passed after "Show me" showed their solution. */
  stepsWithHelp: number;
  questions: number;
  answered: number;
  rightFirstTime: number;
  predictions: number;
  predictionsDecided: number;
  predictionsRight: number;
  complete: boolean;
}

export function tally(lesson: Lesson, progress: LessonProgress | undefined): LessonTally {
  const questions = lesson.steps.flatMap((s) => s.quiz ?? []);
  const predicted = lesson.steps.filter((s) => s.predict).map((s) => progress?.predictions[s.id]);
  return {
    stepsDone: lesson.steps.filter((s) => progress?.steps[s.id]?.completedAt !== undefined).length,
    steps: lesson.steps.length,
    stepsWithHelp: lesson.steps.filter((s) => solvedWithHelp(progress, s.id)).length,
    questions: questions.length,
    answered: questions.filter((q) => progress?.answers[q.id]).length,
    rightFirstTime: questions.filter((q) => progress?.answers[q.id]?.firstCorrect).length,
    predictions: predicted.length,
    predictionsDecided: predicted.filter((p) => p?.correct !== undefined).length,
    predictionsRight: predicted.filter((p) => p?.correct === true).length,
    complete: lessonComplete(lesson, progress),
  };
}

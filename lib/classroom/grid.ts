// The teacher's view of a class: learners × lessons × steps (done, done with help, stuck for N
// minutes) and, per predict-then-run question, how many learners predicted each answer.
import { solvedWithHelp, type LearnerProgress, type LessonProgress } from "../lessons/progress";
import type { Lesson } from "../lessons/schema";

/**
 * - done: the step's check passed; helped: it passed after "Show me" showed the solution;
 * - stuck: started (Start or Show me pressed) and not done after the threshold; working: started, not yet stuck;
 * - todo: nothing tried yet.
 */
export const cellStates = ["done", "helped", "stuck", "working", "todo"] as const;
export type CellState = (typeof cellStates)[number];

export interface GridCell {
  state: CellState;
  startedAt?: number;
  completedAt?: number;
  /** Whole minutes since the first attempt, for a step started and not done. */
  minutes?: number;
}

export interface GridLesson {
  id: string;
  number?: number;
  title: string;
  steps: { id: string; title: string }[];
}

export interface GridRow {
  learnerId: string;
  name: string;
  /** Per lesson id, one cell per step in the lesson's order; lessons the learner never opened are absent. */
  lessons: Record<string, GridCell[]>;
  /** The learner's latest change to any lesson. */
  lastActiveAt?: number;
}

export interface PredictionTally {
  lessonId: string;
  stepId: string;
  prompt: string;
  /** How many learners chose each option, in the question's order. */
  options: { text: string; count: number }[];
  /** Learners who skipped the prediction. */
  skipped: number;
  /** Predictions a finished run has decided so far (the rest wait for their run). */
  decided: number;
}

export interface ClassGrid {
  generatedAt: number;
  stuckAfterMinutes: number;
  lessons: GridLesson[];
  learners: GridRow[];
  predictions: PredictionTally[];
}

export interface GridLearner {
  learnerId: string;
  /** The display name a learner joined with; the learner id when there is none. */
  name?: string;
  progress: LearnerProgress;
}

export interface GridOptions {
  now: number;
  stuckAfterMinutes: number;
  /** "touched" (the default) keeps the lessons at least one learner opened; "all" keeps the whole catalogue. */
  include?: "touched" | "all";
}

const minuteMs = 60_000;
const lessonOf = (progress: LearnerProgress, lessonId: string): LessonProgress | undefined => (Object.hasOwn(progress, lessonId) ? progress[lessonId] : undefined);

export function stepCell(progress: LessonProgress | undefined, stepId: string, options: Pick<GridOptions, "now" | "stuckAfterMinutes">): GridCell {
  const step = progress && Object.hasOwn(progress.steps, stepId) ? progress.steps[stepId] : undefined;
  // Records from before steps carried startedAt: "Show me" pressed is an attempt too.
  const startedAt = step?.startedAt ?? step?.solutionShownAt;
  const times = { ...(startedAt !== undefined ? { startedAt } : {}), ...(step?.completedAt !== undefined ? { completedAt: step.completedAt } : {}) };
  if (step?.completedAt !== undefined) return { state: solvedWithHelp(progress, stepId) ? "helped" : "done", ...times };
  if (startedAt === undefined) return { state: "todo" };
  const minutes = Math.max(0, Math.floor((options.now - startedAt) / minuteMs));
  return { state: options.now - startedAt >= options.stuckAfterMinutes * minuteMs ? "stuck" : "working", ...times, minutes };
}

function tallyPredictions(lesson: Lesson, learners: readonly GridLearner[]): PredictionTally[] {
  return lesson.steps.flatMap((step) => {
    if (!step.predict) return [];
    const made = learners.map((l) => lessonOf(l.progress, lesson.id)?.predictions[step.id]).filter((p) => p !== undefined);
    return [{
      lessonId: lesson.id,
      stepId: step.id,
      prompt: step.predict.prompt,
      options: step.predict.options.map((option, i) => ({ text: option.text, count: made.filter((p) => p.choice === i).length })),
      skipped: made.filter((p) => p.choice < 0).length,
      decided: made.filter((p) => p.correct !== undefined).length,
    }];
  });
}

/** The grid of a class from the catalogue and each learner's progress; learners sorted by name. */
export function classGrid(catalogue: readonly Lesson[], learners: readonly GridLearner[], options: GridOptions): ClassGrid {
  const touched = (lesson: Lesson) => learners.some((l) => lessonOf(l.progress, lesson.id) !== undefined);
  const lessons = catalogue.filter((lesson) => options.include === "all" || touched(lesson));
  const rows = learners.map((learner): GridRow => {
    const opened = lessons.flatMap((lesson) => {
      const progress = lessonOf(learner.progress, lesson.id);
      return progress ? [[lesson.id, lesson.steps.map((s) => stepCell(progress, s.id, options))] as const] : [];
    });
    const updated = Object.values(learner.progress).map((p) => p.updatedAt);
    return {
      learnerId: learner.learnerId,
      name: learner.name ?? learner.learnerId,
      lessons: Object.fromEntries(opened),
      ...(updated.length > 0 ? { lastActiveAt: Math.max(...updated) } : {}),
    };
  });
  return {
    generatedAt: options.now,
    stuckAfterMinutes: options.stuckAfterMinutes,
    lessons: lessons.map((l) => ({ id: l.id, ...(l.number !== undefined ? { number: l.number } : {}), title: l.title, steps: l.steps.map((s) => ({ id: s.id, title: s.title })) })),
    learners: rows.sort((a, b) => a.name.localeCompare(b.name) || a.learnerId.localeCompare(b.learnerId)),
    predictions: lessons.flatMap((lesson) => tallyPredictions(lesson, learners)),
  };
}

/** Counts of each state over a learner's row, for a one-line summary. */
export function rowCounts(row: GridRow): Record<CellState, number> {
  const counts = Object.fromEntries(cellStates.map((s) => [s, 0])) as Record<CellState, number>;
  for (const cells of Object.values(row.lessons)) for (const cell of cells) counts[cell.state] += 1;
  return counts;
}

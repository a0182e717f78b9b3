// The lesson part of the socket contract: commands a browser sends (answered through the ack)
// and the live check updates the server pushes while a learner is on a step.
import { z } from "zod";
import type { Ack } from "../events";
import { runIdSchema } from "../run/events";
import type { CheckResult } from "./evaluate";
import { learnerIdSchema, type LearnerProgress, type LessonProgress } from "./progress";

const slug = z.string().min(1).max(80).regex(/^[a-z0-9][a-z0-9-]*$/, "is not an id");
const learner = { learnerId: learnerIdSchema };

export const lessonProgressRequestSchema = z.strictObject(learner);
export const lessonRefSchema = z.strictObject({ ...learner, lessonId: slug });
export const lessonWatchSchema = z.strictObject({ ...learner, lessonId: slug, stepId: slug, runId: runIdSchema.optional() });
export const lessonUnwatchSchema = z.strictObject({});
export const lessonAttemptSchema = z.strictObject({
  ...learner,
  lessonId: slug,
  stepId: slug,
  /** The scenario text the learner tried; the server validates it itself. */
  scenario: z.string().max(1_000_000),
  runId: runIdSchema.optional(),
  /** What run:start answered when no run started; the server looks for the failed run to confirm it. */
  error: z.strictObject({ code: z.enum(["INVALID_INPUT", "CONFLICT", "BROKER_UNAVAILABLE", "NOT_FOUND", "INTERNAL"]), message: z.string().max(4000) }).optional(),
  /** "Show me" loaded this scenario, the step's solution: the progress records it. */
  solution: z.literal(true).optional(),
});
export const lessonPredictSchema = z.strictObject({ ...learner, lessonId: slug, stepId: slug, choice: z.number().int().min(-1).max(10) });
export const lessonAnswerSchema = z.strictObject({ ...learner, lessonId: slug, questionId: slug, choices: z.array(z.number().int().min(0).max(10)).min(1).max(10) });

export interface LessonCheckUpdate {
  lessonId: string;
  stepId: string;
  runId?: string;
  at: number;
  /**
   * Whether a run (or a try) of this step has begun: Start or Show me pressed on it, or on the step
   * whose run it continues. Until then the page shows no verdict and the step cannot complete.
   */
  started: boolean;
  result: CheckResult;
  progress: LessonProgress;
}

export interface LessonOpened {
  progress: LessonProgress;
  /** The text of every example the lesson loads, by id. */
  examples: Record<string, string>;
  /** The lesson's last run, while the engine still has it. */
  run?: { runId: string; status: string };
}

export interface LessonAnswered {
  correct: boolean;
  correctChoices: number[];
  explanation: string;
  progress: LessonProgress;
}

export interface LessonServerToClientEvents {
  "lesson:check": (update: LessonCheckUpdate) => void;
}

export interface LessonClientToServerEvents {
  "lesson:progress": (payload: z.input<typeof lessonProgressRequestSchema>, ack: Ack<LearnerProgress>) => void;
  "lesson:open": (payload: z.input<typeof lessonRefSchema>, ack: Ack<LessonOpened>) => void;
  "lesson:watch": (payload: z.input<typeof lessonWatchSchema>, ack: Ack<LessonCheckUpdate>) => void;
  "lesson:unwatch": (payload: z.input<typeof lessonUnwatchSchema>, ack: Ack<null>) => void;
  "lesson:attempt": (payload: z.input<typeof lessonAttemptSchema>, ack: Ack<LessonCheckUpdate>) => void;
  "lesson:predict": (payload: z.input<typeof lessonPredictSchema>, ack: Ack<LessonProgress>) => void;
  "lesson:answer": (payload: z.input<typeof lessonAnswerSchema>, ack: Ack<LessonAnswered>) => void;
  "lesson:reset": (payload: z.input<typeof lessonRefSchema>, ack: Ack<LessonProgress>) => void;
}

export const lessonPayloadSchemas = {
  "lesson:progress": lessonProgressRequestSchema,
  "lesson:open": lessonRefSchema,
  "lesson:watch": lessonWatchSchema,
  "lesson:unwatch": lessonUnwatchSchema,
  "lesson:attempt": lessonAttemptSchema,
  "lesson:predict": lessonPredictSchema,
  "lesson:answer": lessonAnswerSchema,
  "lesson:reset": lessonRefSchema,
} satisfies Record<keyof LessonClientToServerEvents, z.ZodType>;

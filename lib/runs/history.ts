// The run history's vocabulary (issue 17): what a recorded run looks like in a list, the filters
// the list takes, which frames a recording keeps, and the outcome a report earns. No I/O: the
// store (server/runs/) and the pages share it.
import { z } from "zod";
import type { MessageEvent } from "../run/ipc";
import type { RunFrame, RunReport, RunStatus } from "../run/model";

/** Where a run was started from. */
export type RunOrigin = "lab" | "lesson" | "headless";

/** What a finished run showed that a teacher filters on. */
export type RunOutcome = "lost" | "duplicates" | "errors";

export interface StoredRunSummary {
  runId: string;
  /** The scenario's name; `title` is what a user renamed the run to. */
  scenario: string;
  title?: string;
  origin: RunOrigin;
  lessonId?: string;
  stepId?: string;
  /** The broker kinds the scenario uses (rabbitmq, kafka, aws, redis, pubsub). */
  brokers: string[];
  status: RunStatus;
  startedAt: string;
  durationMs?: number;
  pinned: boolean;
  outcomes: RunOutcome[];
  ledger?: RunReport["ledger"];
  /** The classroom learner who started the run (classroom mode only). */
  owner?: string;
  frames: number;
  bytes: number;
}

export interface StoredRun extends StoredRunSummary {
  /** The scenario as YAML, secrets already removed. */
  scenarioText: string;
  report?: RunReport;
}

export const runFilterSchema = z.object({
  scenario: z.string().trim().max(200).optional(),
  broker: z.enum(["rabbitmq", "kafka", "aws", "redis", "pubsub"]).optional(),
  lesson: z.string().trim().max(100).optional(),
  outcome: z.enum(["lost", "duplicates", "errors", "clean"]).optional(),
  origin: z.enum(["lab", "lesson", "headless"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();
export type RunFilter = z.infer<typeof runFilterSchema>;

export const runEditSchema = z.object({
  title: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters").optional(),
  pinned: z.boolean().optional(),
}).strict().refine((edit) => edit.title !== undefined || edit.pinned !== undefined, "send a title or pinned");

/**
 * The engine notes why a run was stopped ("stopped: stopped from the browser") in the report's
 * errors so a reader sees it, but a stop is how a run ends, not something that went wrong.
 */
export const isStopNote = (line: string): boolean => line.startsWith("stopped: ");

/** The report's errors without the stop note: what the outcome badge and filter count. */
export const realErrors = (report: Pick<RunReport, "errors">): string[] => report.errors.filter((line) => !isStopNote(line));

/** What a report shows that is worth finding again: messages lost, duplicates, errors. */
export function outcomesOf(report: RunReport): RunOutcome[] {
  const outcomes: RunOutcome[] = [];
  if (report.ledger.lost > 0) outcomes.push("lost");
  if (report.ledger.duplicated > 0) outcomes.push("duplicates");
  const failedSends = Object.values(report.producers).some((p) => p.failed > 0);
  if (report.status === "failed" || realErrors(report).length > 0 || failedSends) outcomes.push("errors");
  return outcomes;
}

/** Frames kept per second: all ten for the first minute, then fewer as a run grows long. */
export function frameSpacingMs(elapsedMs: number): number {
  if (elapsedMs < 60_000) return 0;
  if (elapsedMs < 600_000) return 250;
  return 1_000;
}

/** The most message events one stored frame carries (the tails of the frames it stands for). */
export const maxTailPerStoredFrame = 200;

/**
 * Downsampling as a fold: `offer` each live frame; it answers the frame to store (with the tails
 * of the frames skipped since the last one stored) or nothing. `flush` gives the last frame held back.
 */
export function createFrameSampler() {
  let lastKeptElapsed = Number.NEGATIVE_INFINITY;
  let heldTail: MessageEvent[] = [];
  let held: RunFrame | undefined;
  const withTail = (frame: RunFrame): RunFrame => {
    const tail = [...heldTail, ...frame.tail].slice(-maxTailPerStoredFrame);
    heldTail = [];
    held = undefined;
    return { ...frame, tail };
  };
  return {
    offer(frame: RunFrame): RunFrame | undefined {
      const ended = frame.status !== "running" && frame.status !== "starting";
      if (ended || frame.elapsedMs - lastKeptElapsed >= frameSpacingMs(frame.elapsedMs)) {
        lastKeptElapsed = frame.elapsedMs;
        return withTail(frame);
      }
      heldTail = [...heldTail, ...frame.tail].slice(-maxTailPerStoredFrame);
      held = frame;
      return undefined;
    },
    flush: (): RunFrame | undefined => (held ? withTail(held) : undefined),
  };
}

// The run part of the socket contract: commands a browser sends (answered through the ack)
// and what the server broadcasts to everyone watching a run.
import { z } from "zod";
import type { Ack } from "../events";
import type { LoggedMessageView, RunFrame, RunReport, RunStatus } from "./model-view";

export const runIdSchema = z.string().min(1).max(120).regex(/^[a-zA-Z0-9_-]+$/, "is not a run id");

export const runStartSchema = z.strictObject({
  /** The scenario as YAML/JSON text, or as an object. */
  scenario: z.union([z.string().min(1, "must not be empty").max(1_000_000), z.record(z.string(), z.unknown())]),
  durationSeconds: z.number().gt(0).max(86_400).optional(),
});
export const runListSchema = z.strictObject({});
export const runRefSchema = z.strictObject({ runId: runIdSchema });
export const runSendSchema = z.strictObject({
  runId: runIdSchema,
  service: z.string().min(1),
  producer: z.string().min(1),
  count: z.number().int().min(1).max(10_000).default(1),
  payload: z.unknown().optional(),
});
export const runMessageSchema = z.strictObject({ runId: runIdSchema, messageId: z.string().min(1).max(1000) });
export const runFaultSchema = z.strictObject({
  runId: runIdSchema,
  action: z.enum(["kill", "start", "restart", "pause", "resume"]),
  service: z.string().min(1),
  replica: z.number().int().min(0).optional(),
});

export interface RunSummary {
  runId: string;
  scenario: string;
  status: RunStatus;
  startedAt: number;
}

export interface RunServerToClientEvents {
  "run:frame": (frame: RunFrame) => void;
  "run:status": (update: { runId: string; status: RunStatus }) => void;
  "run:report": (report: RunReport) => void;
}

export interface RunClientToServerEvents {
  "run:start": (payload: z.input<typeof runStartSchema>, ack: Ack<{ runId: string }>) => void;
  "run:stop": (payload: z.input<typeof runRefSchema>, ack: Ack<RunReport>) => void;
  "run:subscribe": (payload: z.input<typeof runRefSchema>, ack: Ack<{ summary: RunSummary; frame: RunFrame; scenario: unknown }>) => void;
  "run:unsubscribe": (payload: z.input<typeof runRefSchema>, ack: Ack<null>) => void;
  "run:list": (payload: z.input<typeof runListSchema>, ack: Ack<RunSummary[]>) => void;
  "run:send": (payload: z.input<typeof runSendSchema>, ack: Ack<{ sent: number }>) => void;
  "run:message": (payload: z.input<typeof runMessageSchema>, ack: Ack<LoggedMessageView>) => void;
  "run:fault": (payload: z.input<typeof runFaultSchema>, ack: Ack<{ affected: number }>) => void;
}

export const runPayloadSchemas = {
  "run:start": runStartSchema,
  "run:stop": runRefSchema,
  "run:subscribe": runRefSchema,
  "run:unsubscribe": runRefSchema,
  "run:list": runListSchema,
  "run:send": runSendSchema,
  "run:message": runMessageSchema,
  "run:fault": runFaultSchema,
} satisfies Record<keyof RunClientToServerEvents, z.ZodType>;

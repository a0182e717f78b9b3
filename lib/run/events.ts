// The run part of the socket contract: commands a browser sends (answered through the ack)
// and what the server broadcasts to everyone watching a run.
import { z } from "zod";
import type { Ack } from "../events";
import { nameSuffixPattern } from "../scenario/isolate";
import { faultSpecSchema, type FaultSpec, type FaultSpecInput } from "../scenario/faults";
import { jsonBytes, maxPayloadBytes, payloadSizeMessage, unsafeKeyMessage, unsafeKeyPaths } from "../scenario/schema";
import type { LoggedMessageView, RunFrame, RunReport, RunStatus } from "./model-view";

export const runIdSchema = z.string().min(1).max(120).regex(/^[a-zA-Z0-9_-]+$/, "is not a run id");

export const runStartSchema = z.strictObject({
  /** The scenario as YAML/JSON text, or as an object. */
  scenario: z.union([z.string().min(1, "must not be empty").max(1_000_000), z.record(z.string(), z.unknown())]),
  durationSeconds: z.number().gt(0).max(86_400).optional(),
  /** Rename the run's queues, exchanges, topics and consumer groups `<name>-<ownNames>`: a lesson page does, with a suffix of its own, so two learners never share one. */
  ownNames: z.string().regex(nameSuffixPattern, "must be 4 to 12 lowercase letters or digits").optional(),
  /** The lesson step that started the run: the run history files the run under it. */
  lesson: z.strictObject({ lessonId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, "is not a lesson id"), stepId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, "is not a step id") }).optional(),
});
export const runListSchema = z.strictObject({});
export const runRefSchema = z.strictObject({ runId: runIdSchema });
export const runSendSchema = z.strictObject({
  runId: runIdSchema,
  service: z.string().min(1),
  producer: z.string().min(1),
  count: z.number().int().min(1).max(10_000).default(1),
  payload: z.unknown().optional().superRefine((payload, ctx) => {
    for (const path of unsafeKeyPaths(payload)) ctx.addIssue({ code: "custom", path, message: unsafeKeyMessage(path.at(-1)!) });
    const bytes = jsonBytes(payload);
    if (bytes > maxPayloadBytes) ctx.addIssue({ code: "custom", message: payloadSizeMessage(bytes) });
  }),
});
export const runMessageSchema = z.strictObject({ runId: runIdSchema, messageId: z.string().min(1).max(1000) });
/** Ends an active fault (its id is in frame.activeFaults). */
export const faultEndSchema = z.strictObject({ action: z.literal("end"), faultId: z.string().min(1).max(200) });
export type FaultRequest = FaultSpec | z.output<typeof faultEndSchema>;
/** `{ runId, action, ...parameters }`: a fault spec (lib/scenario/faults.ts) or `{ action: "end", faultId }`. */
export type RunFaultPayload = { runId: string } & (FaultSpecInput | z.input<typeof faultEndSchema>);

export const runFaultSchema = z
  .strictObject({ runId: runIdSchema, action: z.string() })
  .catchall(z.unknown())
  .transform((payload, ctx): { runId: string; request: FaultRequest } => {
    const { runId, ...request } = payload;
    const parsed = request.action === "end" ? faultEndSchema.safeParse(request) : faultSpecSchema.safeParse(request);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.code === "unrecognized_keys" ? issue.message : issue.message.replace(/^Invalid input: /, "") });
      return z.NEVER;
    }
    return { runId, request: parsed.data };
  });

/** Wipes a projection's state and replays its event log from an offset (0 when absent) or a time (epoch ms or ISO-8601). */
export const runReplaySchema = z.strictObject({
  runId: runIdSchema,
  service: z.string().min(1).max(64),
  projection: z.string().min(1).max(64),
  from: z.union([
    z.strictObject({ offset: z.number().int().min(0, "must be at least 0") }),
    z.strictObject({
      time: z.union([z.number().int().min(0), z.string().refine((text) => !Number.isNaN(Date.parse(text)), "is not a date-time; write e.g. 2026-01-02T03:04:05Z")])
        .transform((time) => (typeof time === "number" ? time : Date.parse(time))),
    }),
  ]).optional(),
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
  /** Applies a fault (answers with its id while it stays active) or ends one. */
  "run:fault": (payload: RunFaultPayload, ack: Ack<{ affected: number; faultId?: string }>) => void;
  /** Wipes a projection and replays its event log (docs/patterns.md); answers how many processes replay. */
  "run:replay": (payload: z.input<typeof runReplaySchema>, ack: Ack<{ replaying: number }>) => void;
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
  "run:replay": runReplaySchema,
} satisfies Record<keyof RunClientToServerEvents, z.ZodType>;

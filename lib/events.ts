// The socket.io contract between the browser and the server: two typed interfaces, events named
// `domain:verb`. Commands answer through the ack as { data } | { error }; state changes are broadcast.
// To add a command: a schema below, a line in ClientToServerEvents and one in clientPayloadSchemas.
import { z } from "zod";
import type { ErrorPayload } from "./errors";
import type { StackStatus } from "./stack";
import { runPayloadSchemas } from "./run/events";
import type { RunClientToServerEvents, RunServerToClientEvents } from "./run/events";
import { lessonPayloadSchemas } from "./lessons/events";
import type { LessonClientToServerEvents, LessonServerToClientEvents } from "./lessons/events";

export type AckResponse<T> = { data: T } | { error: ErrorPayload };
export type Ack<T> = (response: AckResponse<T>) => void;

export interface ServerToClientEvents extends RunServerToClientEvents, LessonServerToClientEvents {
  /** The stack's health, sent on connection and broadcast whenever a service changes. */
  "stack:status": (status: StackStatus) => void;
}

export interface ClientToServerEvents extends RunClientToServerEvents, LessonClientToServerEvents {
  /** Probe the stack now instead of waiting for the next poll; answers with the fresh status. */
  "stack:refresh": (payload: StackRefreshPayload, ack: Ack<StackStatus>) => void;
}

export const stackRefreshPayloadSchema = z.object({}).strict();
export type StackRefreshPayload = z.infer<typeof stackRefreshPayloadSchema>;

/** One schema per command, so the server validates every payload before it acts on it. */
export const clientPayloadSchemas = {
  "stack:refresh": stackRefreshPayloadSchema,
  ...runPayloadSchemas,
  ...lessonPayloadSchemas,
} satisfies Record<keyof ClientToServerEvents, z.ZodType>;

export function isAckError<T>(response: AckResponse<T>): response is { error: ErrorPayload } {
  return "error" in response;
}

// The Brokerlab headers on every message (lib/run/ipc.ts names them): stable id, run, send time
// and attempt. Messages published by other programs carry none and are still consumed.
import { headerNames } from "../../lib/run/ipc";
import type { HeaderValue } from "./templates";

/** Epoch milliseconds with sub-millisecond precision. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** Marks when a Kafka retry is due (epoch ms); the retry topic's consumer waits until then. */
export const dueAtHeader = "x-brokerlab-due-at";

const traceHeaders = ["traceparent", "tracestate", "baggage"];

export interface BrokerlabHeaders {
  id?: string;
  runId?: string;
  sentAt?: number;
  attempt: number;
  origin?: string;
  dueAt?: number;
}

const number = (text: string | undefined) => {
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
};

export function readHeaders(headers: Record<string, string>): BrokerlabHeaders {
  return {
    id: headers[headerNames.id],
    runId: headers[headerNames.runId],
    sentAt: number(headers[headerNames.sentAt]),
    attempt: Math.max(1, Math.floor(number(headers[headerNames.attempt]) ?? 1)),
    origin: headers[headerNames.origin],
    dueAt: number(headers[dueAtHeader]),
  };
}

export function brokerlabHeaders(values: { id: string; runId: string; sentAt: number; attempt: number; origin?: string }): Record<string, HeaderValue> {
  return {
    [headerNames.id]: values.id,
    [headerNames.runId]: values.runId,
    [headerNames.sentAt]: values.sentAt.toFixed(3),
    [headerNames.attempt]: values.attempt,
    ...(values.origin ? { [headerNames.origin]: values.origin } : {}),
  };
}

/** A consumed message's headers for a copy (retry, dead letter): its trace context is injected anew. */
export function copyHeaders(raw: Record<string, string>, changes: Record<string, HeaderValue>): Record<string, HeaderValue> {
  const copy: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(raw)) if (!traceHeaders.includes(name)) copy[name] = value;
  return { ...copy, ...changes };
}

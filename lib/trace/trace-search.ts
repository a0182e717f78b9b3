// Searching traces for the explorer: the query a learner writes (validated with zod, every bad field
// named), the Jaeger query-API parameters it becomes, and the one-line summary of each trace found.
// Pure: the server route does the I/O against the configured Jaeger only.
import { z } from "zod";
import type { InputProblem } from "../errors";
import { serviceOf, spanEnd } from "./trace-tree";
import type { TreeTrace } from "./trace-tree";

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const text = (what: string, max = 200) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `is longer than ${max} characters; shorten ${what}`).optional());

export const lookbacks = ["15m", "1h", "6h", "24h", "48h"] as const;

export const traceSearchQuerySchema = z
  .object({
    run: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "is not a run id (letters, digits and _ . : - only)").optional()),
    service: text("the service name"),
    operation: text("the operation name"),
    destination: text("the destination (a queue, exchange:routing key or topic)"),
    messageId: text("the message id"),
    minDurationMs: z.preprocess(blankToUndefined, z.coerce.number({ error: "is not a number of milliseconds" }).min(0, "cannot be negative").max(3_600_000, "is over an hour; no span lasts that long").optional()),
    errorOnly: z.preprocess(blankToUndefined, z.enum(["true", "false"], { error: "is true or false" }).transform((v) => v === "true").optional()),
    limit: z.preprocess(blankToUndefined, z.coerce.number({ error: "is not a whole number" }).int("is not a whole number").min(1, "is at least 1").max(200, "is at most 200").default(50)),
    lookback: z.preprocess(blankToUndefined, z.enum(lookbacks, { error: `is one of ${lookbacks.join(", ")}` }).default("1h")),
  })
  .strict();

export type TraceSearchQuery = z.infer<typeof traceSearchQuerySchema>;

export type ParsedSearch = { ok: true; query: TraceSearchQuery } | { ok: false; problems: InputProblem[]; message: string };

/** The query from URL parameters; an unknown or repeated parameter is a problem too, never ignored. */
export function parseTraceSearch(params: URLSearchParams): ParsedSearch {
  const raw: Record<string, string> = {};
  const problems: InputProblem[] = [];
  for (const [key, value] of params) {
    if (value.trim() === "") continue; // an empty form field is no condition
    if (key in raw) problems.push({ path: key, message: "is given twice; give it once" });
    raw[key] = value;
  }
  const parsed = traceSearchQuerySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) problems.push({ path: key, message: `is not a search field (use run, service, operation, destination, messageId, minDurationMs, errorOnly, limit, lookback)` });
      } else {
        problems.push({ path: issue.path.join("."), message: issue.message });
      }
    }
  }
  if (problems.length > 0 || !parsed.success) {
    const message = problems.map((p) => `${p.path} ${p.message}`).join("; ");
    return { ok: false, problems, message: `The trace search is not valid: ${message}.` };
  }
  return { ok: true, query: parsed.data };
}

/** A Jaeger search (GET /api/traces) for one service: every condition must hold on one span of it. */
export interface JaegerSearch {
  service: string;
  operation?: string;
  tags: Record<string, string>;
  limit: number;
  lookback: string;
  /** Jaeger's duration format, e.g. "1500us". */
  minDuration?: string;
}

export function jaegerSearch(query: TraceSearchQuery, service: string): JaegerSearch {
  const tags: Record<string, string> = {};
  if (query.run) tags["brokerlab.run.id"] = query.run;
  if (query.destination) tags["messaging.destination.name"] = query.destination;
  if (query.messageId) tags["messaging.message.id"] = query.messageId;
  if (query.errorOnly) tags.error = "true";
  return {
    service,
    tags,
    limit: query.limit,
    lookback: query.lookback,
    ...(query.operation ? { operation: query.operation } : {}),
    ...(query.minDurationMs ? { minDuration: `${Math.round(query.minDurationMs * 1000)}us` } : {}),
  };
}

export interface TraceSummary {
  traceId: string;
  /** The earliest root span's name (a span whose parent is not in the trace). */
  root: string;
  services: string[];
  /** Microseconds since the epoch. */
  start: number;
  /** Microseconds, first start to last end. */
  duration: number;
  spans: number;
  errors: number;
}

const failed = (span: TreeTrace["spans"][number]) => span.tags.some((t) => (t.key === "error" && t.value === true) || (t.key === "otel.status_code" && String(t.value) === "ERROR"));

export function summarizeTrace(trace: TreeTrace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const byStart = [...trace.spans].sort((a, b) => a.startTime - b.startTime);
  const root = byStart.find((s) => !s.references.some((r) => r.refType === "CHILD_OF" && ids.has(r.spanID))) ?? byStart[0];
  const start = byStart[0]?.startTime ?? 0;
  return {
    traceId: trace.traceID,
    root: root?.operationName ?? "(no spans)",
    services: [...new Set(byStart.map((s) => serviceOf(trace, s)))],
    start,
    duration: trace.spans.length === 0 ? 0 : Math.max(...trace.spans.map(spanEnd)) - start,
    spans: trace.spans.length,
    errors: trace.spans.filter(failed).length,
  };
}

export const traceSortKeys = ["start", "duration", "spans"] as const;
export type TraceSortKey = (typeof traceSortKeys)[number];

/** Newest first by default; the longest or the largest first for the others. */
export function sortTraces(traces: readonly TraceSummary[], by: TraceSortKey): TraceSummary[] {
  return [...traces].sort((a, b) => b[by] - a[by] || a.traceId.localeCompare(b.traceId));
}

/** Traces found through several services are the same trace: keep one of each, up to the limit, newest first. */
export function mergeTraces<T extends { traceID: string }>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const trace of list) if (!seen.has(trace.traceID)) seen.set(trace.traceID, trace);
  return [...seen.values()];
}

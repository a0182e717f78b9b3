// A trace for the timeline: fetched from the server's GET /api/traces/:id (which reads Jaeger's
// query API), parsed with zod, and laid out as rows: one per span, ordered as a tree by parent,
// with links (FOLLOWS_FROM, or references into other traces) kept apart from the parent.
import { z } from "zod";
import type { ErrorPayload } from "../../lib/errors";

const keyValueSchema = z.object({ key: z.string(), type: z.string().optional(), value: z.unknown() });
const referenceSchema = z.object({ refType: z.string(), traceID: z.string(), spanID: z.string() });

export const traceSchema = z.object({
  traceID: z.string(),
  spans: z.array(
    z.object({
      traceID: z.string(),
      spanID: z.string(),
      operationName: z.string(),
      references: z.array(referenceSchema).nullish().transform((v) => v ?? []),
      startTime: z.number(),
      duration: z.number(),
      tags: z.array(keyValueSchema).nullish().transform((v) => v ?? []),
      logs: z
        .array(z.object({ timestamp: z.number(), fields: z.array(keyValueSchema).nullish().transform((v) => v ?? []) }))
        .nullish()
        .transform((v) => v ?? []),
      processID: z.string(),
    }),
  ),
  processes: z.record(z.string(), z.object({ serviceName: z.string(), tags: z.array(keyValueSchema).nullish() })),
});

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), retriable: z.boolean() }) });

export type Trace = z.infer<typeof traceSchema>;
export type TraceSpan = Trace["spans"][number];
export type KeyValue = z.infer<typeof keyValueSchema>;

export type TraceResult = { ok: true; trace: Trace } | { ok: false; status: number; error: ErrorPayload };

export async function fetchTrace(traceId: string, signal?: AbortSignal): Promise<TraceResult> {
  let response: Response;
  try {
    response = await fetch(`/api/traces/${encodeURIComponent(traceId)}`, { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    return { ok: false, status: 0, error: { code: "INTERNAL", message: "Brokerlab's server does not answer.", retriable: true } };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const parsed = z.object({ data: traceSchema }).safeParse(body);
    if (parsed.success) return { ok: true, trace: parsed.data.data };
    return { ok: false, status: response.status, error: { code: "INTERNAL", message: "The server sent a trace in an unexpected shape.", retriable: false } };
  }
  const parsed = errorSchema.safeParse(body);
  const error = parsed.success ? (parsed.data.error as ErrorPayload) : { code: "INTERNAL" as const, message: `The server answered HTTP ${response.status}.`, retriable: response.status >= 500 };
  return { ok: false, status: response.status, error };
}

export type SpanKind = "producer" | "consumer" | "client" | "server" | "internal";

export interface SpanLink {
  traceId: string;
  spanId: string;
  /** The linked span when it is in this trace. */
  inTrace: boolean;
  refType: string;
}

export interface SpanRow {
  span: TraceSpan;
  service: string;
  kind: SpanKind;
  depth: number;
  /** Microseconds from the trace's first span. */
  offset: number;
  duration: number;
  error: boolean;
  parentId?: string;
  links: SpanLink[];
}

export interface TraceLayout {
  rows: SpanRow[];
  /** Microseconds from the first start to the last end. */
  total: number;
  start: number;
  services: string[];
}

export const tagValue = (tags: readonly KeyValue[], key: string): unknown => tags.find((t) => t.key === key)?.value;

function spanKind(span: TraceSpan): SpanKind {
  const kind = String(tagValue(span.tags, "span.kind") ?? "internal").toLowerCase();
  return (["producer", "consumer", "client", "server"].includes(kind) ? kind : "internal") as SpanKind;
}

/** One row per span: children under their parent (by start time), roots in start order; links kept aside. */
export function layoutTrace(trace: Trace): TraceLayout {
  const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
  const parentOf = (span: TraceSpan) => span.references.find((r) => r.refType === "CHILD_OF" && r.traceID === span.traceID && byId.has(r.spanID))?.spanID;
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of trace.spans) {
    const parent = parentOf(span);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), span]);
    else roots.push(span);
  }
  const start = Math.min(...trace.spans.map((s) => s.startTime));
  const end = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
  const services: string[] = [];
  const rows: SpanRow[] = [];
  const byStart = (a: TraceSpan, b: TraceSpan) => a.startTime - b.startTime;
  const visit = (span: TraceSpan, depth: number) => {
    const service = trace.processes[span.processID]?.serviceName ?? span.processID;
    if (!services.includes(service)) services.push(service);
    const parentId = parentOf(span);
    rows.push({
      span,
      service,
      kind: spanKind(span),
      depth,
      offset: span.startTime - start,
      duration: span.duration,
      error: tagValue(span.tags, "error") === true || String(tagValue(span.tags, "otel.status_code")) === "ERROR",
      ...(parentId ? { parentId } : {}),
      links: span.references
        .filter((r) => r.spanID !== parentId)
        .map((r) => ({ traceId: r.traceID, spanId: r.spanID, inTrace: r.traceID === trace.traceID && byId.has(r.spanID), refType: r.refType })),
    });
    for (const child of (children.get(span.spanID) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  return { rows, total: Math.max(1, end - start), start, services };
}

/** Tags in the order a learner reads them: messaging first, then Brokerlab's, then the rest. */
export function orderedTags(tags: readonly KeyValue[]): KeyValue[] {
  const rank = (key: string) => (key.startsWith("messaging.") ? 0 : key.startsWith("brokerlab.") ? 1 : key.startsWith("otel.") || key.startsWith("span.") ? 3 : 2);
  return [...tags].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

const palette = ["#4f6bed", "#e8590c", "#0f9d76", "#a855f7", "#d6336c", "#1c7ed6", "#b08900", "#5c7cfa"];
export const serviceColor = (services: readonly string[], service: string) => palette[Math.max(0, services.indexOf(service)) % palette.length]!;

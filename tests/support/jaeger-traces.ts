// Reads a trace from Jaeger's query API (zod-parsed) and answers what tests ask of it: which
// services hold which kinds of spans, and which tags they carry.
import { z } from "zod";

const tagSchema = z.object({ key: z.string(), value: z.unknown() });
const traceSchema = z.object({
  traceID: z.string(),
  spans: z.array(z.object({
    spanID: z.string(),
    operationName: z.string(),
    processID: z.string(),
    tags: z.array(tagSchema).default([]),
    references: z.array(z.object({ refType: z.string(), spanID: z.string(), traceID: z.string() })).default([]),
  })),
  processes: z.record(z.string(), z.object({ serviceName: z.string() })),
});
const responseSchema = z.object({ data: z.array(traceSchema).nullable() });

export interface TraceSpan { service: string; operation: string; kind: string; spanId: string; tags: Record<string, unknown>; references: { refType: string; spanID: string; traceID: string }[] }

export const jaegerQueryUrl = () => (process.env.JAEGER_QUERY_URL ?? "http://127.0.0.1:16686").replace(/\/+$/, "");

/** The spans of a trace, or undefined while Jaeger does not have it yet. */
export async function fetchTrace(traceId: string): Promise<TraceSpan[] | undefined> {
  const response = await fetch(`${jaegerQueryUrl()}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}`);
  const trace = responseSchema.parse(await response.json()).data?.[0];
  if (!trace) return undefined;
  return trace.spans.map((span) => {
    const tags = Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
    return { service: trace.processes[span.processID]?.serviceName ?? "?", operation: span.operationName, kind: String(tags["span.kind"] ?? ""), spanId: span.spanID, tags, references: span.references };
  });
}

/** Trace ids Jaeger finds for a service and tag set. */
export async function searchTraces(service: string, tags: Record<string, string>): Promise<string[]> {
  const query = new URLSearchParams({ service, tags: JSON.stringify(tags), limit: "100", lookback: "1h" });
  const response = await fetch(`${jaegerQueryUrl()}/api/traces?${query}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for a search`);
  return (responseSchema.parse(await response.json()).data ?? []).map((t) => t.traceID);
}

// The explorer's search from the browser: GET /api/traces with the learner's fields, the answer
// parsed with zod; errors come back as values with the server's message (which names a bad field).
import { z } from "zod";
import type { ErrorPayload } from "../errors";
import type { ServiceGraph } from "../trace/service-graph";
import type { TraceSummary } from "../trace/trace-search";

const summarySchema = z.object({
  traceId: z.string(), root: z.string(), services: z.array(z.string()), start: z.number(), duration: z.number(), spans: z.number(), errors: z.number(),
});
const graphSchema = z.object({
  services: z.array(z.string()),
  destinations: z.array(z.string()),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.enum(["publish", "consume"]), count: z.number(), meanSpan: z.number(), meanWait: z.number().optional() })),
});
const answerSchema = z.object({ data: z.object({ traces: z.array(summarySchema), graph: graphSchema, services: z.array(z.string()) }) });
const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retriable: z.boolean(), problems: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
});

export interface TraceSearchResult {
  traces: TraceSummary[];
  graph: ServiceGraph;
  services: string[];
}

export type TraceSearchOutcome = { ok: true; result: TraceSearchResult } | { ok: false; error: ErrorPayload };

export async function searchTraces(params: URLSearchParams, signal?: AbortSignal): Promise<TraceSearchOutcome> {
  let response: Response;
  try {
    response = await fetch(`/api/traces?${params.toString()}`, { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    return { ok: false, error: { code: "INTERNAL", message: "Brokerlab's server does not answer.", retriable: true } };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const parsed = answerSchema.safeParse(body);
    if (parsed.success) return { ok: true, result: parsed.data.data };
    return { ok: false, error: { code: "INTERNAL", message: "The server sent the search's answer in an unexpected shape.", retriable: false } };
  }
  const parsed = errorSchema.safeParse(body);
  return { ok: false, error: parsed.success ? (parsed.data.error as ErrorPayload) : { code: "INTERNAL", message: `The server answered HTTP ${response.status}.`, retriable: response.status >= 500 } };
}

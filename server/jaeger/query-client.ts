// Jaeger's query API, parsed with zod: the services it knows, one trace by id, and a search by
// service and tags. Used by the engine and the lessons to read traces back and draw them.
import { z } from "zod";
import { AppError } from "../../lib/errors";

const keyValueSchema = z.object({ key: z.string(), type: z.string().optional(), value: z.unknown() });

const spanSchema = z.object({
  traceID: z.string(),
  spanID: z.string(),
  operationName: z.string(),
  references: z
    .array(z.object({ refType: z.string(), traceID: z.string(), spanID: z.string() }))
    .nullish()
    .transform((value) => value ?? []),
  /** Microseconds since the epoch. */
  startTime: z.number(),
  /** Microseconds. */
  duration: z.number(),
  tags: z
    .array(keyValueSchema)
    .nullish()
    .transform((value) => value ?? []),
  logs: z
    .array(z.object({ timestamp: z.number(), fields: z.array(keyValueSchema).nullish().transform((value) => value ?? []) }))
    .nullish()
    .transform((value) => value ?? []),
  processID: z.string(),
  warnings: z.array(z.string()).nullish(),
});

const traceSchema = z.object({
  traceID: z.string(),
  spans: z.array(spanSchema),
  processes: z.record(z.string(), z.object({ serviceName: z.string(), tags: z.array(keyValueSchema).nullish() })),
  warnings: z.array(z.string()).nullish(),
});

const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ data, errors: z.array(z.object({ code: z.number().optional(), msg: z.string() })).nullish() });

export const servicesResponseSchema = envelope(z.array(z.string()).nullable());
export const tracesResponseSchema = envelope(z.array(traceSchema).nullable());

export type JaegerKeyValue = z.infer<typeof keyValueSchema>;
export type JaegerSpan = z.infer<typeof spanSchema>;
export type JaegerTrace = z.infer<typeof traceSchema>;

export interface TraceSearch {
  service: string;
  operation?: string;
  /** Span tags that must all match, e.g. { "brokerlab.run.id": "r-42" }. */
  tags?: Record<string, string>;
  limit?: number;
  /** How far back to look, in Jaeger's duration format ("1h", "15m"). */
  lookback?: string;
  /** Only traces with a matching span at least this long, in Jaeger's duration format ("1500us"). */
  minDuration?: string;
}

export interface JaegerQueryClient {
  services(): Promise<string[]>;
  /** The trace, or undefined when Jaeger does not (yet) have it. */
  trace(traceId: string): Promise<JaegerTrace | undefined>;
  searchTraces(search: TraceSearch): Promise<JaegerTrace[]>;
}

export interface JaegerQueryClientOptions {
  /** JAEGER_QUERY_URL, e.g. http://127.0.0.1:16686 */
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The tag's value as Jaeger returned it (string, number or boolean), looked up by key. */
export function spanTag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((tag) => tag.key === key)?.value;
}

export function createJaegerQueryClient(options: JaegerQueryClientOptions): JaegerQueryClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5000;
  const doFetch = options.fetch ?? fetch;

  async function get<T>(path: string, schema: z.ZodType<T>, allowNotFound = false): Promise<T | undefined> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    } catch (error) {
      throw new AppError("TRACING_UNAVAILABLE", `Jaeger's query API at ${base} does not answer.`, { cause: error });
    }
    if (allowNotFound && response.status === 404) return undefined;
    if (!response.ok) throw new AppError("TRACING_UNAVAILABLE", `Jaeger's query API answered HTTP ${response.status} for ${path}.`);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new AppError("INTERNAL", `Jaeger's query API sent an unexpected answer for ${path}.`, { cause: parsed.error });
    return parsed.data;
  }

  return {
    async services() {
      const body = await get("/api/services", servicesResponseSchema);
      return body?.data ?? [];
    },
    async trace(traceId) {
      if (!/^[0-9a-f]{1,32}$/i.test(traceId)) throw new AppError("INVALID_INPUT", `"${traceId}" is not a trace id (up to 32 hex digits).`);
      const body = await get(`/api/traces/${traceId}`, tracesResponseSchema, true);
      return body?.data?.[0];
    },
    async searchTraces(search) {
      const params = new URLSearchParams({ service: search.service, limit: String(search.limit ?? 20), lookback: search.lookback ?? "1h" });
      if (search.operation) params.set("operation", search.operation);
      if (search.minDuration) params.set("minDuration", search.minDuration);
      if (search.tags && Object.keys(search.tags).length > 0) params.set("tags", JSON.stringify(search.tags));
      const body = await get(`/api/traces?${params.toString()}`, tracesResponseSchema);
      return body?.data ?? [];
    },
  };
}

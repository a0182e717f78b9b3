// GET /api/traces?run=&service=&operation=&destination=&messageId=&minDurationMs=&errorOnly=&limit=&lookback=
// The explorer's search: the query parsed with zod (a bad field answers INVALID_INPUT naming it),
// then Jaeger's query API at the configured endpoint, once per service when none is named, and the
// traces found answered as summaries with a service graph of them.
import { AppError } from "../../lib/errors";
import { jaegerSearch, mergeTraces, parseTraceSearch, sortTraces, summarizeTrace } from "../../lib/trace/trace-search";
import type { TraceSummary } from "../../lib/trace/trace-search";
import { serviceGraph } from "../../lib/trace/service-graph";
import type { ServiceGraph } from "../../lib/trace/service-graph";
import type { JaegerQueryClient } from "../jaeger/query-client";

/** Jaeger's own spans are not Brokerlab's; more services than this are searched as named only. */
const ownServices = new Set(["jaeger", "jaeger-all-in-one", "jaeger-query"]);
// A run's services can sit anywhere in the alphabet of a long-lived Jaeger (a CI run leaves dozens):
// every service is asked, a few at a time.
const maxServicesSearched = 500;
const servicesAtOnce = 16;

export interface TraceSearchAnswer {
  traces: TraceSummary[];
  graph: ServiceGraph;
  /** The services Jaeger was asked about. */
  services: string[];
}

export async function searchTraces(jaeger: JaegerQueryClient | undefined, params: URLSearchParams): Promise<TraceSearchAnswer> {
  const parsed = parseTraceSearch(params);
  if (!parsed.ok) throw new AppError("INVALID_INPUT", parsed.message, { problems: parsed.problems });
  if (!jaeger) throw new AppError("TRACING_UNAVAILABLE", "Tracing is not configured on this server (JAEGER_QUERY_URL), so there are no traces to search.");
  const { query } = parsed;
  const services = query.service ? [query.service] : (await jaeger.services()).filter((s) => !ownServices.has(s)).sort().slice(0, maxServicesSearched);
  const lists: Awaited<ReturnType<JaegerQueryClient["searchTraces"]>>[] = [];
  for (let i = 0; i < services.length; i += servicesAtOnce) {
    lists.push(...(await Promise.all(services.slice(i, i + servicesAtOnce).map((service) => jaeger.searchTraces(jaegerSearch(query, service))))));
  }
  const found = mergeTraces(lists);
  const traces = sortTraces(found.map(summarizeTrace), "start").slice(0, query.limit);
  const kept = new Set(traces.map((t) => t.traceId));
  return { traces, graph: serviceGraph(found.filter((t) => kept.has(t.traceID))), services };
}

// The report of a run, in the shape SCENARIO.md promises (plus more detail).
import type { ConsumerCounters, ProducerCounters } from "../../lib/run/ipc";
import type { Ledger, ReplicaStatus, RunReport, RunStatus, TraceSampling } from "../../lib/run/model";
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerSnapshot } from "./broker-stats";
import type { LatencyBook } from "./latency";
import type { MessageLog } from "./message-log";

export interface ReportInput {
  runId: string;
  scenario: Scenario;
  status: RunStatus;
  startedAt: number;
  durationMs: number;
  producers: Record<string, ProducerCounters>;
  consumers: Record<string, ConsumerCounters>;
  consumersByReplica: Record<string, { replica: number; received: number; acked: number }[]>;
  latency: LatencyBook;
  ledger: Ledger;
  snapshot: BrokerSnapshot | undefined;
  services: Record<string, ReplicaStatus[]>;
  messages: MessageLog;
  droppedSpans: number;
  sampling?: TraceSampling;
  errors: string[];
  logsDir: string;
  jaegerUiUrl: string;
}

/** A Jaeger search for every span of the run (the run id is a span attribute on all of them). */
export function runSearchUrl(jaegerUiUrl: string, scenario: Scenario, runId: string): string {
  const service = scenario.services.find((s) => s.producers.length > 0)?.name ?? scenario.services[0]!.name;
  const params = new URLSearchParams({ service, tags: JSON.stringify({ "brokerlab.run.id": runId }), limit: "100", lookback: "1h" });
  return `${jaegerUiUrl.replace(/\/$/, "")}/search?${params.toString()}`;
}

/** Trace ids of messages that were both published and processed, so each trace spans two services. */
function sampleTraces(messages: MessageLog, limit: number): string[] {
  const complete = messages
    .recent(2000)
    .reverse()
    .filter((m) => m.traceId && m.events.some((e) => e.kind === "published") && m.events.some((e) => e.kind === "acked" || e.kind === "processed"));
  const ids = [...new Set(complete.map((m) => m.traceId!))];
  return (ids.length > 0 ? ids : messages.traceIds(limit)).slice(0, limit);
}

export function buildReport(input: ReportInput): RunReport {
  const overall = input.latency.overall();
  return {
    runId: input.runId,
    scenario: input.scenario.name,
    status: input.status,
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.durationMs,
    producers: Object.fromEntries(
      Object.entries(input.producers).map(([k, c]) => [k, { published: c.published, confirmed: c.confirmed, failed: c.failed, returned: c.returned }]),
    ),
    consumers: Object.fromEntries(
      Object.entries(input.consumers).map(([k, c]) => {
        const { inFlight: _inFlight, ...counters } = c;
        return [k, { ...counters, latencyMs: input.latency.forRun(k), replicas: input.consumersByReplica[k] ?? [] }];
      }),
    ),
    ledger: input.ledger,
    latencyMs: { p50: overall.p50, p90: overall.p90, p99: overall.p99, max: overall.max },
    queues: input.snapshot?.queues ?? [],
    lag: input.snapshot?.lag ?? [],
    services: input.services,
    traces: { sample: sampleTraces(input.messages, 5), searchUrl: runSearchUrl(input.jaegerUiUrl, input.scenario, input.runId), droppedSpans: input.droppedSpans, ...(input.sampling ? { sampling: input.sampling } : {}) },
    errors: input.errors,
    logsDir: input.logsDir,
  };
}

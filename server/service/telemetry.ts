// OpenTelemetry for a service process, started before the broker client libraries are loaded so
// the official instrumentations each broker kind brings (client-setups.ts) can patch them. Every
// span carries brokerlab.run.id as an attribute (a resource attribute alone is not searchable by
// tag in Jaeger). Off when tracing is disabled.
import { DiagLogLevel, diag } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { headerNames } from "../../lib/run/ipc";
import { createPubsubLibrarySpanProcessor } from "../brokers/pubsub/library-spans";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { brokerInstrumentations, launchKinds } from "./client-setups";
import { createFaultSpanProcessor } from "./fault-notices";
import { createLegacyAttributeFilter } from "./legacy-attributes";
import type { FaultNotices } from "./fault-notices";
import { createBoundedExport } from "./span-export";
import { createTraceLimiter } from "./trace-limit";

export const runIdAttribute = "brokerlab.run.id";

export interface ServiceTelemetry {
  enabled: boolean;
  droppedSpans(): number;
  /** Messages traced, and left untraced by the trace limit, so far. */
  sampling(): { traced: number; untraced: number };
  /** Flushes what is queued, at most `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

type Carrier = Record<string, unknown> | undefined;
const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString() : value === undefined || value === null ? undefined : String(value));

/** messaging.message.id and brokerlab.* attributes from a message's headers. */
function tagMessage(span: Span, headers: Carrier): void {
  const id = text(headers?.[headerNames.id]);
  const attempt = Number(text(headers?.[headerNames.attempt]) ?? 1);
  if (id) span.setAttribute("messaging.message.id", id);
  span.setAttribute("brokerlab.attempt", Number.isFinite(attempt) ? attempt : 1);
  const origin = text(headers?.[headerNames.origin]);
  if (origin) span.setAttribute("brokerlab.origin", origin);
}

/** The run id on every span (the instance is a resource attribute: Jaeger shows it as a process tag). */
function createRunIdProcessor(runId: string): SpanProcessor {
  return {
    onStart(span) {
      span.setAttribute(runIdAttribute, runId);
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

// A throttled diagnostic logger: an unreachable collector must not flood the service log.
function quietDiagnostics(): void {
  let last = 0;
  const write = (message: string) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    process.stderr.write(`[otel] ${message}\n`);
  };
  diag.setLogger({ error: write, warn: write, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
}

export function startServiceTelemetry(launch: ServiceLaunch, notices?: FaultNotices): ServiceTelemetry {
  if (!launch.tracing.enabled) return { enabled: false, droppedSpans: () => 0, sampling: () => ({ traced: 0, untraced: 0 }), shutdown: async () => {} };
  const { runId } = launch;
  const instance = `${launch.service.name}-${launch.replica}`;
  const link = launch.propagation === "link";
  const exporter = new OTLPTraceExporter({ url: `${launch.tracing.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`, timeoutMillis: 3_000 });
  const limiter = createTraceLimiter(launch.tracing.maxPerSecond ?? 0);
  const exported = createBoundedExport(exporter, { maxQueueSize: 16_384, maxExportBatchSize: 1_024, scheduledDelayMillis: 200, exportTimeoutMillis: 3_000 });

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      "service.name": launch.service.name,
      "service.instance.id": instance,
      "service.namespace": launch.scenarioName,
      [runIdAttribute]: runId,
    }),
    autoDetectResources: false,
    sampler: limiter.sampler,
    spanProcessors: [createRunIdProcessor(runId), createPubsubLibrarySpanProcessor(), createLegacyAttributeFilter(), ...(notices ? [createFaultSpanProcessor(notices)] : []), exported.processor],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: brokerInstrumentations({ link, tagMessage }, launchKinds(launch)),
  });
  sdk.start();
  quietDiagnostics();

  return {
    enabled: true,
    droppedSpans: () => exported.dropped(),
    sampling: () => limiter.counts(),
    async shutdown(timeoutMs) {
      await exported.shutdown(timeoutMs);
      await Promise.race([sdk.shutdown().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    },
  };
}

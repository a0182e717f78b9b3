// OpenTelemetry bootstrap for the control plane. It must run before amqplib or kafkajs is first
// required, so the instrumentations can patch them: server/index.ts starts it, then loads the rest.
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { KafkaJsInstrumentation } from "@opentelemetry/instrumentation-kafkajs";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeSDK } from "@opentelemetry/sdk-node";
import type { Config } from "../config";

export const controlPlaneServiceName = "brokerlab";

export interface Telemetry {
  enabled: boolean;
  /** Flushes spans still in memory and stops the SDK. */
  shutdown(): Promise<void>;
}

export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

export function startTelemetry(config: Pick<Config, "BROKERLAB_TRACING" | "OTEL_EXPORTER_OTLP_ENDPOINT">): Telemetry {
  if (config.BROKERLAB_TRACING === "off") {
    return { enabled: false, shutdown: async () => {} };
  }
  // Next.js wraps the global fetch in a span of its own once a tracer provider is registered: every
  // call the control plane makes (Jaeger queries, management API reads, each lesson check's) would
  // land in Jaeger beside the learners' traces. Its documented switch turns those spans off.
  process.env.NEXT_OTEL_FETCH_DISABLED ??= "1";
  const sdk = new NodeSDK({
    serviceName: controlPlaneServiceName,
    traceExporter: new OTLPTraceExporter({ url: otlpTracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT) }),
    // Jaeger takes traces only; without these the SDK would also push metrics and logs over OTLP.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [new AmqplibInstrumentation(), new KafkaJsInstrumentation()],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}

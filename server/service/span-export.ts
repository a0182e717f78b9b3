// Span export that never blocks message flow: a BatchSpanProcessor with a bounded queue, and an
// exact count of the spans that never reach Jaeger (queue full, or a failed export).
import { TraceFlags } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";

export interface BoundedExport {
  processor: SpanProcessor;
  /** Spans dropped so far. */
  dropped(): number;
  /** Flushes at most `timeoutMs`; spans still queued then count as dropped. */
  shutdown(timeoutMs: number): Promise<void>;
}

export function createBoundedExport(exporter: SpanExporter, options: { maxQueueSize: number; maxExportBatchSize: number; scheduledDelayMillis: number; exportTimeoutMillis: number }): BoundedExport {
  let dropped = 0;
  let queued = 0;
  let handedOff = 0;
  const counting: SpanExporter = {
    export(spans, done) {
      handedOff += spans.length;
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) dropped += spans.length;
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const batch = new BatchSpanProcessor({ exporter: counting, ...options });
  const processor: SpanProcessor = {
    onStart: (span, parentContext) => batch.onStart(span, parentContext),
    onEnd(span: ReadableSpan) {
      // Mirrors the batch processor's rule: a full queue drops the span.
      if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) {
        if (queued - handedOff >= options.maxQueueSize) dropped += 1;
        else queued += 1;
      }
      batch.onEnd(span);
    },
    forceFlush: () => batch.forceFlush(),
    shutdown: () => batch.shutdown(),
  };
  return {
    processor,
    dropped: () => dropped,
    async shutdown(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([batch.shutdown().catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
      clearTimeout(timer);
      dropped += Math.max(0, queued - handedOff);
      queued = handedOff;
    },
  };
}

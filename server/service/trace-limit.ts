// Which messages get a trace. Every message, up to `maxPerSecond` new traces per service process;
// above that a token bucket lets that many through each second and the rest go untraced: counted
// (the run shows "traced 1 in N"), never silently missing. A span with a parent, or a CONSUMER span
// linked to its producer's span (link propagation), follows that span's decision, so a message's
// trace is whole or absent. Keeps tracing from costing more than the broker at high rates.
import { SamplingDecision, TraceFlags, isSpanContextValid, trace } from "@opentelemetry/api";
import type { SpanContext } from "@opentelemetry/api";
import type { Sampler } from "@opentelemetry/sdk-trace";

export interface TraceLimiter {
  sampler: Sampler;
  /** New traces started, and messages left untraced by the limit, so far. */
  counts(): { traced: number; untraced: number };
}

const isSampled = (span: SpanContext) => (span.traceFlags & TraceFlags.SAMPLED) !== 0;

/** `maxPerSecond` ≤ 0: every message is traced. */
export function createTraceLimiter(maxPerSecond: number, now: () => number = () => performance.now()): TraceLimiter {
  let tokens = maxPerSecond;
  let refilledAt = now();
  let traced = 0;
  let untraced = 0;

  function takeToken(): boolean {
    if (maxPerSecond <= 0) return true;
    const at = now();
    tokens = Math.min(maxPerSecond, tokens + ((at - refilledAt) / 1000) * maxPerSecond);
    refilledAt = at;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  const sampler: Sampler = {
    shouldSample(context, _traceId, _name, _kind, _attributes, links) {
      const parent = trace.getSpanContext(context);
      const followed = parent && isSpanContextValid(parent) ? parent : links.map((l) => l.context).find(isSpanContextValid);
      let keep: boolean;
      if (followed) {
        keep = isSampled(followed);
      } else {
        keep = takeToken();
        if (keep) traced += 1;
        else untraced += 1;
      }
      return { decision: keep ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
    },
    toString: () => (maxPerSecond > 0 ? `BrokerlabTraceLimit{${maxPerSecond}/s}` : "BrokerlabTraceLimit{none}"),
  };

  return { sampler, counts: () => ({ traced, untraced }) };
}

/** The trace id of a span that is recorded and exported, else undefined (an untraced message has no trace to open). */
export function exportedTraceId(span: { spanContext(): SpanContext } | undefined): string | undefined {
  const context = span?.spanContext();
  return context && isSpanContextValid(context) && isSampled(context) ? context.traceId : undefined;
}

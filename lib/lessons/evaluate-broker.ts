// Checks over what the brokers and Jaeger say about a run: queue depth and consumers (RabbitMQ's
// management API), group lag and committed offsets (Kafka's admin API), x-death headers, traces.
import type { QueueDepth } from "../run/model";
import type { CheckOf } from "./checks";
import { opWord, traceShapeWords } from "./describe";
import { conformsCheck } from "./evaluate-conventions";
import { measured, type Verdict } from "./verdict";
import { traceNeedOf } from "./needs";
import type { CheckSnapshot, RunView, SpanView, TraceView } from "./snapshot";

type BrokerCheck = CheckOf<"queueDepth"> | CheckOf<"queueConsumers"> | CheckOf<"consumerGroupLag"> | CheckOf<"consumerGroupOffsets"> | CheckOf<"xDeath"> | CheckOf<"traceHasSpan"> | CheckOf<"traceCrosses"> | CheckOf<"traceLinked"> | CheckOf<"traceConforms">;

function queueOf(name: string, run: RunView, snapshot: CheckSnapshot): QueueDepth | null | undefined {
  return run.frame.queues.find((q) => q.name === name) ?? snapshot.queues[name];
}

function queueCheck(check: CheckOf<"queueDepth"> | CheckOf<"queueConsumers">, run: RunView, snapshot: CheckSnapshot): Verdict {
  const queue = queueOf(check.queue, run, snapshot);
  if (queue === null) return { state: "fail", detail: `RabbitMQ has no queue ${check.queue}` };
  if (!queue) return { state: "fail", detail: `no reading of queue ${check.queue} yet (the broker is read once a second while the run is on)` };
  if (check.kind === "queueConsumers") return measured(queue.consumers, check.op, check.value, `consumers on ${check.queue}`);
  const field = check.field ?? "messages";
  const words = { messages: "messages in", ready: "ready messages in", unacked: "unacknowledged messages in" } as const;
  return measured(queue[field], check.op, check.value, `${words[field]} ${check.queue}`);
}

function lagCheck(check: CheckOf<"consumerGroupLag">, run: RunView): Verdict {
  const entries = run.frame.lag.filter((g) => g.group === check.group && (!check.topic || g.topic === check.topic));
  if (entries.length === 0) return { state: "fail", detail: `no reading of group ${check.group} yet (Kafka is read once a second while the run is on)` };
  const total = entries.reduce((sum, g) => sum + g.total, 0);
  const behind = entries.flatMap((g) => g.partitions.filter((p) => p.lag > 0).map((p) => `${g.topic}[${p.partition}]: ${p.lag}`));
  const verdict = measured(total, check.op, check.value, `group ${check.group}'s lag`);
  return verdict.state === "pass" || behind.length === 0 ? verdict : { ...verdict, detail: `${verdict.detail} (behind on ${behind.join(", ")})` };
}

function offsetsCheck(check: CheckOf<"consumerGroupOffsets">, run: RunView): Verdict {
  const entry = run.frame.lag.find((g) => g.group === check.group && g.topic === check.topic);
  if (!entry) return { state: "fail", detail: `no reading of group ${check.group} on ${check.topic} yet` };
  const atLeast = check.committedAtLeast ?? 1;
  const done = entry.partitions.filter((p) => p.committed >= atLeast);
  const wanted = check.partitions === undefined || check.partitions === "all" ? entry.partitions.length : check.partitions;
  const summary = `${done.length} of ${entry.partitions.length} partitions of ${check.topic} have a committed offset of at least ${atLeast} for group ${check.group}`;
  if (entry.partitions.length > 0 && done.length >= wanted) return { state: "pass", detail: summary };
  const missing = entry.partitions.filter((p) => p.committed < atLeast).map((p) => `partition ${p.partition} is at ${p.committed < 0 ? "none" : p.committed}`);
  return { state: done.length > 0 ? "partial" : "fail", detail: `${summary}; ${missing.join(", ")}` };
}

function xDeathCheck(check: CheckOf<"xDeath">, snapshot: CheckSnapshot): Verdict {
  const reading = snapshot.deadLetters[check.queue];
  if (!reading) return { state: "fail", detail: `${check.queue} has not been read yet` };
  if ("error" in reading) return { state: "fail", detail: reading.error };
  const messages = reading.value;
  const matches = messages.filter((entries) => entries.some((e) => (!check.reason || e.reason === check.reason) && (!check.fromQueue || e.queue === check.fromQueue)));
  const atLeast = check.atLeast ?? 1;
  const what = `x-death${check.reason ? ` with reason ${check.reason}` : ""}${check.fromQueue ? ` from ${check.fromQueue}` : ""}`;
  if (matches.length >= atLeast) {
    const first = matches[0]!.find((e) => (!check.reason || e.reason === check.reason) && (!check.fromQueue || e.queue === check.fromQueue))!;
    return { state: "pass", detail: `${matches.length} message(s) in ${check.queue} carry ${what} (first: queue ${first.queue}, reason ${first.reason}, count ${first.count})` };
  }
  if (messages.length === 0) return { state: "fail", detail: `${check.queue} is empty` };
  const seen = [...new Set(messages.flatMap((entries) => entries.map((e) => `${e.reason} from ${e.queue}`)))];
  return { state: matches.length > 0 ? "partial" : "fail", detail: `${check.queue} holds ${messages.length} message(s), ${matches.length} with ${what}${seen.length ? ` (seen: ${seen.join(", ")})` : ""}; needs ${atLeast}` };
}

const spanMatches = (span: SpanView, check: CheckOf<"traceHasSpan">) =>
  span.service === check.service &&
  (!check.spanKind || span.kind === check.spanKind) &&
  Object.entries(check.attributes ?? {}).every(([key, value]) => String(span.attributes[key]) === String(value));

/** The kinds of span the whole trace must hold (`traceAlso`) and must not hold (`traceLacks`). */
const traceShapeMatches = (trace: TraceView, check: CheckOf<"traceHasSpan">) =>
  (check.traceAlso ?? []).every((kind) => trace.spans.some((s) => s.kind === kind)) &&
  !(check.traceLacks ?? []).some((kind) => trace.spans.some((s) => s.kind === kind));

// A span continued from a message is either the producer span's child (same trace) or the root of a
// new trace that links to it; only the second counts here.
function linkedCheck(check: CheckOf<"traceLinked">, traces: TraceView[]): Verdict {
  const spans = traces.flatMap((t) => t.spans.map((span) => ({ span, traceId: t.traceId }))).filter(({ span }) => span.service === check.service && (!check.spanKind || span.kind === check.spanKind));
  const linked = spans.filter(({ span, traceId }) => (span.links ?? []).some((id) => id !== traceId));
  const atLeast = check.atLeast ?? 1;
  const what = `${check.spanKind ? `${check.spanKind.toUpperCase()} ` : ""}span(s) of ${check.service}`;
  if (linked.length >= atLeast) return { state: "pass", detail: `${linked.length} of ${spans.length} ${what} start their own trace and link to a span of another trace` };
  if (spans.length === 0) return { state: "fail", detail: `Jaeger holds no ${what} for this run yet` };
  return { state: linked.length > 0 ? "partial" : "fail", detail: `${linked.length} of ${spans.length} ${what} link to another trace${linked.length === 0 ? " (they continue the producer's trace as its children)" : ""}; needs ${opWord(">=", atLeast)}` };
}

function traceCheck(check: CheckOf<"traceHasSpan"> | CheckOf<"traceCrosses"> | CheckOf<"traceLinked"> | CheckOf<"traceConforms">, snapshot: CheckSnapshot): Verdict {
  const reading = snapshot.traces[traceNeedOf(check).key];
  if (!reading) return { state: "fail", detail: "Jaeger has not been asked yet" };
  if ("error" in reading) return { state: "fail", detail: reading.error };
  const traces = reading.value;
  if (check.kind === "traceLinked") return linkedCheck(check, traces);
  if (check.kind === "traceConforms") return conformsCheck(check, traces);
  if (check.kind === "traceCrosses") {
    const best = traces.map((t) => ({ t, services: new Set(t.spans.map((s) => s.service)) })).sort((a, b) => b.services.size - a.services.size)[0];
    const full = traces.find((t) => check.services.every((s) => t.spans.some((span) => span.service === s)));
    if (full) return { state: "pass", detail: `trace ${full.traceId.slice(0, 12)}… holds spans of ${check.services.join(", ")}` };
    if (!best) return { state: "fail", detail: `Jaeger has no trace of this run in ${check.services[0]} yet` };
    const missing = check.services.filter((s) => !best.services.has(s));
    return { state: "partial", detail: `the fullest trace crosses ${[...best.services].join(", ")}; missing ${missing.join(", ")}` };
  }
  const spans = traces.filter((t) => traceShapeMatches(t, check)).flatMap((t) => t.spans).filter((s) => spanMatches(s, check));
  const atLeast = check.atLeast ?? 1;
  const what = `${check.spanKind ? `${check.spanKind.toUpperCase()} ` : ""}span(s) in ${check.service}${Object.keys(check.attributes ?? {}).length ? ` with ${Object.entries(check.attributes ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(", ")}` : ""}${traceShapeWords(check)}`;
  if (spans.length >= atLeast) return { state: "pass", detail: `Jaeger holds ${spans.length} ${what} for this run` };
  return { state: spans.length > 0 ? "partial" : "fail", detail: `Jaeger holds ${spans.length} ${what} for this run (of ${traces.length} trace(s) searched); needs ${opWord(">=", atLeast)}` };
}

export function evaluateBroker(check: BrokerCheck, run: RunView, snapshot: CheckSnapshot): Verdict {
  switch (check.kind) {
    case "queueDepth":
    case "queueConsumers":
      return queueCheck(check, run, snapshot);
    case "consumerGroupLag":
      return lagCheck(check, run);
    case "consumerGroupOffsets":
      return offsetsCheck(check, run);
    case "xDeath":
      return xDeathCheck(check, snapshot);
    case "traceHasSpan":
    case "traceCrosses":
    case "traceLinked":
    case "traceConforms":
      return traceCheck(check, snapshot);
  }
}

// Builds the live frame a browser receives (≈10 Hz): counters, rates over the last second,
// the latency window, replica states, broker depth and lag, the ledger and a sampled tail.
import type { ConsumerCounters, MessageEvent, ProducerCounters } from "../../lib/run/ipc";
import type { ConsumerLatency, Ledger, ReplicaStatus, RunFrame, RunStatus } from "../../lib/run/model";
import type { BrokerSnapshot } from "./broker-stats";

interface Sample {
  at: number;
  produced: Record<string, number>;
  consumed: Record<string, number>;
}

/** Rates per producer (published/s) and consumer (received/s) over a sliding one-second window. */
export function createRateTracker(windowMs = 1000) {
  const history: Sample[] = [];
  return {
    sample(producers: Record<string, ProducerCounters>, consumers: Record<string, ConsumerCounters>) {
      const now = Date.now();
      const current: Sample = {
        at: now,
        produced: Object.fromEntries(Object.entries(producers).map(([k, c]) => [k, c.published])),
        consumed: Object.fromEntries(Object.entries(consumers).map(([k, c]) => [k, c.received])),
      };
      history.push(current);
      while (history.length > 2 && now - history[1]!.at >= windowMs) history.shift();
      const oldest = history[0]!;
      const seconds = Math.max((now - oldest.at) / 1000, 0.001);
      const rate = (now: Record<string, number>, then: Record<string, number>) =>
        Object.fromEntries(Object.entries(now).map(([k, v]) => [k, oldest === current ? 0 : Math.max(0, (v - (then[k] ?? 0)) / seconds)]));
      return { producers: rate(current.produced, oldest.produced), consumers: rate(current.consumed, oldest.consumed) };
    },
  };
}

export interface FrameInput {
  runId: string;
  status: RunStatus;
  elapsedMs: number;
  producers: Record<string, ProducerCounters>;
  consumers: Record<string, ConsumerCounters>;
  rates: { producers: Record<string, number>; consumers: Record<string, number> };
  windows: Record<string, ConsumerLatency>;
  services: Record<string, ReplicaStatus[]>;
  snapshot: BrokerSnapshot | undefined;
  ledger: Ledger;
  tail: MessageEvent[];
  droppedSpans: number;
}

/** Message events per live frame: what a learner can follow in the log, within the frame budget (≤ 50 KB/s at 10 Hz). */
export const maxTailPerFrame = 15;
export const tailBytesPerFrame = 2_500;

function newestWithin(events: readonly MessageEvent[]): MessageEvent[] {
  let bytes = 0;
  let start = events.length;
  while (start > 0 && events.length - start < maxTailPerFrame) {
    bytes += JSON.stringify(events[start - 1]).length;
    if (bytes > tailBytesPerFrame) break;
    start -= 1;
  }
  return events.slice(start);
}

const round = (value: number) => Math.round(value * 10) / 10;

export function buildFrame(input: FrameInput): RunFrame {
  return {
    runId: input.runId,
    at: Date.now(),
    status: input.status,
    elapsedMs: input.elapsedMs,
    producers: Object.fromEntries(Object.entries(input.producers).map(([k, c]) => [k, { ...c, ratePerSec: round(input.rates.producers[k] ?? 0) }])),
    consumers: Object.fromEntries(
      Object.entries(input.consumers).map(([k, c]) => [k, { ...c, ratePerSec: round(input.rates.consumers[k] ?? 0), window: input.windows[k]! }]),
    ),
    services: input.services,
    queues: input.snapshot?.queues ?? [],
    lag: input.snapshot?.lag ?? [],
    ledger: input.ledger,
    // The browser gets a bounded, sampled tail, never one event per message: the newest events
    // within maxTailPerFrame and tailBytesPerFrame; the engine's message log keeps them all.
    tail: newestWithin(input.tail),
    droppedSpans: input.droppedSpans,
  };
}

// Frames and events shaped like the engine's, for the run components' tests.
import type { MessageEvent } from "../../../lib/run/ipc";
import type { ConsumerLatency, LatencySummary, RunFrame } from "../../../lib/run/model";

export const summary = (p50: number, p99: number, count = 10): LatencySummary => ({ count, p50, p90: p99, p99, max: p99, mean: p50 });
const none = summary(0, 0, 0);
export const latency = (endToEnd: LatencySummary, queueWait: LatencySummary = none, processing: LatencySummary = none): ConsumerLatency => ({ endToEnd, queueWait, processing });

const consumerCounters = { received: 0, acked: 0, nacked: 0, requeued: 0, redelivered: 0, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, inFlight: 0 };

export function frame(index: number, change: Partial<RunFrame> = {}): RunFrame {
  return {
    runId: "run-1",
    at: 1_700_000_000_000 + index * 100,
    status: "running",
    elapsedMs: index * 100,
    producers: { "order-service/new-orders": { published: index * 4, confirmed: index * 4, returned: 0, failed: 0, inFlight: 0, done: false, ratePerSec: 40 } },
    consumers: { "inventory-service/update-stock": { ...consumerCounters, received: index * 4, acked: index * 4, ratePerSec: 38, window: latency(summary(17, 26), summary(2, 5), summary(15, 21)) } },
    services: {},
    queues: [{ broker: "rabbit", name: "order_queue", messages: index % 5, ready: index % 5, unacked: 0, consumers: 1 }],
    lag: [],
    ledger: { confirmed: index * 4, consumed: index * 4, lost: 0, duplicated: 0, recovered: 0 },
    tail: [],
    droppedSpans: 0,
    ...change,
  };
}

export function event(seq: number, change: Partial<MessageEvent> = {}): MessageEvent {
  return { id: `order-service/new-orders/${seq}`, kind: "published", at: 1_700_000_000_000 + seq, service: "order-service", replica: 0, actor: "new-orders", destination: "order_queue", traceId: `${seq}`.padStart(32, "a"), ...change };
}

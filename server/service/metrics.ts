// What a service process measures: cumulative counters per producer and consumer, latency
// histograms per consumer for the current window, ledger deltas and sampled message events.
// frame() hands all of it to the engine and starts a new window. Counters are never sampled.
import * as hdr from "hdr-histogram-js";
import { sampleMessage } from "../../lib/run/ipc";
import type { ConsumerCounters, LedgerDelta, MessageEvent, ProducerCounters, ServiceFrame, ServiceLaunch, WindowHistograms } from "../../lib/run/ipc";

export type LatencyKind = keyof WindowHistograms;

const maxEventsPerFrame = 500;
/** Write-ahead ledger batches: at most this many ids, or this long, before they go to the engine. */
const ledgerBatch = 500;
const ledgerFlushMs = 3;

const producerCounters = (): ProducerCounters => ({ published: 0, confirmed: 0, returned: 0, failed: 0, inFlight: 0, done: false });
const consumerCounters = (): ConsumerCounters => ({
  received: 0, acked: 0, nacked: 0, requeued: 0, redelivered: 0, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, inFlight: 0,
});

const newHistogram = () => hdr.build({ numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: true });

export type EventDetails = Omit<MessageEvent, "id" | "kind" | "at" | "service" | "replica" | "actor">;

/**
 * `writeAhead` (with launch.ledgerWriteAhead): ledger ids leave in `ledger` messages, batched
 * (ledgerBatch ids or ledgerFlushMs), and ledgerWritten() resolves once they are handed to the engine.
 */
export function createServiceMetrics(launch: ServiceLaunch, writeAhead?: (delta: LedgerDelta) => Promise<void>) {
  const { service } = launch;
  const producers: Record<string, ProducerCounters> = Object.fromEntries(service.producers.map((p) => [p.name, producerCounters()]));
  const consumers: Record<string, ConsumerCounters> = Object.fromEntries(service.consumers.map((c) => [c.name, consumerCounters()]));
  const histograms = new Map(service.consumers.map((c) => [c.name, { endToEnd: newHistogram(), queueWait: newHistogram(), processing: newHistogram() }]));
  let sampleEvery = launch.logSampleEvery;
  let confirmedIds: string[] = [];
  let consumedIds: Record<string, string[]> = {};
  let events: MessageEvent[] = [];
  const ahead = launch.ledgerWriteAhead ? writeAhead : undefined;
  let flushScheduled = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let pendingIds = 0;
  let waiting: (() => void)[] = [];
  let lastWrite: Promise<void> = Promise.resolve();

  function flushLedger(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    flushScheduled = false;
    pendingIds = 0;
    const delta: LedgerDelta = { type: "ledger", confirmedIds, consumedIds, ...(Object.keys(consumedIds).length > 0 ? { consumers: structuredClone(consumers) } : {}) };
    confirmedIds = [];
    consumedIds = {};
    const done = waiting;
    waiting = [];
    lastWrite = ahead!(delta).then(() => done.forEach((resolve) => resolve()));
  }
  // Ids leave in batches: a full batch at once, else after at most ledgerFlushMs. One IPC write
  // per event-loop turn cost a consumer ~20% of its CPU at 5,000 msg/s (a write syscall each).
  function recordLedger(): void {
    if (!ahead) return;
    pendingIds += 1;
    if (pendingIds >= ledgerBatch) return flushLedger();
    if (flushScheduled) return;
    flushScheduled = true;
    flushTimer = setTimeout(flushLedger, ledgerFlushMs);
  }

  return {
    producer: (name: string) => producers[name]!,
    consumer: (name: string) => consumers[name]!,
    setSampling(every: number) {
      sampleEvery = Math.max(1, Math.floor(every));
    },
    /** Records a message event when the message is sampled for the log. */
    event(kind: MessageEvent["kind"], id: string, actor: string, details: EventDetails = {}, at = Date.now()) {
      if (!sampleMessage(id, sampleEvery) || events.length >= maxEventsPerFrame) return;
      events.push({ id, kind, at, service: service.name, replica: launch.replica, actor, ...details });
    },
    /** Latency in milliseconds; stored in microseconds. */
    latency(consumer: string, kind: LatencyKind, ms: number) {
      const histogram = histograms.get(consumer)?.[kind];
      if (histogram && Number.isFinite(ms)) histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
    },
    confirmed(id: string) {
      confirmedIds.push(id);
      recordLedger();
    },
    consumed(consumer: string, id: string) {
      (consumedIds[consumer] ??= []).push(id);
      recordLedger();
    },
    /** Resolves once every ledger id recorded so far is on its way to the engine (at once without write-ahead). */
    ledgerWritten(): Promise<void> {
      if (!ahead) return Promise.resolve();
      if (flushScheduled) return new Promise((resolve) => waiting.push(resolve));
      return lastWrite;
    },
    frame(droppedSpans: number): ServiceFrame {
      const windows: Record<string, WindowHistograms> = {};
      for (const [name, set] of histograms) {
        if (set.endToEnd.totalCount + set.queueWait.totalCount + set.processing.totalCount === 0) continue;
        windows[name] = {
          endToEnd: hdr.encodeIntoCompressedBase64(set.endToEnd),
          queueWait: hdr.encodeIntoCompressedBase64(set.queueWait),
          processing: hdr.encodeIntoCompressedBase64(set.processing),
        };
        set.endToEnd.reset();
        set.queueWait.reset();
        set.processing.reset();
      }
      const frame: ServiceFrame = {
        type: "frame",
        at: Date.now(),
        producers: structuredClone(producers),
        consumers: structuredClone(consumers),
        histograms: windows,
        // With write-ahead the ids already left in ledger messages.
        confirmedIds: ahead ? [] : confirmedIds,
        consumedIds: ahead ? {} : consumedIds,
        events,
        droppedSpans,
      };
      if (!ahead) {
        confirmedIds = [];
        consumedIds = {};
      }
      events = [];
      return frame;
    },
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

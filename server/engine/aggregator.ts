// Sums the cumulative counters that each service process reports into run-level counters per
// producer and consumer (`<service>/<name>`), surviving restarts: when a process exits, its last
// counters become a base that the next incarnation's counters add to.
import type { ConsumerCounters, ProducerCounters, ServiceFrame } from "../../lib/run/ipc";

export const zeroProducer = (): ProducerCounters => ({ published: 0, confirmed: 0, returned: 0, failed: 0, inFlight: 0, done: false });
export const zeroConsumer = (): ConsumerCounters => ({
  received: 0, acked: 0, nacked: 0, requeued: 0, redelivered: 0, retried: 0,
  deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, inFlight: 0,
});

function addInto<T extends object>(target: T, source: T, withGauges: boolean) {
  for (const [key, value] of Object.entries(source)) {
    if (typeof value !== "number") continue;
    if (!withGauges && key === "inFlight") continue;
    (target as Record<string, number>)[key] = ((target as Record<string, number>)[key] ?? 0) + value;
  }
}

export interface SpanCounts { dropped: number; traced: number; untraced: number }
const zeroSpans = (): SpanCounts => ({ dropped: 0, traced: 0, untraced: 0 });

interface ProcessSlot {
  producers: Record<string, ProducerCounters>;
  consumers: Record<string, ConsumerCounters>;
  baseProducers: Record<string, ProducerCounters>;
  baseConsumers: Record<string, ConsumerCounters>;
  /** Cumulative span counts of the current process (dropped, traced, untraced) and of its earlier lives. */
  spans: SpanCounts;
  baseSpans: SpanCounts;
  doneProducers: Set<string>;
}

export function createAggregator() {
  const slots = new Map<string, ProcessSlot>();
  const slot = (service: string, replica: number) => {
    const key = `${service}#${replica}`;
    let entry = slots.get(key);
    if (!entry) {
      entry = { producers: {}, consumers: {}, baseProducers: {}, baseConsumers: {}, spans: zeroSpans(), baseSpans: zeroSpans(), doneProducers: new Set() };
      slots.set(key, entry);
    }
    return entry;
  };

  /** Spans dropped on export, and messages traced or left untraced by the trace limit, over every process. */
  function spans(): SpanCounts {
    const total = zeroSpans();
    for (const entry of slots.values()) {
      addInto(total, entry.baseSpans, true);
      addInto(total, entry.spans, true);
    }
    return total;
  }

  return {
    frame(service: string, replica: number, frame: ServiceFrame) {
      const entry = slot(service, replica);
      entry.producers = frame.producers;
      entry.consumers = frame.consumers;
      entry.spans = { dropped: frame.droppedSpans, traced: frame.traced ?? 0, untraced: frame.untraced ?? 0 };
      for (const [name, counters] of Object.entries(frame.producers)) if (counters.done) entry.doneProducers.add(name);
    },
    /** Consumer counters sent with a ledger delta: newer than the last frame's, never older. */
    consumerCounters(service: string, replica: number, consumers: Record<string, ConsumerCounters>) {
      slot(service, replica).consumers = consumers;
    },
    producerDone(service: string, replica: number, producer: string) {
      slot(service, replica).doneProducers.add(producer);
    },
    /** The process exited: fold its counters into the base; gauges drop to zero. */
    exited(service: string, replica: number) {
      const entry = slot(service, replica);
      for (const [name, counters] of Object.entries(entry.producers)) {
        addInto((entry.baseProducers[name] ??= zeroProducer()), counters, false);
      }
      for (const [name, counters] of Object.entries(entry.consumers)) {
        addInto((entry.baseConsumers[name] ??= zeroConsumer()), counters, false);
      }
      addInto(entry.baseSpans, entry.spans, true);
      entry.producers = {};
      entry.consumers = {};
      entry.spans = zeroSpans();
    },
    producers(): Record<string, ProducerCounters> {
      const out: Record<string, ProducerCounters> = {};
      for (const [key, entry] of slots) {
        const service = key.slice(0, key.lastIndexOf("#"));
        for (const source of [entry.baseProducers, entry.producers]) {
          for (const [name, counters] of Object.entries(source)) addInto((out[`${service}/${name}`] ??= zeroProducer()), counters, source === entry.producers);
        }
      }
      return out;
    },
    consumers(): Record<string, ConsumerCounters> {
      const out: Record<string, ConsumerCounters> = {};
      for (const [key, entry] of slots) {
        const service = key.slice(0, key.lastIndexOf("#"));
        for (const source of [entry.baseConsumers, entry.consumers]) {
          for (const [name, counters] of Object.entries(source)) addInto((out[`${service}/${name}`] ??= zeroConsumer()), counters, source === entry.consumers);
        }
      }
      return out;
    },
    /** Per consumer key, the received and acked counts of each replica (competing consumers). */
    consumersByReplica(): Record<string, { replica: number; received: number; acked: number }[]> {
      const out: Record<string, { replica: number; received: number; acked: number }[]> = {};
      for (const [key, entry] of slots) {
        const service = key.slice(0, key.lastIndexOf("#"));
        const replica = Number(key.slice(key.lastIndexOf("#") + 1));
        const names = new Set([...Object.keys(entry.baseConsumers), ...Object.keys(entry.consumers)]);
        for (const name of names) {
          const base = entry.baseConsumers[name];
          const current = entry.consumers[name];
          (out[`${service}/${name}`] ??= []).push({
            replica,
            received: (base?.received ?? 0) + (current?.received ?? 0),
            acked: (base?.acked ?? 0) + (current?.acked ?? 0),
          });
        }
      }
      for (const list of Object.values(out)) list.sort((a, b) => a.replica - b.replica);
      return out;
    },
    /** True when every replica of `service` reported `producer` done. */
    producerFinished(service: string, producer: string, replicas: number): boolean {
      for (let replica = 0; replica < replicas; replica++) {
        if (!slots.get(`${service}#${replica}`)?.doneProducers.has(producer)) return false;
      }
      return true;
    },
    spans,
  };
}

export type Aggregator = ReturnType<typeof createAggregator>;

// Consuming a Redis stream in a consumer group: XREADGROUP hands new entries to this consumer,
// XACK after the work removes them from the group's pending entries list. An entry not acked (a
// failure, a crash) stays pending; once idle for `claimIdleMs`, XAUTOCLAIM hands it to a live
// consumer again: that is Redis's redelivery path. An entry delivered more than `maxDeliveries`
// times goes to the dead-letter stream (XADD, then XACK). A restarted consumer of the same name
// first reads its own pending entries (id 0).
import { ROOT_CONTEXT, context, trace } from "@opentelemetry/api";
import { backoffDelay, delay, within } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import type { Delivery, Settlement, StateListener, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import { toRedisError, type RedisConnection } from "./connection";
import { startRedisProcessSpan } from "./spans";
import { readStreamEntry } from "./wire";

export interface StreamDelivery extends Delivery {
  /** How many times the group has delivered this entry, this time included. */
  deliveries: number;
  entryId: string;
}

export interface StreamSubscriberOptions {
  /** For XREADGROUP's blocking reads only. */
  reader: RedisConnection;
  /** For acks, claims and dead letters (never blocked behind a read). */
  client: RedisConnection;
  url: string;
  stream: string;
  group: string;
  consumer: string;
  concurrency: number;
  claimIdleMs: number;
  deadLetter?: { stream: string; maxDeliveries: number };
  autoAck: boolean;
  linkSpans: boolean;
  handler: (delivery: StreamDelivery) => Promise<Settlement>;
  /** An entry moved to the dead-letter stream without processing (delivered too often). */
  onDeadLettered?: (delivery: StreamDelivery) => void;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

type Entry = { id: string; message: Record<string, string> };

export function subscribeRedisStream(options: StreamSubscriberOptions): Subscription {
  const { client, reader, stream, group, consumer } = options;
  const stopping = new AbortController();
  let active = 0;
  let failing = false;
  const { signal, changed } = createChangeSignal();
  const fail = (error: unknown, what: string) => {
    const failure = toRedisError(error, options.url, `${what} on stream "${stream}" (group "${group}")`);
    if (!failing) { failing = true; options.onState?.("reconnecting", failure.message); }
    options.onError?.(failure);
  };
  const recovered = () => { if (failing) { failing = false; options.onState?.("connected"); } };

  /** Delivery counts of entries this consumer was handed again (its own pending, or claimed). */
  async function deliveriesOf(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const id of ids) {
      const [found] = await client.xPendingRange(stream, group, id, id, 1);
      if (found) counts.set(id, Number(found.deliveriesCounter));
    }
    return counts;
  }

  async function take(entry: Entry, deliveries: number): Promise<void> {
    const { body, headers } = readStreamEntry(entry.message);
    const delivery: StreamDelivery = { body, headers, rawHeaders: headers, source: stream, redelivered: deliveries > 1, deliveries, entryId: entry.id, context: ROOT_CONTEXT };
    try {
      if (options.deadLetter && deliveries > options.deadLetter.maxDeliveries) {
        await client.xAdd(options.deadLetter.stream, "*", entry.message);
        await client.xAck(stream, group, entry.id);
        options.onDeadLettered?.(delivery);
        return;
      }
      const span = startRedisProcessSpan(stream, headers, !options.linkSpans, { group, deliveries, entryId: entry.id });
      delivery.context = trace.setSpan(ROOT_CONTEXT, span);
      let settlement: Settlement | undefined;
      try {
        settlement = await context.with(delivery.context, () => options.handler(delivery));
      } finally {
        span.end();
      }
      // A nack leaves the entry pending: XAUTOCLAIM hands it out again once it has been idle long enough.
      if (settlement.kind !== "ack" || options.autoAck) return;
      await settlement.after;
      await client.xAck(stream, group, entry.id);
    } catch (error) {
      fail(error, `settle entry ${entry.id}`);
    } finally {
      active -= 1;
      signal();
    }
  }

  function hand(entries: (Entry | null)[], counts?: Map<string, number>): void {
    for (const entry of entries) {
      if (!entry) continue;
      active += 1;
      void take(entry, counts?.get(entry.id) ?? 1);
    }
  }

  async function read(): Promise<void> {
    // Own pending entries first (a restart after a crash), then new ones.
    let backlog = true;
    for (let failures = 0; !stopping.signal.aborted;) {
      while (active >= options.concurrency && !stopping.signal.aborted) await changed();
      if (stopping.signal.aborted) return;
      try {
        const count = options.concurrency - active;
        const reply = await reader.xReadGroup(group, consumer, { key: stream, id: backlog ? "0" : ">" }, { COUNT: count, BLOCK: backlog ? undefined : 500, ...(options.autoAck ? { NOACK: true } : {}) });
        failures = 0;
        recovered();
        const entries = (reply?.[0]?.messages ?? []) as Entry[];
        if (backlog) {
          backlog = entries.length === count;
          hand(entries, await deliveriesOf(entries.map((e) => e.id)));
        } else {
          hand(entries);
        }
      } catch (error) {
        if (stopping.signal.aborted) return;
        // NOGROUP: the server restarted and forgot the group; the run declares it again.
        fail(error, "read");
        await delay(backoffDelay(++failures, { initialMs: 200, maxMs: 3_000 }), stopping.signal);
      }
    }
  }

  async function claim(): Promise<void> {
    while (!stopping.signal.aborted) {
      await delay(Math.max(100, Math.min(options.claimIdleMs / 2, 2_000)), stopping.signal);
      if (stopping.signal.aborted || options.autoAck || active >= options.concurrency) continue;
      try {
        const reply = await client.xAutoClaim(stream, group, consumer, options.claimIdleMs, "0-0", { COUNT: options.concurrency - active });
        const entries = reply.messages.filter((m): m is Entry => m !== null) as Entry[];
        if (entries.length > 0) hand(entries, await deliveriesOf(entries.map((e) => e.id)));
      } catch (error) {
        if (!stopping.signal.aborted) fail(error, "claim idle entries");
      }
    }
  }

  options.onState?.("connected");
  const loops = Promise.all([read(), claim()]);
  return {
    inFlight: () => active,
    async stop(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      stopping.abort();
      signal();
      await settleInFlight(() => active, { changed }, timeoutMs);
      await within(loops, Math.max(0, deadline - Date.now()));
    },
  };
}

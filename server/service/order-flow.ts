// How a producer with a database sends its orders' events (lesson 30, docs/patterns.md).
// publish-after-commit: commit the order, then publish; a crash between the two loses the event.
// outbox: the order and its event commit in one transaction; a relay polls the outbox, publishes
// and marks rows sent, so a crash at any point only delays an event or sends it again (at least once).
import type { OrderDatabase } from "../../lib/scenario/schema";
import { delay } from "../brokers/backoff";
import type { SendOutcome } from "../brokers/messaging";
import type { Outgoing } from "./clients";
import type { ServiceMetrics } from "./metrics";
import type { CrashPoint, OrderStore, OutboxRow } from "./order-store";

export interface OrderFlowOptions {
  store: OrderStore;
  database: OrderDatabase;
  metrics: ServiceMetrics;
  /** Publishes one event, counted by the producer, and resolves with the broker's answer. */
  publish(message: Outgoing): Promise<SendOutcome>;
  /** Exits the process (the configured crash point). */
  crash(reason: string): Promise<never>;
  /** Outbox rows were marked sent (the producer may be done now). */
  onSent(): void;
  onError(error: unknown): void;
  stopping: AbortSignal;
}

const crashWhat: Record<CrashPoint, string> = {
  "before-publish": "the order is committed, its event not yet published",
  "before-mark-sent": "the relay published the event but has not marked its outbox row sent",
};

export function createOrderFlow(options: OrderFlowOptions) {
  const { store, database, metrics } = options;
  const outbox = database.mode === "outbox";
  const toRow = (message: Outgoing, seq: number): OutboxRow => ({
    id: message.id, seq, destination: JSON.stringify(message.destination), body: message.body, headers: JSON.stringify(message.headers),
  });
  const fromRow = (row: OutboxRow, like: Outgoing | undefined): Outgoing => ({
    id: row.id, destination: JSON.parse(row.destination), body: row.body, headers: JSON.parse(row.headers),
    persistent: like?.persistent, mandatory: like?.mandatory,
  });
  let template: Outgoing | undefined;

  async function crashIfDue(point: CrashPoint, seq: number, id: string): Promise<void> {
    const crash = database.crash;
    if (crash?.at !== point || crash.order !== seq || !store.firstCrashAt(point, seq)) return;
    await options.crash(`crash point ${point} of order ${seq} (${id}): ${crashWhat[point]}`);
  }

  async function relayOnce(): Promise<number> {
    const rows = store.unsent(database.relayBatch);
    await Promise.all(rows.map(async (row) => {
      const outcome = await options.publish(fromRow(row, template));
      // Not taken by the broker: the row stays unsent and the next look sends it again.
      if (!outcome.ok) return;
      await crashIfDue("before-mark-sent", row.seq, row.id);
      store.markSent(row.id);
    }));
    if (rows.length > 0) options.onSent();
    return rows.length;
  }

  return {
    /** Orders committed in earlier lives: a restarted replica continues after them. */
    ordersWritten: () => store.ordersWritten(),
    /** Events committed but not published yet (outbox rows not marked sent). */
    pending: () => (outbox ? store.unsentCount() : 0),

    async commit(message: Outgoing, seq: number): Promise<void> {
      template ??= message;
      if (outbox) store.writeOrderWithEvent(seq, message.id, message.body, toRow(message, seq));
      else store.writeOrder(seq, message.id, message.body);
      // From the commit on the order's event is owed: the ledger counts it lost if it never arrives.
      metrics.confirmed(message.id);
      await metrics.ledgerWritten();
      await crashIfDue("before-publish", seq, message.id);
      if (!outbox) void options.publish(message);
    },

    /** The polling relay (outbox mode): publishes unsent rows in order, a batch at a time. */
    startRelay(): void {
      if (!outbox) return;
      void (async () => {
        while (!options.stopping.aborted) {
          const sent = await relayOnce().catch((error: unknown) => (options.onError(error), 0));
          if (sent < database.relayBatch) await delay(database.relayEvery, options.stopping);
        }
      })();
    },
  };
}

export type OrderFlow = ReturnType<typeof createOrderFlow>;

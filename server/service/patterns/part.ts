// What every pattern part of a service process gets (its context) and offers (its life cycle).
import type { Endpoints, PatternLaunch } from "../../../lib/run/patterns";
import type { Delivery, Settlement, Subscription } from "../../brokers/messaging";
import type { ServiceLaunch } from "../../../lib/run/ipc";
import { queuePatternsOf } from "../client-drivers";
import type { ServiceClients } from "../clients";
import type { ServiceMetrics } from "../metrics";
import type { PatternRecorder } from "./recorder";

export interface PartContext {
  launch: ServiceLaunch;
  settings: PatternLaunch;
  clients: ServiceClients;
  metrics: ServiceMetrics;
  recorder: PatternRecorder;
  /** Aborted when the process begins to stop. */
  stopping: AbortSignal;
  /** Extra work per message while a `slow` fault is active. */
  extraWorkMs(): number;
  /** The HTTP endpoints of the run, as the engine last announced them. */
  endpoints(): Endpoints;
  /** Resolves once `check` holds for the announced endpoints (false when stopping first). */
  untilEndpoints(check: (endpoints: Endpoints) => boolean): Promise<boolean>;
  /** Tells the engine where an HTTP part listens. */
  announce(kind: "api" | "webhook", url: string): void;
  /** Reports a problem to the engine (it becomes a note in the run). */
  error(error: unknown): void;
}

export interface PatternPart {
  readonly name: string;
  /** Begins sending (parts that send); called once the process is ready. */
  start(): void;
  /** Manual sends. */
  sendNow?(count: number): void;
  /** Stops taking or sending new work. */
  stop(): void;
  /** True when everything this part was asked to do is done (for the engine's drain check). */
  done(): boolean;
  /** Waits for in-flight work, at most `timeoutMs`. */
  settle(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Consumes a queue for a pattern part (`user`, e.g. `worker "w"`, names it in errors), on a broker
 * whose client driver has queue patterns: counts what arrives and what is in flight, and
 * acks a message only once its ledger id is on its way to the engine (write-ahead: a SIGKILL
 * cannot hide a processed message); the next message is processed meanwhile.
 */
export async function consumeForPart(
  part: PartContext,
  source: { user: string; broker: string; queue: string; prefetch: number; concurrency: number },
  counters: { received: number; inFlight: number },
  handle: (delivery: Delivery) => Promise<Settlement>,
): Promise<Subscription> {
  return queuePatternsOf(part.launch, source.broker, source.user).consume(part.clients, source.broker, {
    queue: source.queue,
    prefetch: source.prefetch,
    concurrency: source.concurrency,
    onError: part.error,
    async handler(delivery) {
      counters.received += 1;
      counters.inFlight += 1;
      try {
        return { ...(await handle(delivery)), after: part.metrics.ledgerWritten() };
      } finally {
        counters.inFlight -= 1;
      }
    },
  });
}

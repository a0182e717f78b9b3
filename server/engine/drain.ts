// Decides when a run without a fixed duration is finished: every counted producer is done,
// every confirmed id was consumed, nothing is in flight, and the brokers hold nothing more.
import type { ConsumerCounters } from "../../lib/run/ipc";
import type { Ledger } from "../../lib/run/model";
import type { BrokerSnapshot } from "./broker-stats";

export interface DrainInput {
  producersFinished: boolean;
  ledger: Ledger;
  consumers: Record<string, ConsumerCounters>;
  snapshot: BrokerSnapshot | undefined;
  hasConsumers: boolean;
}

export function isDrained(input: DrainInput): boolean {
  if (!input.producersFinished) return false;
  if (!input.hasConsumers) return true;
  if (input.ledger.lost > 0) return false;
  if (Object.values(input.consumers).some((c) => c.inFlight > 0)) return false;
  if (!input.snapshot || input.snapshot.errors.length > 0) return false;
  if (input.snapshot.queues.some((q) => q.messages > 0)) return false;
  return input.snapshot.lag.every((g) => g.total === 0);
}

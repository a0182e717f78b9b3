// Decides when a run without a fixed duration is finished, and says what it still waits for: every
// counted producer is done, nothing is in flight, the brokers hold nothing more for its consumers
// (queues empty, lag 0). Confirmed ids nobody consumed then are lost, not awaited: a run with real
// loss (an auto-ack consumer killed) ends in seconds instead of at its limit.
import type { ConsumerCounters } from "../../lib/run/ipc";
import type { Ledger } from "../../lib/run/model";
import type { BrokerSnapshot } from "./broker-stats";

export interface DrainInput {
  /** Producers that have not finished yet, with their progress ("order-service/orders (120 of 400 sent)"). */
  producersUnfinished: string[];
  ledger: Ledger;
  consumers: Record<string, ConsumerCounters>;
  snapshot: BrokerSnapshot | undefined;
  hasConsumers: boolean;
  /** Replicas being started again after a fault ("fulfilment/0"): their messages wait for them. */
  replicasStarting?: string[];
}

export interface DrainState {
  /** The run may end. */
  drained: boolean;
  /** Nothing more is on its way: confirmed ids still unconsumed are lost. */
  settled: boolean;
  /** What the run waits for, in words, when it is not drained. */
  waitingFor: string[];
}

/**
 * How long unconsumed ids must stay unconsumed, with nothing moving, before they count as lost.
 * RabbitMQ's management API refreshes the unacknowledged count every 5 s: a message a consumer holds
 * unacked may not show yet in the queue's depth.
 */
export const lossGraceMs = 6_000;

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** What still moves or waits somewhere: empty when everything confirmed is consumed or nowhere to be found. */
export function waitingReasons(input: DrainInput): string[] {
  const out = input.producersUnfinished.map((p) => `producer ${p} to finish`);
  if (!input.hasConsumers) return out;
  // On a loaded machine a service process can take many seconds to start again after a kill.
  for (const replica of input.replicasStarting ?? []) out.push(`${replica} to start again`);
  for (const [key, counters] of Object.entries(input.consumers)) {
    if (counters.inFlight > 0) out.push(`${plural(counters.inFlight, "message")} in flight at ${key}`);
  }
  const snapshot = input.snapshot;
  if (!snapshot) return [...out, "the first read of the brokers' queues and lag"];
  for (const error of snapshot.errors) out.push(`the brokers to answer (${error})`);
  for (const queue of snapshot.queues) if (queue.messages > 0) out.push(`${plural(queue.messages, "message")} in ${queue.name}`);
  for (const group of snapshot.lag) if (group.total > 0) out.push(`consumer lag ${group.total.toLocaleString("en-US")} on group ${group.group} (${group.topic})`);
  return out;
}

const unconsumedOf = (ledger: Ledger) => ledger.lost + (ledger.pending ?? 0);

/**
 * A drain watch for one run: drained once nothing waits anywhere and, if some confirmed ids were
 * never consumed, nothing has moved for `graceMs` (then they are lost).
 */
export function createDrainWatch(graceMs = lossGraceMs) {
  let quietKey = "";
  let quietSince = 0;
  return (input: DrainInput, now = Date.now()): DrainState => {
    const waitingFor = waitingReasons(input);
    const unconsumed = unconsumedOf(input.ledger);
    if (waitingFor.length > 0 || !input.hasConsumers) {
      quietKey = "";
      return { drained: waitingFor.length === 0, settled: false, waitingFor };
    }
    if (unconsumed === 0) return { drained: true, settled: true, waitingFor };
    // Any delivery or consumption restarts the grace period: something was still on its way.
    const received = Object.values(input.consumers).reduce((n, c) => n + c.received, 0);
    const key = `${input.ledger.consumed}:${received}:${unconsumed}`;
    if (key !== quietKey) {
      quietKey = key;
      quietSince = now;
    }
    // A broker that cannot count its backlog may still hold leased messages until their deadline.
    const left = quietSince + Math.max(graceMs, input.snapshot?.unseenForMs ?? 0) - now;
    if (left <= 0) return { drained: true, settled: true, waitingFor };
    return {
      drained: false,
      settled: false,
      waitingFor: [`${plural(unconsumed, "confirmed message")} consumed by no one and found nowhere: ${Math.ceil(left / 1000)} s more in case they still arrive, then they count as lost`],
    };
  };
}

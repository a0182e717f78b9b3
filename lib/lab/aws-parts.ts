// What the lab writes for new Amazon parts: FIFO-aware unique names, a starting EventBridge rule,
// and a producer's `to` for each kind of resource (with a FIFO queue's group and deduplication id).
import { isFifoName } from "../brokers/aws";

const fifoSuffix = ".fifo";

/** A name not in `taken`: `base`, then base-2, base-3…; a FIFO name keeps `.fifo` at the end (queue-2.fifo). */
export function uniqueResourceName(base: string, taken: readonly string[], unique: (base: string, taken: readonly string[]) => string): string {
  if (!isFifoName(base)) return unique(base, taken);
  const stem = (name: string) => (isFifoName(name) ? name.slice(0, -fifoSuffix.length) : name);
  return `${unique(stem(base), taken.map(stem))}${fifoSuffix}`;
}

/** The name the Amazon menu gives a new FIFO queue. */
export const fifoQueueName = `queue${fifoSuffix}`;

/** A rule on the last declared bus (or the default one), matching the events of source "brokerlab",
 * routed to the first queue: a valid start the inspector then edits. */
export function newRule(name: string, buses: readonly string[], queues: readonly string[]): Record<string, unknown> {
  const queue = queues[0];
  return { name, bus: buses.at(-1) ?? "default", pattern: { source: ["brokerlab"] }, targets: queue ? [{ queue }] : [] };
}

/** A producer's (or forward's) `to` for a resource. A FIFO queue or topic needs a message group (and a FIFO queue a deduplication id). */
export function targetOf(target: { kind: "queue" | "exchange" | "topic" | "bus"; name: string }, amazon: boolean): Record<string, unknown> {
  const fifo = amazon && isFifoName(target.name);
  if (target.kind === "queue") return { queue: target.name, ...(fifo ? { groupId: "group-1", deduplicationId: "{{seq}}" } : {}) };
  if (target.kind === "exchange") return { exchange: target.name, routingKey: "" };
  if (target.kind === "bus") return { bus: target.name, source: "brokerlab", detailType: "Message" };
  return amazon ? { snsTopic: target.name, ...(fifo ? { groupId: "group-1" } : {}) } : { topic: target.name };
}

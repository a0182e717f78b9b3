// How scenario queues and exchanges become AMQP declarations, and how a declaration that
// conflicts with what the broker already has is explained argument by argument.
import type { Exchange, Queue } from "../../../lib/scenario/schema";
import type { ManagementExchange, ManagementQueue } from "./management";

type ArgValue = string | number;

/** The x-arguments of a queue declaration, in the broker's terms. */
export function queueArguments(queue: Queue): Record<string, ArgValue> {
  const args: Record<string, ArgValue | undefined> = {
    "x-queue-type": queue.type,
    "x-message-ttl": queue.messageTtl === undefined ? undefined : Math.round(queue.messageTtl),
    "x-max-length": queue.maxLength,
    "x-max-length-bytes": queue.maxLengthBytes,
    "x-overflow": queue.overflow,
    "x-dead-letter-exchange": queue.deadLetter?.exchange,
    "x-dead-letter-routing-key": queue.deadLetter?.routingKey,
    "x-delivery-limit": queue.deliveryLimit,
  };
  return Object.fromEntries(Object.entries(args).filter((entry): entry is [string, ArgValue] => entry[1] !== undefined));
}

export function queueDeclareOptions(queue: Queue) {
  return {
    durable: queue.type === "quorum" ? true : queue.durable,
    autoDelete: queue.autoDelete,
    arguments: queueArguments(queue),
  };
}

const show = (value: unknown) => (value === undefined || value === null ? "none" : String(value));

/** Differences between the broker's queue and the scenario's, e.g. `x-queue-type=classic, the scenario asks for quorum`. */
export function queueDifferences(existing: ManagementQueue, wanted: Queue): string[] {
  const differences: string[] = [];
  if (existing.type !== wanted.type) differences.push(`x-queue-type=${existing.type}, the scenario asks for ${wanted.type}`);
  const durable = wanted.type === "quorum" ? true : wanted.durable;
  if (existing.durable !== durable) differences.push(`durable=${existing.durable}, the scenario asks for ${durable}`);
  if (existing.auto_delete !== wanted.autoDelete) differences.push(`auto-delete=${existing.auto_delete}, the scenario asks for ${wanted.autoDelete}`);
  const wantedArgs: Record<string, unknown> = queueArguments(wanted);
  const keys = new Set([...Object.keys(wantedArgs), ...Object.keys(existing.arguments)]);
  keys.delete("x-queue-type");
  for (const key of [...keys].sort()) {
    const has = existing.arguments[key];
    const asks = wantedArgs[key];
    if (show(has) !== show(asks)) differences.push(`${key}=${show(has)}, the scenario asks for ${show(asks)}`);
  }
  return differences;
}

export function exchangeDifferences(existing: ManagementExchange, wanted: Exchange): string[] {
  const differences: string[] = [];
  if (existing.type !== wanted.type) differences.push(`type=${existing.type}, the scenario asks for ${wanted.type}`);
  if (existing.durable !== wanted.durable) differences.push(`durable=${existing.durable}, the scenario asks for ${wanted.durable}`);
  if (existing.auto_delete !== wanted.autoDelete) differences.push(`auto-delete=${existing.auto_delete}, the scenario asks for ${wanted.autoDelete}`);
  return differences;
}

/** The broker's own words, e.g. "inequivalent arg 'x-queue-type' … received 'quorum' but current is none". */
export function brokerReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /PRECONDITION_FAILED - (.*?)"?$/.exec(message);
  return match?.[1] ?? message;
}

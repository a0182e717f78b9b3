// What scenario code asks of a RabbitMQ broker's resources: whether a producer reaches a queue
// (through the default exchange or a binding), a queue's bound, the delayed-retry queues a
// consumer's backoff needs, and the renames of a lesson run.
import type { z } from "zod";
import { retryDelays } from "../scenario/retry";
import type { queueSchema, rabbitResourcesSchema } from "./rabbitmq";
import type { ActualName, BrokerIsolation, HookConsumer, NameTable } from "./types";

type RabbitResources = z.output<typeof rabbitResourcesSchema>;
type Queue = z.output<typeof queueSchema>;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `<queue>.retry.<delayMs>`: messages wait there `delayMs`, then dead-letter back to `<queue>`. */
export const rabbitRetryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`;

export function rabbitRoutesTo(resources: RabbitResources | undefined, to: object, from: object): boolean {
  const queue = text((from as { queue?: unknown }).queue);
  const target = to as { queue?: unknown; exchange?: unknown; routingKey?: unknown };
  if (queue === undefined) return false;
  if (target.queue === queue) return true;
  if (typeof target.exchange !== "string") return false;
  // The default exchange ("") routes a message straight to the queue its routing key names.
  if (target.exchange === "") return target.routingKey === queue;
  return (resources?.bindings ?? []).some((b) => b.exchange === target.exchange && b.queue === queue);
}

export const rabbitBoundedQueue = (resources: RabbitResources | undefined, name: string) => resources?.queues.find((q) => q.name === name);

function retryQueues(queues: readonly Queue[], consumers: readonly HookConsumer[]): Queue[] {
  const declared = new Set(queues.map((q) => q.name));
  const derived: Queue[] = [];
  for (const consumer of consumers) {
    const source = text((consumer.from as { queue?: unknown }).queue);
    if (source === undefined) continue;
    const sourceQueue = queues.find((q) => q.name === source);
    for (const delayMs of retryDelays(consumer.onError)) {
      const name = rabbitRetryQueueName(source, delayMs);
      if (declared.has(name)) continue;
      declared.add(name);
      derived.push({
        name,
        type: "classic",
        durable: sourceQueue?.durable ?? true,
        autoDelete: false,
        messageTtl: delayMs,
        // Expired messages go through the default exchange straight back to the source queue.
        deadLetter: { exchange: "", routingKey: source },
        existing: false,
      });
    }
  }
  return derived;
}

export function rabbitDerivedResources(resources: RabbitResources | undefined, consumers: readonly HookConsumer[]): RabbitResources | undefined {
  const current = resources ?? { exchanges: [], queues: [], bindings: [] };
  const extra = retryQueues(current.queues, consumers);
  return extra.length > 0 ? { ...current, queues: [...current.queues, ...extra] } : undefined;
}

/** A `{ exchange, routingKey }` with its names renamed: through the default exchange the routing key is a queue's name. */
function renameExchangeRef(ref: Readonly<Record<string, unknown>>, actual: ActualName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof ref.exchange !== "string") return out;
  if (ref.exchange === "" && typeof ref.routingKey === "string") out.routingKey = actual("queue", ref.routingKey);
  out.exchange = actual("exchange", ref.exchange);
  return out;
}

export const rabbitIsolation: BrokerIsolation<RabbitResources> = {
  names: (resources, suffix) => [
    ...resources.exchanges.map((e): [NameTable, string, string] => ["exchange", e.name, `${e.name}-${suffix}`]),
    ...resources.queues.map((q): [NameTable, string, string] => ["queue", q.name, `${q.name}-${suffix}`]),
  ],
  rename: (resources, actual) => ({
    ...resources,
    exchanges: resources.exchanges.map((e) => ({ ...e, name: actual("exchange", e.name) })),
    queues: resources.queues.map((q) => ({
      ...q,
      name: actual("queue", q.name),
      ...(q.deadLetter ? { deadLetter: { ...q.deadLetter, ...renameExchangeRef(q.deadLetter, actual) } as typeof q.deadLetter } : {}),
    })),
    bindings: resources.bindings.map((b) => ({ ...b, exchange: actual("exchange", b.exchange), queue: actual("queue", b.queue) })),
  }),
  renameRef: (ref, actual) => ({
    ...(typeof ref.queue === "string" ? { queue: actual("queue", ref.queue) } : {}),
    ...renameExchangeRef(ref, actual),
  }),
  // A run user granted `^orders$` must still reach the exchange once it is `orders-<suffix>`.
  renameEntry: (entry, renames) => {
    const users = entry.runUsers as { configure: string; write: string; read: string }[] | undefined;
    if (!users) return { ...entry };
    const rename = (pattern: string) => renamePatternNames(pattern, renames.filter(([table]) => table === "exchange" || table === "queue"));
    return { ...entry, runUsers: users.map((u) => ({ ...u, configure: rename(u.configure), write: rename(u.write), read: rename(u.read) })) };
  },
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The pattern with each resource name it spells out whole (between ^, $, |, ( and ) or the ends)
 * replaced by the name's new form: `^orders$` → `^orders-ab12$`, `^(orders|audit)$` likewise.
 * Other patterns (`.*`, `^order`) are kept as they are.
 */
export function renamePatternNames(pattern: string, renames: readonly [string, string, string][]): string {
  let out = pattern;
  for (const [, name, renamed] of [...renames].sort((a, b) => b[1].length - a[1].length)) {
    const whole = new RegExp(`(^|[\\^|(])${escapeRegex(escapeRegex(name))}(?=$|[$|)])`, "g");
    out = out.replace(whole, (_m, before: string) => `${before}${escapeRegex(renamed)}`);
  }
  return out;
}

// Names of their own for a page's lesson runs: every queue, exchange and topic a scenario declares
// and every consumer group it joins, renamed `<name>-<suffix>` everywhere the scenario names them,
// so that two learners (or two tabs) running one lesson never share a resource. One suffix per
// page: a later run marking a resource existing finds the one an earlier run of that page made. Pure.
import type { BrokerResources, Scenario } from "./schema";

export interface ResourceNames {
  queue: Record<string, string>;
  exchange: Record<string, string>;
  topic: Record<string, string>;
  group: Record<string, string>;
}

// Without a prototype: a name like "__proto__" is a key like any other.
const table = (): Record<string, string> => Object.create(null) as Record<string, string>;
export const noRenames = (): ResourceNames => ({ queue: table(), exchange: table(), topic: table(), group: table() });

/** Four letters or digits: a page's own suffix (a clash is still caught: two active runs never share a name). */
export const newNameSuffix = () => Math.random().toString(36).slice(2, 6).padEnd(4, "0");
export const nameSuffixPattern = /^[a-z0-9]{4,12}$/;

/** A name as the run uses it: renamed when the map has it, else unchanged. */
export const actualName = (names: ResourceNames | undefined, kind: keyof ResourceNames, name: string): string =>
  (names && Object.hasOwn(names[kind], name) ? names[kind][name] : undefined) ?? name;

// User data that may hold keys named like targets ("queue", "topic"): never renamed.
const dataKeys = new Set(["payload", "headers", "fold", "args", "arguments", "poison"]);

/** Renames targets and sources wherever they sit: { queue }, { exchange, routingKey }, { topic, group }. */
function renameRefs(value: unknown, names: ResourceNames): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, names));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = dataKeys.has(key) ? item : renameRefs(item, names);
  const rename = (key: keyof ResourceNames) => {
    if (typeof out[key] === "string") out[key] = actualName(names, key, out[key]);
  };
  rename("queue");
  rename("topic");
  if (typeof out.snsTopic === "string") out.snsTopic = actualName(names, "topic", out.snsTopic);
  rename("group");
  // Through the default exchange the routing key is a queue's name.
  if (out.exchange === "" && typeof out.routingKey === "string") out.routingKey = actualName(names, "queue", out.routingKey);
  rename("exchange");
  return out;
}

function renameResources(resources: BrokerResources, names: ResourceNames, suffix: string): BrokerResources {
  if (resources.kind === "aws") {
    const queue = (name: string) => actualName(names, "queue", name);
    return {
      ...resources,
      queues: resources.queues.map((q) => ({ ...q, name: queue(q.name), ...(q.deadLetter ? { deadLetter: { ...q.deadLetter, queue: queue(q.deadLetter.queue) } } : {}) })),
      topics: resources.topics.map((t) => ({ ...t, name: actualName(names, "topic", t.name) })),
      subscriptions: resources.subscriptions.map((sub) => ({ ...sub, topic: actualName(names, "topic", sub.topic), queue: queue(sub.queue) })),
      // Buses stay shared (the default bus is); each page's rules have names of their own.
      rules: resources.rules.map((r) => ({ ...r, name: `${r.name}-${suffix}`, targets: r.targets.map((t) => ({ queue: queue(t.queue) })) })),
    };
  }
  if (resources.kind === "kafka") return { ...resources, topics: resources.topics.map((t) => ({ ...t, name: actualName(names, "topic", t.name) })) };
  return {
    ...resources,
    exchanges: resources.exchanges.map((e) => ({ ...e, name: actualName(names, "exchange", e.name) })),
    queues: resources.queues.map((q) => ({
      ...q,
      name: actualName(names, "queue", q.name),
      ...(q.deadLetter ? { deadLetter: renameRefs({ ...q.deadLetter }, names) as typeof q.deadLetter } : {}),
    })),
    bindings: resources.bindings.map((b) => ({ ...b, exchange: actualName(names, "exchange", b.exchange), queue: actualName(names, "queue", b.queue) })),
  };
}

/** The scenario with names of its own (`<name>-<suffix>`), and the map from the names it had. */
export function isolateNames(scenario: Scenario, suffix: string): { scenario: Scenario; names: ResourceNames } {
  const names = noRenames();
  const own = (kind: keyof ResourceNames, name: string) => void (names[kind][name] = `${name}-${suffix}`);
  for (const resources of Object.values(scenario.resources)) {
    if (resources.kind === "kafka") for (const t of resources.topics) own("topic", t.name);
    // AWS makes a queue or topic FIFO by its ".fifo" ending, which must stay last.
    if (resources.kind === "aws") {
      const fifoSafe = (name: string) => name.replace(/(\.fifo)?$/, `-${suffix}$1`);
      for (const q of resources.queues) names.queue[q.name] = fifoSafe(q.name);
      for (const t of resources.topics) names.topic[t.name] = fifoSafe(t.name);
    }
    if (resources.kind === "rabbitmq") {
      for (const e of resources.exchanges) own("exchange", e.name);
      for (const q of resources.queues) own("queue", q.name);
    }
  }
  for (const consumer of scenario.services.flatMap((s) => s.consumers)) if ("group" in consumer.from) own("group", consumer.from.group);
  return {
    scenario: {
      ...scenario,
      resources: Object.fromEntries(Object.entries(scenario.resources).map(([broker, r]) => [broker, renameResources(r, names, suffix)])),
      services: renameRefs(scenario.services, names) as Scenario["services"],
      faults: renameRefs(scenario.faults, names) as Scenario["faults"],
    },
    names,
  };
}

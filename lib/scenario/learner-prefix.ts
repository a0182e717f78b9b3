// Names of a learner's own on the brokers that have no namespace of their own (classroom mode):
// every stream, channel, queue, topic and subscription of those brokers, and every consumer group
// read from them, renamed `<prefix><name>` wherever the scenario names them. The brokers' ACLs
// (Redis, Kafka) then allow a learner's client only names that start with the prefix. Pure.
import { hooksOf } from "../brokers";
import type { ActualName, NameTable } from "../brokers";
import { actualName, dataKeys, noRenames, type ResourceNames } from "./isolate";
import type { BrokerResources, Scenario } from "./schema";

/**
 * Renames one object's references (a `to`, `from`, fault) when the nearest `broker` field above it
 * names a prefixed broker: a RabbitMQ queue and an SQS queue share one name table, and only the
 * second is renamed.
 */
function renameOnPrefixed(value: unknown, prefixed: ReadonlySet<string>, actual: ActualName, kindOf: (broker: string) => string | undefined, inside: boolean, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameOnPrefixed(item, prefixed, actual, kindOf, inside, prefix));
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const here = typeof record.broker === "string" ? prefixed.has(record.broker) : inside;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = dataKeys.has(key) ? item : renameOnPrefixed(item, prefixed, actual, kindOf, here, prefix);
  if (!here) return out;
  const kind = typeof record.broker === "string" ? kindOf(record.broker) : undefined;
  const kinds = kind ? [kind] : [...new Set([...prefixed].map(kindOf).filter((k): k is string => k !== undefined))];
  for (const k of kinds) Object.assign(out, hooksOf(k as BrokerResources["kind"]).isolation.renameRef(record, actual));
  // A Redis pattern subscription: the learner's ACL allows patterns under the prefix only.
  if (typeof record.channelPattern === "string" && !record.channelPattern.startsWith(prefix)) out.channelPattern = `${prefix}${record.channelPattern}`;
  return out;
}

/**
 * The scenario with the resources of its brokers of `kinds` renamed `<prefix><name>`, and the map
 * from the names it had (composed with `earlier`, a lesson run's own names, so that lesson checks
 * still find each resource by the name the lesson gave it).
 */
export function prefixLearnerNames(scenario: Scenario, prefix: string, kinds: ReadonlySet<string>, earlier?: ResourceNames): { scenario: Scenario; names: ResourceNames } {
  const prefixed = new Set(Object.entries(scenario.brokers).filter(([, entry]) => kinds.has(entry.kind)).map(([name]) => name));
  const mine = noRenames();
  const own = (name: string) => (name.startsWith(prefix) ? name : `${prefix}${name}`);
  for (const [broker, resources] of Object.entries(scenario.resources)) {
    if (!prefixed.has(broker)) continue;
    for (const [table, name] of hooksOf(resources.kind).isolation.names(resources, prefix.replace(/-$/, ""))) mine[table][name] = own(name);
  }
  for (const consumer of scenario.services.flatMap((s) => s.consumers)) {
    if (prefixed.has(consumer.broker) && "group" in consumer.from) mine.group[consumer.from.group] = own(consumer.from.group);
  }
  const actual: ActualName = (table, name) => actualName(mine, table, name);
  const kindOf = (broker: string) => scenario.brokers[broker]?.kind;
  const walk = (value: unknown) => renameOnPrefixed(value, prefixed, actual, kindOf, false, prefix);
  const out: Scenario = {
    ...scenario,
    resources: Object.fromEntries(
      Object.entries(scenario.resources).map(([broker, r]) => [broker, prefixed.has(broker) ? ({ ...(hooksOf(r.kind).isolation.rename(r, actual, prefix.replace(/-$/, "")) as object), kind: r.kind } as BrokerResources) : r]),
    ),
    services: walk(scenario.services) as Scenario["services"],
    faults: walk(scenario.faults) as Scenario["faults"],
  };
  return { scenario: out, names: composeNames(earlier, mine) };
}

/** `first` then `second`: a name the lesson renamed, then prefixed, maps from the lesson's name to the last. */
function composeNames(first: ResourceNames | undefined, second: ResourceNames): ResourceNames {
  const out = noRenames();
  for (const table of Object.keys(out) as NameTable[]) {
    for (const [name, renamed] of Object.entries(first?.[table] ?? {})) out[table][name] = actualName(second, table, renamed);
    for (const [name, renamed] of Object.entries(second[table])) if (!Object.hasOwn(out[table], name)) out[table][name] = renamed;
  }
  return out;
}

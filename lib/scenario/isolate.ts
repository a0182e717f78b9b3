// Names of their own for a page's lesson runs: every queue, exchange and topic a scenario declares
// and every consumer group it joins, renamed `<name>-<suffix>` everywhere the scenario names them,
// so that two learners (or two tabs) running one lesson never share a resource. One suffix per
// page: a later run marking a resource existing finds the one an earlier run of that page made. Pure.
import { brokerDescriptors, hooksOf } from "../brokers";
import type { ActualName, NameTable } from "../brokers";
import type { BrokerResources, Scenario } from "./schema";

/** The renames of a lesson run, table by table: a queue of RabbitMQ and one of SQS share the queue table. */
export type ResourceNames = Record<NameTable, Record<string, string>>;

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
export const dataKeys = new Set(["payload", "headers", "fold", "args", "arguments", "poison"]);

/** Renames targets, sources and fault specs wherever they sit, in the words of every broker kind ({ queue }, { exchange, routingKey }, { topic, group }, …). */
function renameRefs(value: unknown, actual: ActualName): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, actual));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = dataKeys.has(key) ? item : renameRefs(item, actual);
  // Which kind an object belongs to is not known here: each kind renames the fields it knows.
  for (const descriptor of brokerDescriptors) Object.assign(out, hooksOf(descriptor.kind).isolation.renameRef(value as Record<string, unknown>, actual));
  return out;
}

/** The scenario with names of its own (`<name>-<suffix>`), and the map from the names it had. */
export function isolateNames(scenario: Scenario, suffix: string): { scenario: Scenario; names: ResourceNames } {
  const names = noRenames();
  const actual: ActualName = (table, name) => actualName(names, table, name);
  for (const resources of Object.values(scenario.resources)) {
    for (const [table, name, renamed] of hooksOf(resources.kind).isolation.names(resources, suffix)) names[table][name] = renamed;
  }
  // A consumer group is joined, not declared: every group a consumer names gets a name of its own.
  for (const consumer of scenario.services.flatMap((s) => s.consumers)) if ("group" in consumer.from) names.group[consumer.from.group] = `${consumer.from.group}-${suffix}`;
  const renames = Object.values(scenario.resources).flatMap((r) => hooksOf(r.kind).isolation.names(r, suffix));
  const renameEntry = (entry: Scenario["brokers"][string]) => (hooksOf(entry.kind).isolation.renameEntry?.(entry, renames) ?? entry) as Scenario["brokers"][string];
  return {
    scenario: {
      ...scenario,
      brokers: Object.fromEntries(Object.entries(scenario.brokers).map(([name, entry]) => [name, renameEntry(entry)])),
      resources: Object.fromEntries(
        Object.entries(scenario.resources).map(([broker, r]) => [broker, { ...(hooksOf(r.kind).isolation.rename(r, actual, suffix) as object), kind: r.kind } as BrokerResources]),
      ),
      services: renameRefs(scenario.services, actual) as Scenario["services"],
      faults: renameRefs(scenario.faults, actual) as Scenario["faults"],
    },
    names,
  };
}

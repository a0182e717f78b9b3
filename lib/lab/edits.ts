// What the canvas and the inspector do to a scenario, as edits of its YAML text: add, connect,
// rename (references follow) and delete (dangling links go with it). Pure: text in, text out.
import { brokerDescriptors, descriptorOf } from "../brokers";
import type { BrokerKind } from "../brokers";
import { fifoQueueName, newRule, targetOf, uniqueResourceName } from "./aws-parts";
import { isRecord } from "./model";
import { appendIn, deleteIn, editText, parseForEdit, setIn } from "./yaml-edit";
import type { Doc, DocPath } from "./yaml-edit";

export const emptyScenarioText = `version: 1
name: my-scenario
description: Describe what this scenario shows.
brokers: {}
services: []
`;

export interface EditResult {
  text: string;
  /** The item the edit created or changed, to select it. */
  path?: DocPath;
}

type Raw = Record<string, unknown>;
const rawOf = (doc: Doc): Raw => {
  const js = doc.toJS() as unknown;
  return isRecord(js) ? js : {};
};
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map((v) => (isRecord(v) ? v : {})) : []);
const names = (items: Raw[]) => items.map((i) => i.name).filter((n): n is string => typeof n === "string");

export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

function change(text: string, edit: (doc: Doc, raw: Raw) => DocPath | void): EditResult {
  let path: DocPath | undefined;
  const next = editText(text, (doc) => {
    path = edit(doc, rawOf(doc)) ?? undefined;
  });
  return path ? { text: next, path } : { text: next };
}

/** The name of a broker of this kind, declaring one under the kind's default name (`rabbit`, `kafka`) when there is none. */
function ensureBroker(doc: Doc, raw: Raw, kind: BrokerKind): string {
  const brokers = isRecord(raw.brokers) ? raw.brokers : {};
  const found = Object.entries(brokers).find(([, b]) => isRecord(b) && b.kind === kind);
  if (found) return found[0];
  const name = uniqueName(descriptorOf(kind).defaultName, Object.keys(brokers));
  setIn(doc, ["brokers", name], { kind });
  return name;
}

function defaultBroker(doc: Doc, raw: Raw): string {
  const brokers = isRecord(raw.brokers) ? Object.keys(raw.brokers) : [];
  return brokers[0] ?? ensureBroker(doc, raw, "rabbitmq");
}

const resourceList = (raw: Raw, broker: string, key: string): Raw[] => {
  const resources = isRecord(raw.resources) ? raw.resources : {};
  const entry = resources[broker];
  return isRecord(entry) ? list(entry[key]) : [];
};
const allResourceNames = (raw: Raw, key: string): string[] => {
  const resources = isRecord(raw.resources) ? raw.resources : {};
  return Object.keys(resources).flatMap((broker) => names(resourceList(raw, broker, key)));
};

export function addService(text: string, options: { name?: string; producer?: boolean; consumer?: boolean } = {}): EditResult {
  return change(text, (doc, raw) => {
    const name = uniqueName(options.name ?? "service", names(list(raw.services)));
    const service: Raw = { name };
    if (options.producer || options.consumer) {
      const broker = defaultBroker(doc, raw);
      if (options.producer) service.producers = [newProducer("producer", broker)];
      if (options.consumer) service.consumers = [newConsumer("consumer", broker)];
    }
    const index = appendIn(doc, ["services"], service);
    return ["services", index];
  });
}

const newProducer = (name: string, broker: string): Raw => ({
  name, broker, rate: { perSecond: 10 }, count: 100, payload: { id: "{{seq}}", at: "{{now}}" },
});
const newConsumer = (name: string, broker: string): Raw => ({ name, broker, ack: "manual", prefetch: 10, work: { ms: 10 } });

export function addProducer(text: string, serviceIndex: number): EditResult {
  return change(text, (doc, raw) => {
    const service = list(raw.services)[serviceIndex];
    if (!service) return;
    const name = uniqueName("producer", names(list(service.producers)));
    const index = appendIn(doc, ["services", serviceIndex, "producers"], newProducer(name, defaultBroker(doc, raw)));
    return ["services", serviceIndex, "producers", index];
  });
}

export function addConsumer(text: string, serviceIndex: number): EditResult {
  return change(text, (doc, raw) => {
    const service = list(raw.services)[serviceIndex];
    if (!service) return;
    const name = uniqueName("consumer", names(list(service.consumers)));
    const index = appendIn(doc, ["services", serviceIndex, "consumers"], newConsumer(name, defaultBroker(doc, raw)));
    return ["services", serviceIndex, "consumers", index];
  });
}

export type ResourceKind = "queue" | "exchange" | "topic" | "bus" | "rule";
const listKey = { queue: "queues", exchange: "exchanges", topic: "topics", bus: "buses", rule: "rules" } as const;

/** Declares a broker of this kind (under its default name) unless the scenario has one already; selects nothing. */
export function addBroker(text: string, kind: BrokerKind): EditResult {
  return change(text, (doc, raw) => void ensureBroker(doc, raw, kind));
}

/** The broker kind whose resources include this node kind (topics are Kafka's, queues RabbitMQ's). */
const kindHolding = (node: ResourceKind): BrokerKind => brokerDescriptors.find((d) => d.collections.some((c) => c.noun === node))!.kind;

/** Adds a queue, exchange, topic, bus or rule, to a broker of `brokerKind` (by default the first kind
 * that has such resources). A name ending in `.fifo` stays FIFO when made unique (orders-2.fifo). */
export function addResource(text: string, kind: ResourceKind, name?: string, brokerKind: BrokerKind = kindHolding(kind)): EditResult {
  return change(text, (doc, raw) => {
    const broker = ensureBroker(doc, raw, brokerKind);
    const unique = uniqueResourceName(name ?? kind, allResourceNames(raw, listKey[kind]), uniqueName);
    // An SQS queue, SNS topic or bus needs nothing but its name (FIFO is a name ending in .fifo).
    const item: Raw = kind === "rule" ? newRule(unique, names(resourceList(raw, broker, "buses")), names(resourceList(raw, broker, "queues")))
      : brokerKind === "aws" ? { name: unique }
      : kind === "queue" ? { name: unique, type: "classic", durable: true } : kind === "exchange" ? { name: unique, type: "fanout" } : { name: unique, partitions: 3 };
    const index = appendIn(doc, ["resources", broker, listKey[kind]], item);
    return ["resources", broker, listKey[kind], index];
  });
}

/** What a connection joins, in document terms; built by the canvas from its node ids. */
export type Endpoint =
  | { kind: "producer"; service: number; producer: number }
  | { kind: "forward"; service: number; consumer: number }
  | { kind: "consumer"; service: number; consumer: number }
  | { kind: "new-producer"; service: number }
  | { kind: "new-consumer"; service: number }
  | { kind: ResourceKind; broker: string; name: string; dead?: boolean };

/** Joins two endpoints: publish to, consume from, bind, forward or dead-letter. Undefined when they do not fit. */
export function connect(text: string, source: Endpoint, target: Endpoint): EditResult | undefined {
  if (!canConnect(source, target)) return undefined;
  return change(text, (doc, raw) => {
    const services = list(raw.services);
    const brokers = isRecord(raw.brokers) ? raw.brokers : {};
    const amazon = (e: Endpoint) => {
      const entry = "broker" in e ? brokers[e.broker] : undefined;
      return isRecord(entry) && entry.kind === "aws";
    };
    if (source.kind === "topic" && amazon(source)) {
      // An SNS topic is not read directly: it delivers to the queues subscribed to it.
      if (target.kind !== "queue" || target.broker !== source.broker) return undefined;
      const index = appendIn(doc, ["resources", source.broker, "subscriptions"], { topic: source.name, queue: target.name, raw: true });
      return ["resources", source.broker, "subscriptions", index];
    }
    if (source.kind === "rule" && target.kind === "queue") {
      const index = names(resourceList(raw, source.broker, "rules")).indexOf(source.name);
      const targets = list(resourceList(raw, source.broker, "rules")[index]?.targets);
      if (index < 0 || targets.some((t) => t.queue === target.name)) return undefined;
      appendIn(doc, ["resources", source.broker, "rules", index, "targets"], { queue: target.name });
      return ["resources", source.broker, "rules", index];
    }
    if (source.kind === "bus" && target.kind === "rule") {
      const index = names(resourceList(raw, source.broker, "rules")).indexOf(target.name);
      if (index < 0) return undefined;
      setIn(doc, ["resources", source.broker, "rules", index, "bus"], source.name);
      return ["resources", source.broker, "rules", index];
    }
    if (source.kind === "queue" && source.dead && target.kind === "exchange") {
      const index = names(resourceList(raw, source.broker, "queues")).indexOf(source.name);
      setIn(doc, ["resources", source.broker, "queues", index, "deadLetter"], { exchange: target.name });
      return ["resources", source.broker, "queues", index];
    }
    if (source.kind === "exchange" && target.kind === "queue") {
      const index = appendIn(doc, ["resources", source.broker, "bindings"], { exchange: source.name, queue: target.name, routingKey: "" });
      return ["resources", source.broker, "bindings", index];
    }
    if ((source.kind === "queue" || source.kind === "topic") && (target.kind === "consumer" || target.kind === "new-consumer")) {
      const service = services[target.service];
      if (!service) return;
      let index = target.kind === "consumer" ? target.consumer : -1;
      if (target.kind === "new-consumer") {
        const name = uniqueName(source.kind === "queue" ? "consume" : "read", names(list(service.consumers)));
        index = appendIn(doc, ["services", target.service, "consumers"], newConsumer(name, source.broker));
      }
      const path = ["services", target.service, "consumers", index];
      setIn(doc, [...path, "broker"], source.broker);
      // An SQS consumer long-polls; 1 s keeps a stopping run quick (SQS's own default is 20 s).
      const queueSource = amazon(source) ? { queue: source.name, waitSeconds: 1 } : { queue: source.name };
      setIn(doc, [...path, "from"], source.kind === "queue" ? queueSource : { topic: source.name, group: String(service.name ?? "group") });
      return path;
    }
    if (target.kind !== "queue" && target.kind !== "exchange" && target.kind !== "topic" && target.kind !== "bus") return;
    const to = targetOf({ kind: target.kind, name: target.name }, amazon(target));
    if (source.kind === "forward") {
      const path = ["services", source.service, "consumers", source.consumer, "forward"];
      setIn(doc, path, { broker: target.broker, to });
      return path.slice(0, -1);
    }
    if (source.kind === "producer" || source.kind === "new-producer") {
      const service = services[source.service];
      if (!service) return;
      let index = source.kind === "producer" ? source.producer : -1;
      if (source.kind === "new-producer") {
        index = appendIn(doc, ["services", source.service, "producers"], newProducer(uniqueName("publish", names(list(service.producers))), target.broker));
      }
      const path = ["services", source.service, "producers", index];
      setIn(doc, [...path, "broker"], target.broker);
      setIn(doc, [...path, "to"], to);
      return path;
    }
    return undefined;
  });
}

export function canConnect(source: Endpoint, target: Endpoint): boolean {
  const resource = (e: Endpoint) => e.kind === "queue" || e.kind === "exchange" || e.kind === "topic" || e.kind === "bus";
  if (source.kind === "rule") return target.kind === "queue";
  if (source.kind === "bus") return target.kind === "rule";
  if (source.kind === "producer" || source.kind === "new-producer" || source.kind === "forward") return resource(target);
  if (source.kind === "queue" && source.dead) return target.kind === "exchange";
  if (source.kind === "exchange") return target.kind === "queue";
  if (source.kind === "queue" || source.kind === "topic") return target.kind === "consumer" || target.kind === "new-consumer" || (source.kind === "topic" && target.kind === "queue");
  return false;
}

/** Sets one field of the document (undefined removes it). */
export function setField(text: string, path: DocPath, value: unknown): string {
  return editText(text, (doc) => setIn(doc, path, value));
}

const sameBroker = (item: Raw, broker: string) => item.broker === broker;

/** Calls `visit` with the path of every reference to a resource, so renames and deletes follow it. */
function references(raw: Raw, kind: ResourceKind, broker: string, name: string, visit: (path: DocPath, field: string) => void): void {
  list(raw.services).forEach((service, si) => {
    list(service.producers).forEach((p, pi) => {
      const to = isRecord(p.to) ? p.to : {};
      const base = ["services", si, "producers", pi, "to"];
      if (!sameBroker(p, broker)) return;
      if (kind === "queue" && to.queue === name) visit(base, "queue");
      if (kind === "queue" && to.exchange === "" && to.routingKey === name) visit(base, "routingKey");
      if (kind === "exchange" && to.exchange === name) visit(base, "exchange");
      if (kind === "topic" && to.topic === name) visit(base, "topic");
      if (kind === "topic" && to.snsTopic === name) visit(base, "snsTopic");
      if (kind === "bus" && to.bus === name) visit(base, "bus");
    });
    list(service.consumers).forEach((c, ci) => {
      const from = isRecord(c.from) ? c.from : {};
      const base = ["services", si, "consumers", ci];
      if (sameBroker(c, broker) && ((kind === "queue" && from.queue === name) || (kind === "topic" && from.topic === name))) visit([...base, "from"], kind);
      const forward = isRecord(c.forward) ? c.forward : undefined;
      const to = forward && isRecord(forward.to) ? forward.to : {};
      if (forward && forward.broker === broker && to[kind] === name) visit([...base, "forward", "to"], kind);
    });
  });
  resourceList(raw, broker, "bindings").forEach((b, i) => {
    if ((kind === "queue" && b.queue === name) || (kind === "exchange" && b.exchange === name)) visit(["resources", broker, "bindings", i], kind);
  });
  resourceList(raw, broker, "queues").forEach((q, i) => {
    const dl = isRecord(q.deadLetter) ? q.deadLetter : {};
    if (kind === "exchange" && dl.exchange === name) visit(["resources", broker, "queues", i, "deadLetter"], "exchange");
    if (kind === "queue" && dl.queue === name) visit(["resources", broker, "queues", i, "deadLetter"], "queue");
  });
  // Amazon: a subscription names its topic and queue, a rule its bus and target queues.
  resourceList(raw, broker, "subscriptions").forEach((sub, i) => {
    if ((kind === "topic" && sub.topic === name) || (kind === "queue" && sub.queue === name)) visit(["resources", broker, "subscriptions", i], kind);
  });
  resourceList(raw, broker, "rules").forEach((rule, i) => {
    if (kind === "bus" && rule.bus === name) visit(["resources", broker, "rules", i], "bus");
    list(rule.targets).forEach((t, j) => {
      if (kind === "queue" && t.queue === name) visit(["resources", broker, "rules", i, "targets", j], "queue");
    });
  });
}

/** The plain value at `path` of a document read as JSON. */
export function valueAt(raw: unknown, path: DocPath): unknown {
  let cursor: unknown = raw;
  for (const key of path) cursor = isRecord(cursor) || Array.isArray(cursor) ? (cursor as Record<string | number, unknown>)[key] : undefined;
  return cursor;
}

const nameAt = (raw: Raw, path: DocPath): string | undefined => {
  const item = valueAt(raw, path);
  return isRecord(item) && typeof item.name === "string" ? item.name : undefined;
};

/** Renames the item at `path` (a service or a resource) and every reference to it. */
export function rename(text: string, path: DocPath, next: string): string {
  return editText(text, (doc) => {
    const raw = rawOf(doc);
    const previous = nameAt(raw, path);
    setIn(doc, [...path, "name"], next);
    if (previous === undefined || previous === next) return;
    if (path[0] === "services" && path.length === 2) {
      list(raw.faults).forEach((fault, i) => {
        for (const [key, value] of Object.entries(fault)) if (key !== "at" && value === previous) setIn(doc, ["faults", i, key], next);
      });
      return;
    }
    const kind = resourceKindAt(path);
    if (kind) references(raw, kind, String(path[1]), previous, (at, field) => setIn(doc, [...at, field], next));
  });
}

export function resourceKindAt(path: DocPath): ResourceKind | undefined {
  if (path[0] !== "resources" || path.length !== 4) return undefined;
  const kinds: Record<string, ResourceKind> = { queues: "queue", exchanges: "exchange", topics: "topic", buses: "bus", rules: "rule" };
  return kinds[String(path[2])];
}

/** Deletes the item (or field) at `path`. Links to a deleted resource are removed with it (a producer
 * or consumer stays, unconnected), and so are the faults of a deleted service. */
export function deleteAt(text: string, path: DocPath): string {
  const doc = parseForEdit(text);
  if (!doc) return text;
  const raw = rawOf(doc);
  const removals: DocPath[] = [path];
  const kind = resourceKindAt(path);
  const name = nameAt(raw, path);
  if (kind && name !== undefined) {
    references(raw, kind, String(path[1]), name, (at) => {
      // A forward to a deleted resource has nowhere to go: remove the whole forward.
      removals.push(at[4] === "forward" ? at.slice(0, 5) : at);
    });
  }
  if (path[0] === "services" && path.length === 2 && name !== undefined) {
    list(raw.faults).forEach((fault, i) => {
      if (Object.entries(fault).some(([key, value]) => key !== "at" && value === name)) removals.push(["faults", i]);
    });
  }
  return editText(text, (d) => {
    // Later list items first, so earlier indices stay valid.
    for (const at of [...removals].sort(compareDesc)) deleteIn(d, at);
  });
}

function compareDesc(a: DocPath, b: DocPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] === "number") return (b[i] as number) - (a[i] as number);
    return String(b[i]).localeCompare(String(a[i]));
  }
  return b.length - a.length;
}

/** What the toolbar's Amazon menu adds. */
export type AwsAddition = "broker" | "queue" | "fifo-queue" | "topic" | "bus" | "rule";

/** Adds an Amazon broker entry, or an SQS queue (standard or FIFO), SNS topic, EventBridge bus or rule on it (declaring the broker when needed). */
export function addAws(text: string, what: AwsAddition): EditResult {
  if (what === "broker") return addBroker(text, "aws");
  if (what === "fifo-queue") return addResource(text, "queue", fifoQueueName, "aws");
  return addResource(text, what, undefined, "aws");
}

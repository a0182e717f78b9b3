// What the canvas and the inspector do to a scenario, as edits of its YAML text: add and connect
// (renames and deletes are in references.ts). What a broker kind writes comes from its lab view
// (broker-views.ts). Pure: text in, text out.
import { brokerDescriptors, descriptorOf } from "../brokers";
import { awsDescriptor } from "../brokers/aws";
import type { BrokerKind } from "../brokers";
import { awsAdditions } from "./aws-view";
import type { AwsAddition } from "./aws-view";
import type { ResourceKind, ResourceRef } from "./broker-view";
import { kindHolding, viewFor } from "./broker-views";
import { asString, isRecord, namesOf as names, records as list } from "./raw";
import type { Raw } from "./raw";
import { rawOf, resourceList } from "./references";
import { appendIn, editText, setIn } from "./yaml-edit";
import type { Doc, DocPath } from "./yaml-edit";

export { deleteAt, rename, resourceKindAt, valueAt } from "./references";
export type { ResourceKind } from "./broker-view";
export type { AwsAddition } from "./aws-view";

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
  // No broker yet: one of the first registered kind.
  return brokers[0] ?? ensureBroker(doc, raw, brokerDescriptors[0].kind);
}

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

const listKey = { queue: "queues", exchange: "exchanges", topic: "topics", bus: "buses", rule: "rules" } as const;

/** Declares a broker of this kind (under its default name) unless the scenario has one already; selects nothing. */
export function addBroker(text: string, kind: BrokerKind): EditResult {
  return change(text, (doc, raw) => void ensureBroker(doc, raw, kind));
}

/** Adds a queue, exchange, topic, bus or rule, to a broker of `brokerKind` (by default the first kind
 * that has such resources), written as that kind's lab view declares a new one. */
export function addResource(text: string, kind: ResourceKind, name?: string, brokerKind: BrokerKind = kindHolding(kind)): EditResult {
  return change(text, (doc, raw) => {
    const broker = ensureBroker(doc, raw, brokerKind);
    const view = viewFor(brokerKind, kind);
    // The kind's own list for this node kind (a Pub/Sub subscription is a queue node in `subscriptions`).
    const key = view.nodeLists?.find((l) => l.node === kind)?.key ?? descriptorOf(brokerKind).collections.find((c) => c.noun === kind)?.key ?? listKey[kind];
    const taken = allResourceNames(raw, key);
    const unique = view.uniqueName ? view.uniqueName(name ?? kind, taken, uniqueName) : uniqueName(name ?? kind, taken);
    const lists = (key: string) => resourceList(raw, broker, key);
    const item = view.newResource(kind, unique, lists) ?? viewFor("", kind).newResource(kind, unique, lists) ?? { name: unique };
    const index = appendIn(doc, ["resources", broker, key], item);
    return ["resources", broker, key, index];
  });
}

/** What a connection joins, in document terms; built by the canvas from its node ids. */
export type Endpoint =
  | { kind: "producer"; service: number; producer: number }
  | { kind: "forward"; service: number; consumer: number }
  | { kind: "consumer"; service: number; consumer: number }
  | { kind: "new-producer"; service: number }
  | { kind: "new-consumer"; service: number }
  | ResourceRef;

const isResource = (e: Endpoint): e is ResourceRef => Object.hasOwn(listKey, e.kind);

/** Joins two endpoints: publish to, consume from, bind, forward or dead-letter. Undefined when they do not fit. */
export function connect(text: string, source: Endpoint, target: Endpoint): EditResult | undefined {
  if (!canConnect(source, target)) return undefined;
  return change(text, (doc, raw) => {
    const services = list(raw.services);
    const brokers = isRecord(raw.brokers) ? raw.brokers : {};
    const kindOf = (broker: string) => (isRecord(brokers[broker]) ? asString(brokers[broker].kind) : "");
    if (isResource(source) && isResource(target)) {
      // Bind, subscribe, route or dead-letter: the source's broker kind knows how.
      return viewFor(kindOf(source.broker), source.kind).connectResources?.({ doc, list: (broker, key) => resourceList(raw, broker, key) }, source, target);
    }
    if (isResource(source) && (target.kind === "consumer" || target.kind === "new-consumer")) {
      const service = services[target.service];
      if (!service) return;
      const from = viewFor(kindOf(source.broker), source.kind).sourceOf(source, String(service.name ?? "group"));
      if (!from) return undefined;
      let index = target.kind === "consumer" ? target.consumer : -1;
      if (target.kind === "new-consumer") {
        const name = uniqueName(source.kind === "queue" ? "consume" : "read", names(list(service.consumers)));
        index = appendIn(doc, ["services", target.service, "consumers"], newConsumer(name, source.broker));
      }
      const path = ["services", target.service, "consumers", index];
      setIn(doc, [...path, "broker"], source.broker);
      setIn(doc, [...path, "from"], from);
      return path;
    }
    if (!isResource(target) || target.kind === "rule") return;
    const to = viewFor(kindOf(target.broker), target.kind).targetOf(target);
    if (!to) return undefined;
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

const isConsumerEnd = (e: Endpoint) => e.kind === "consumer" || e.kind === "new-consumer";

export function canConnect(source: Endpoint, target: Endpoint): boolean {
  const resource = (e: Endpoint) => e.kind === "queue" || e.kind === "exchange" || e.kind === "topic" || e.kind === "bus";
  if (source.kind === "rule") return target.kind === "queue";
  if (source.kind === "bus") return target.kind === "rule";
  if (source.kind === "producer" || source.kind === "new-producer" || source.kind === "forward") return resource(target);
  if (source.kind === "queue" && source.dead) return target.kind === "exchange";
  // A stream's dead-letter handle is drawn, not dragged: its inspector chooses the stream.
  if ("dead" in source && source.dead) return false;
  // An exchange node is read directly only where its kind's view says how (a Redis channel).
  if (source.kind === "exchange") return target.kind === "queue" || (isConsumerEnd(target) && viewFor(source.brokerKind ?? "", "exchange").sourceOf(source, "") !== undefined);
  if (source.kind === "queue" || source.kind === "topic") return target.kind === "consumer" || target.kind === "new-consumer" || (source.kind === "topic" && target.kind === "queue");
  return false;
}

/** What a broker's menu adds: the broker itself, or one of its resources (named, or after its kind). */
export function addFromMenu(text: string, brokerKind: BrokerKind, addition: { kind: ResourceKind; name?: string | undefined } | undefined): EditResult {
  return addition ? addResource(text, addition.kind, addition.name, brokerKind) : addBroker(text, brokerKind);
}

/** The toolbar's Amazon menu: the broker, an SQS queue (standard or FIFO), SNS topic, EventBridge bus or rule (aws-view.ts lists them). */
export const addAws = (text: string, what: AwsAddition): EditResult => addFromMenu(text, awsDescriptor.kind, awsAdditions[what]);

/** Sets one field of the document (undefined removes it). */
export function setField(text: string, path: DocPath, value: unknown): string {
  return editText(text, (doc) => setIn(doc, path, value));
}

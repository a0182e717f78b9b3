// A tolerant reading of a scenario document as the lab draws it. It accepts half-written and
// invalid documents (the validator reports those), so the canvas never goes blank while typing.
import { isBrokerKind } from "../brokers";
import type { BrokerKind as RegisteredBrokerKind } from "../brokers";
import type { LabSource, LabTarget, ResourceKind } from "./broker-view";
import { readSourceOf, readTargetOf, viewFor, viewsFor } from "./broker-views";
import { asArray, asRecord, asString, isRecord } from "./raw";
import type { DocPath } from "./yaml-edit";

/** A broker entry's kind, or "unknown" while it is half-written or names no registered kind. */
export type BrokerKind = RegisteredBrokerKind | "unknown";

export type { LabTarget } from "./broker-view";

export interface LabProducer {
  name: string;
  path: DocPath;
  broker: string;
  to?: LabTarget;
  rate: string;
  count?: number;
  raw: Record<string, unknown>;
}

export interface LabConsumer {
  name: string;
  path: DocPath;
  broker: string;
  /** A queue or topic node; another node kind where a kind's view reads its own `from` (a Redis channel). */
  from?: LabSource;
  forward?: { broker: string; to?: LabTarget };
  raw: Record<string, unknown>;
}

/** A request/reply, task, HTTP API or projection part of a service (docs/patterns.md), drawn as a row. */
export interface LabPatternRow {
  family: PatternFamily;
  /** What it is, in a word or two: "requests", "replies", "tasks", "worker", … */
  word: string;
  name: string;
  path: DocPath;
  direction: "out" | "in" | "none";
  broker: string;
  to?: LabTarget;
  from?: { kind: "queue" | "topic"; name: string; group?: string };
}

export type PatternFamily = "requesters" | "repliers" | "tasks" | "workers" | "httpApi" | "apiCalls" | "webhookReceiver" | "projections";

const patternWords: Record<PatternFamily, string> = {
  requesters: "requests", repliers: "replies", tasks: "tasks", workers: "worker", httpApi: "HTTP API",
  apiCalls: "calls API", webhookReceiver: "webhooks in", projections: "projection",
};

export interface LabService {
  name: string;
  path: DocPath;
  replicas: number;
  producers: LabProducer[];
  consumers: LabConsumer[];
  patterns: LabPatternRow[];
  raw: Record<string, unknown>;
}

export interface LabResource {
  /** bus and rule: Amazon EventBridge. */
  kind: "exchange" | "queue" | "topic" | "bus" | "rule";
  broker: string;
  name: string;
  path: DocPath;
  /** Exchange type, queue type, or "<n> partitions". */
  detail: string;
  partitions?: number;
  /** RabbitMQ: a dead-letter exchange (and key). Amazon SQS: a redrive to `queue` after `maxReceiveCount` receives. */
  deadLetter?: { exchange: string; routingKey?: string } | { queue: string; maxReceiveCount?: number };
  /** An EventBridge rule: the bus it listens on ("default" when not named) and the queues it routes to. */
  rule?: { bus: string; targets: string[] };
  raw: Record<string, unknown>;
}

export interface LabBinding {
  broker: string;
  exchange: string;
  queue: string;
  routingKey: string;
  path: DocPath;
  raw: Record<string, unknown>;
}

/** An SNS subscription (Amazon): a topic delivering to a queue. */
export interface LabSubscription {
  broker: string;
  topic: string;
  queue: string;
  path: DocPath;
  raw: Record<string, unknown>;
}

export interface LabModel {
  name: string;
  propagation: "parent" | "link";
  brokers: { name: string; kind: BrokerKind }[];
  resources: LabResource[];
  bindings: LabBinding[];
  subscriptions: LabSubscription[];
  services: LabService[];
}

export { isRecord } from "./raw";

/** A producer's `to` as the canvas draws it, in whichever broker kind's words it is written. */
export const readTarget = (value: unknown): LabTarget | undefined => readTargetOf(asRecord(value));

export function describeRate(value: unknown): string {
  const rate = asRecord(value);
  if (typeof rate.perSecond === "number") return `${rate.perSecond}/s`;
  if (typeof rate.burst === "number") return `burst ${rate.burst}`;
  if (rate.manual === true) return "by hand";
  return "10/s";
}

function readProducer(value: unknown, path: DocPath): LabProducer {
  const raw = asRecord(value);
  const to = readTarget(raw.to);
  return {
    name: asString(raw.name, "(unnamed)"),
    path,
    broker: asString(raw.broker),
    ...(to ? { to } : {}),
    rate: describeRate(raw.rate),
    ...(typeof raw.count === "number" ? { count: raw.count } : {}),
    raw,
  };
}

function readConsumer(value: unknown, path: DocPath): LabConsumer {
  const raw = asRecord(value);
  const from = asRecord(raw.from);
  const source =
    typeof from.queue === "string"
      ? { kind: "queue" as const, name: from.queue }
      : typeof from.subscription === "string"
        ? { kind: "queue" as const, name: from.subscription } // a Pub/Sub subscription is drawn as a queue node
      : typeof from.topic === "string"
        ? { kind: "topic" as const, name: from.topic, group: asString(from.group) }
        : readSourceOf(from);
  const forward = isRecord(raw.forward) ? { broker: asString(raw.forward.broker), to: readTarget(raw.forward.to) } : undefined;
  return {
    name: asString(raw.name, "(unnamed)"),
    path,
    broker: asString(raw.broker),
    ...(source ? { from: source } : {}),
    ...(forward ? { forward: forward.to ? forward : { broker: forward.broker } } : {}),
    raw,
  };
}

function readPatterns(raw: Record<string, unknown>, path: DocPath): LabPatternRow[] {
  const rows: LabPatternRow[] = [];
  for (const family of Object.keys(patternWords) as PatternFamily[]) {
    const value = raw[family];
    // httpApi and webhookReceiver are single objects; the rest are lists.
    const items = Array.isArray(value) ? value.map((v, i) => [v, [...path, family, i]] as const) : isRecord(value) ? [[value, [...path, family]] as const] : [];
    for (const [item, at] of items) {
      const entry = asRecord(item);
      const to = readTarget(entry.to);
      const from = asRecord(entry.from);
      const source = typeof from.queue === "string" ? { kind: "queue" as const, name: from.queue } : typeof from.topic === "string" ? { kind: "topic" as const, name: from.topic, ...(typeof from.group === "string" ? { group: from.group } : {}) } : undefined;
      rows.push({
        family, word: patternWords[family], name: asString(entry.name, family === "httpApi" ? asString(entry.path, "api") : family === "webhookReceiver" ? asString(entry.path, "webhooks") : "(unnamed)"),
        path: at, direction: to ? "out" : source ? "in" : "none", broker: asString(entry.broker),
        ...(to ? { to } : {}), ...(source ? { from: source } : {}),
      });
    }
  }
  return rows;
}

export function readModel(input: unknown): LabModel {
  const doc = asRecord(input);
  const brokers = Object.entries(asRecord(doc.brokers)).map(([name, value]) => {
    const kind = asRecord(value).kind;
    return { name, kind: isBrokerKind(kind) ? kind : ("unknown" as BrokerKind) };
  });
  const resources: LabResource[] = [];
  const bindings: LabBinding[] = [];
  const subscriptions: LabSubscription[] = [];
  for (const [broker, entry] of Object.entries(asRecord(doc.resources))) {
    const res = asRecord(entry);
    const base = ["resources", broker];
    // Each kind words its own resources: an exchange's type, a queue's type (FIFO by name on SQS), a topic's partitions.
    const kind = brokers.find((b) => b.name === broker)?.kind ?? "unknown";
    const detail = (node: ResourceKind, raw: Record<string, unknown>) => viewFor(kind, node).detail(node, raw) ?? "";
    asArray(res.exchanges).forEach((value, i) => {
      const raw = asRecord(value);
      resources.push({ kind: "exchange", broker, name: asString(raw.name, "(unnamed)"), path: [...base, "exchanges", i], detail: detail("exchange", raw), raw });
    });
    asArray(res.queues).forEach((value, i) => {
      const raw = asRecord(value);
      const dl = asRecord(raw.deadLetter);
      resources.push({
        kind: "queue", broker, name: asString(raw.name, "(unnamed)"), path: [...base, "queues", i], raw,
        detail: detail("queue", raw),
        ...(typeof dl.exchange === "string" ? { deadLetter: { exchange: dl.exchange, ...(typeof dl.routingKey === "string" ? { routingKey: dl.routingKey } : {}) } } : {}),
        ...(typeof dl.queue === "string" ? { deadLetter: { queue: dl.queue, ...(typeof dl.maxReceiveCount === "number" ? { maxReceiveCount: dl.maxReceiveCount } : {}) } } : {}),
      });
    });
    asArray(res.topics).forEach((value, i) => {
      const raw = asRecord(value);
      const partitions = typeof raw.partitions === "number" ? raw.partitions : 1;
      resources.push({ kind: "topic", broker, name: asString(raw.name, "(unnamed)"), path: [...base, "topics", i], detail: detail("topic", raw), partitions, raw });
    });
    asArray(res.subscriptions).forEach((value, i) => {
      const raw = asRecord(value);
      const path = [...base, "subscriptions", i];
      // A named subscription (Pub/Sub's) is itself what consumers read: a queue node its topic feeds.
      // An SNS subscription names the queue it delivers to instead.
      const named = typeof raw.name === "string" && raw.queue === undefined;
      if (named) resources.push({ kind: "queue", broker, name: asString(raw.name), path, detail: detail("queue", raw), raw });
      subscriptions.push({ broker, topic: asString(raw.topic), queue: asString(named ? raw.name : raw.queue), path, raw });
    });
    asArray(res.buses).forEach((value, i) => {
      const raw = asRecord(value);
      resources.push({ kind: "bus", broker, name: asString(raw.name, "(unnamed)"), path: [...base, "buses", i], detail: detail("bus", raw), raw });
    });
    asArray(res.rules).forEach((value, i) => {
      const raw = asRecord(value);
      // Kept index for index with the document's targets (an edge removes its own), "" when half-written.
      const targets = asArray(raw.targets).map((t) => asString(asRecord(t).queue));
      resources.push({ kind: "rule", broker, name: asString(raw.name, "(unnamed)"), path: [...base, "rules", i], detail: detail("rule", raw), rule: { bus: asString(raw.bus, "default"), targets }, raw });
    });
    // A kind's own lists, drawn as nodes of a shared kind (a Redis stream as a topic node).
    for (const list of viewsFor(kind).flatMap((view) => view.nodeLists ?? [])) {
      asArray(res[list.key]).forEach((value, i) => {
        const raw = asRecord(value);
        resources.push({ kind: list.node, broker, name: asString(raw.name, "(unnamed)"), path: [...base, list.key, i], detail: detail(list.node, raw), raw });
      });
    }
    asArray(res.bindings).forEach((value, i) => {
      const raw = asRecord(value);
      bindings.push({ broker, exchange: asString(raw.exchange), queue: asString(raw.queue), routingKey: asString(raw.routingKey), path: [...base, "bindings", i], raw });
    });
  }
  const services = asArray(doc.services).map((value, i): LabService => {
    const raw = asRecord(value);
    const path: DocPath = ["services", i];
    return {
      name: asString(raw.name, "(unnamed)"),
      path,
      replicas: typeof raw.replicas === "number" ? raw.replicas : 1,
      producers: asArray(raw.producers).map((p, j) => readProducer(p, [...path, "producers", j])),
      consumers: asArray(raw.consumers).map((c, j) => readConsumer(c, [...path, "consumers", j])),
      patterns: readPatterns(raw, path),
      raw,
    };
  });
  const propagation = asRecord(doc.tracing).propagation === "link" ? "link" : "parent";
  return { name: asString(doc.name), propagation, brokers, resources, bindings, subscriptions, services };
}

export const brokerKind = (model: LabModel, broker: string): BrokerKind => model.brokers.find((b) => b.name === broker)?.kind ?? "unknown";

export function findResource(model: LabModel, kind: LabResource["kind"], broker: string, name: string): LabResource | undefined {
  return model.resources.find((r) => r.kind === kind && r.broker === broker && r.name === name);
}

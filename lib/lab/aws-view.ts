// Amazon SQS, SNS and EventBridge on the canvas: queues (FIFO or standard by name), SNS topics that
// deliver to subscribed queues, buses whose rules route to queues, redrive to a dead-letter queue;
// what new ones and new links write (FIFO-aware names, a starting rule, a FIFO queue's group).
import { isFifoName } from "../brokers/aws";
import type { BrokerLabView, ResourceKind } from "./broker-view";
import { asString, namesOf, records } from "./raw";
import type { Raw } from "./raw";
import { appendIn, setIn } from "./yaml-edit";

const fifoSuffix = ".fifo";

/** A name not in `taken`: `base`, then base-2, base-3…; a FIFO name keeps `.fifo` at the end (queue-2.fifo). */
export function uniqueResourceName(base: string, taken: readonly string[], unique: (base: string, taken: readonly string[]) => string): string {
  if (!isFifoName(base)) return unique(base, taken);
  const stem = (name: string) => (isFifoName(name) ? name.slice(0, -fifoSuffix.length) : name);
  return `${unique(stem(base), taken.map(stem))}${fifoSuffix}`;
}

/** What the toolbar's Amazon menu adds, and the node kind and name each one adds (aws-menu.ts). */
export const awsAdditions = {
  broker: undefined,
  queue: { kind: "queue", name: undefined },
  "fifo-queue": { kind: "queue", name: `queue${fifoSuffix}` },
  topic: { kind: "topic", name: undefined },
  bus: { kind: "bus", name: undefined },
  rule: { kind: "rule", name: undefined },
} as const satisfies Record<string, { kind: ResourceKind; name: string | undefined } | undefined>;
export type AwsAddition = keyof typeof awsAdditions;

/** A rule on the last declared bus (or the default one), matching the events of source "brokerlab",
 * routed to the first queue: a valid start the inspector then edits. */
export function newRule(name: string, buses: readonly string[], queues: readonly string[]): Raw {
  const queue = queues[0];
  return { name, bus: buses.at(-1) ?? "default", pattern: { source: ["brokerlab"] }, targets: queue ? [{ queue }] : [] };
}

export const awsView: BrokerLabView = {
  // An SQS queue, SNS topic or bus needs nothing but its name (FIFO is a name ending in .fifo).
  newResource: (kind, name, lists) => (kind === "rule" ? newRule(name, namesOf(lists("buses")), namesOf(lists("queues"))) : kind === "exchange" ? undefined : { name }),
  uniqueName: uniqueResourceName,
  // A FIFO queue or topic needs a message group (and a FIFO queue a deduplication id).
  targetOf: (r) => {
    const fifo = isFifoName(r.name);
    if (r.kind === "queue") return { queue: r.name, ...(fifo ? { groupId: "group-1", deduplicationId: "{{seq}}" } : {}) };
    if (r.kind === "topic") return { snsTopic: r.name, ...(fifo ? { groupId: "group-1" } : {}) };
    if (r.kind === "bus") return { bus: r.name, source: "brokerlab", detailType: "Message" };
    return undefined;
  },
  // An SQS consumer long-polls; 1 s keeps a stopping run quick (SQS's own default is 20 s). An SNS
  // topic is not read directly: it delivers to the queues subscribed to it.
  sourceOf: (r) => (r.kind === "queue" ? { queue: r.name, waitSeconds: 1 } : undefined),
  readTarget: (to) => {
    if (typeof to.queue === "string") return { kind: "queue", name: to.queue };
    // An SNS topic is drawn as a topic node; its message group, when given, as the key.
    if (typeof to.snsTopic === "string") return { kind: "topic", name: to.snsTopic, ...(typeof to.groupId === "string" ? { key: to.groupId } : {}) };
    // An EventBridge bus: the event's detail type stands as its key.
    if (typeof to.bus === "string") return { kind: "bus", name: to.bus, ...(typeof to.detailType === "string" ? { key: to.detailType } : {}) };
    return undefined;
  },
  connectResources: (edit, source, target) => {
    if (source.kind === "topic") {
      if (target.kind !== "queue" || target.broker !== source.broker) return undefined;
      const index = appendIn(edit.doc, ["resources", source.broker, "subscriptions"], { topic: source.name, queue: target.name, raw: true });
      return ["resources", source.broker, "subscriptions", index];
    }
    const rules = edit.list(source.broker, "rules");
    if (source.kind === "rule" && target.kind === "queue") {
      const index = namesOf(rules).indexOf(source.name);
      if (index < 0 || records(rules[index]?.targets).some((t) => t.queue === target.name)) return undefined;
      appendIn(edit.doc, ["resources", source.broker, "rules", index, "targets"], { queue: target.name });
      return ["resources", source.broker, "rules", index];
    }
    if (source.kind === "bus" && target.kind === "rule") {
      const index = namesOf(rules).indexOf(target.name);
      if (index < 0) return undefined;
      setIn(edit.doc, ["resources", source.broker, "rules", index, "bus"], source.name);
      return ["resources", source.broker, "rules", index];
    }
    return undefined;
  },
  targetFields: (to, kind, name) => [
    ...(kind === "queue" && to.queue === name ? ["queue"] : []),
    ...(kind === "topic" && to.snsTopic === name ? ["snsTopic"] : []),
    ...(kind === "bus" && to.bus === name ? ["bus"] : []),
  ],
  // A queue's redrive names its dead-letter queue, a subscription its topic and queue, a rule its bus and target queues.
  entryRefs: (list, at, kind, name, visit) => {
    list("queues").forEach((q, i) => {
      const dl = q.deadLetter as Raw | undefined;
      if (kind === "queue" && dl && dl.queue === name) visit([...at, "queues", i, "deadLetter"], "queue");
    });
    list("subscriptions").forEach((sub, i) => {
      if ((kind === "topic" && sub.topic === name) || (kind === "queue" && sub.queue === name)) visit([...at, "subscriptions", i], kind);
    });
    list("rules").forEach((rule, i) => {
      if (kind === "bus" && rule.bus === name) visit([...at, "rules", i], "bus");
      records(rule.targets).forEach((t, j) => {
        if (kind === "queue" && t.queue === name) visit([...at, "rules", i, "targets", j], "queue");
      });
    });
  },
  detail: (kind, raw) => {
    if (kind === "queue") return isFifoName(asString(raw.name)) ? "FIFO" : "standard";
    return kind === "topic" ? "SNS topic" : kind === "bus" ? "EventBridge bus" : kind === "rule" ? "rule" : undefined;
  },
  // An SNS topic routes to queues, as an exchange does: its column, not a Kafka topic's.
  column: (kind) => (kind === "topic" ? "exchange" : undefined),
  deadLetterEdge: (dl) => (typeof dl.queue === "string" ? { kind: "queue", name: dl.queue, label: `after ${typeof dl.maxReceiveCount === "number" ? dl.maxReceiveCount : "?"} receives` } : undefined),
  canvas: {
    queueDepth: { ready: "visible", unacked: "in flight", delayed: true, consumers: false },
    queueNote: {
      text: "oldest message's age: not reported by SQS",
      title: "SQS reports the age of the oldest message only as a CloudWatch metric, not through the queue's attributes",
    },
    inHint: { queue: "Producers, SNS topics and rules send here" },
    outHint: { topic: "Drag to a queue to subscribe it" },
    note: { topic: "Copies every message to each subscribed queue." },
  },
};

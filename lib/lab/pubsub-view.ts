// Google Cloud Pub/Sub on the canvas: topics, which copy every message to each of their
// subscriptions, and subscriptions, drawn as queue nodes because consumers read them as they read
// a queue. Joining a topic to a subscription makes it the subscription's topic.
import type { BrokerLabView } from "./broker-view";
import { namesOf } from "./raw";
import { setIn } from "./yaml-edit";

export const pubsubView: BrokerLabView = {
  // A subscription needs a topic: the first declared one (a link or the inspector changes it); with
  // none yet, an empty one the scenario's check asks the user to fill.
  newResource: (kind, name, lists) => (kind === "topic" ? { name } : kind === "queue" ? { name, topic: namesOf(lists("topics"))[0] ?? "" } : undefined),
  targetOf: (r) => (r.kind === "topic" ? { pubsubTopic: r.name } : undefined),
  // A topic is not read directly: its subscriptions are.
  sourceOf: (r) => (r.kind === "queue" ? { subscription: r.name } : undefined),
  readTarget: (to) => (typeof to.pubsubTopic === "string" ? { kind: "topic", name: to.pubsubTopic, ...(typeof to.orderingKey === "string" ? { key: to.orderingKey } : {}) } : undefined),
  connectResources: (edit, source, target) => {
    if (source.kind !== "topic" || target.kind !== "queue" || target.broker !== source.broker) return undefined;
    const index = namesOf(edit.list(source.broker, "subscriptions")).indexOf(target.name);
    if (index < 0) return undefined;
    setIn(edit.doc, ["resources", source.broker, "subscriptions", index, "topic"], source.name);
    return ["resources", source.broker, "subscriptions", index];
  },
  targetFields: (to, kind, name) => (kind === "topic" && to.pubsubTopic === name ? ["pubsubTopic"] : []),
  // A subscription names its topic and its dead-letter topic.
  entryRefs: (list, at, kind, name, visit) => {
    if (kind !== "topic") return;
    list("subscriptions").forEach((sub, i) => {
      if (sub.topic === name) visit([...at, "subscriptions", i], "topic");
      const dl = sub.deadLetter as Record<string, unknown> | undefined;
      if (dl && dl.topic === name) visit([...at, "subscriptions", i, "deadLetter"], "topic");
    });
  },
  detail: (kind, raw) => {
    if (kind === "topic") return "Pub/Sub topic";
    if (kind !== "queue") return undefined;
    const deadline = typeof raw.ackDeadline === "string" || typeof raw.ackDeadline === "number" ? String(raw.ackDeadline) : "10s";
    return `ack ${deadline}${raw.messageOrdering === true ? ", ordered" : ""}${typeof raw.filter === "string" ? ", filtered" : ""}`;
  },
  // A topic copies to its subscriptions, as an exchange routes to queues: its column.
  column: (kind) => (kind === "topic" ? "exchange" : undefined),
  canvas: {
    queueDepth: { ready: "backlog", unacked: "unacked", delayed: false, consumers: false },
    inHint: { queue: "Its topic copies every message here" },
    outHint: { topic: "Drag to a subscription to make this its topic" },
    note: { topic: "Copies every message to each of its subscriptions." },
  },
};

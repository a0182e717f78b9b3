// RabbitMQ on the canvas: exchanges and queues, bindings between them, dead-letter exchanges, and
// what new ones and new links write.
import type { BrokerLabView } from "./broker-view";
import { asString, namesOf } from "./raw";
import type { Raw } from "./raw";
import { appendIn, setIn } from "./yaml-edit";

export const rabbitmqView: BrokerLabView = {
  newResource: (kind, name) => (kind === "queue" ? { name, type: "classic", durable: true } : kind === "exchange" ? { name, type: "fanout" } : undefined),
  targetOf: (r) => (r.kind === "queue" ? { queue: r.name } : r.kind === "exchange" ? { exchange: r.name, routingKey: "" } : undefined),
  sourceOf: (r) => (r.kind === "queue" ? { queue: r.name } : undefined),
  readTarget: (to) => {
    if (typeof to.queue === "string") return { kind: "queue", name: to.queue };
    if (typeof to.exchange !== "string") return undefined;
    const routingKey = asString(to.routingKey);
    // The default exchange ("") routes straight to the queue named by the routing key.
    if (to.exchange === "") return { kind: "queue", name: routingKey, key: "default exchange" };
    return { kind: "exchange", name: to.exchange, ...(routingKey ? { key: routingKey } : {}) };
  },
  connectResources: (edit, source, target) => {
    if (source.kind === "queue" && source.dead && target.kind === "exchange") {
      const index = namesOf(edit.list(source.broker, "queues")).indexOf(source.name);
      setIn(edit.doc, ["resources", source.broker, "queues", index, "deadLetter"], { exchange: target.name });
      return ["resources", source.broker, "queues", index];
    }
    if (source.kind === "exchange" && target.kind === "queue") {
      const index = appendIn(edit.doc, ["resources", source.broker, "bindings"], { exchange: source.name, queue: target.name, routingKey: "" });
      return ["resources", source.broker, "bindings", index];
    }
    return undefined;
  },
  targetFields: (to, kind, name) => [
    ...(kind === "queue" && to.queue === name ? ["queue"] : []),
    ...(kind === "queue" && to.exchange === "" && to.routingKey === name ? ["routingKey"] : []),
    ...(kind === "exchange" && to.exchange === name ? ["exchange"] : []),
  ],
  entryRefs: (list, at, kind, name, visit) => {
    list("bindings").forEach((b, i) => {
      if ((kind === "queue" && b.queue === name) || (kind === "exchange" && b.exchange === name)) visit([...at, "bindings", i], kind);
    });
    list("queues").forEach((q, i) => {
      const dl = q.deadLetter as Raw | undefined;
      if (kind === "exchange" && dl && dl.exchange === name) visit([...at, "queues", i, "deadLetter"], "exchange");
    });
  },
  detail: (kind, raw) => (kind === "exchange" ? asString(raw.type, "direct") : kind === "queue" ? asString(raw.type, "classic") : undefined),
  deadLetterEdge: (dl) => {
    if (typeof dl.exchange !== "string") return undefined;
    // Through the default exchange a dead letter goes to the queue its routing key names.
    if (dl.exchange === "") return { kind: "queue", name: asString(dl.routingKey), label: "expired → back" };
    return { kind: "exchange", name: dl.exchange, label: "dead letters" };
  },
};

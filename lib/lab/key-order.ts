// The order keys are written in, as in the examples and docs/scenario-format.md, so a field the
// lab adds lands where a person would have typed it (`to` right after `broker`, not at the end).
import type { DocPath } from "./yaml-edit";

const orders = {
  top: ["version", "name", "description", "tracing", "brokers", "resources", "services", "faults"],
  service: ["name", "description", "replicas", "producers", "consumers"],
  producer: ["name", "broker", "to", "rate", "count", "startAfter", "payload", "sizeBytes", "headers", "persistent", "confirm", "mandatory", "confirmWindow", "acks", "idempotent"],
  consumer: ["name", "broker", "from", "ack", "prefetch", "concurrency", "work", "failures", "onError", "idempotent", "forward"],
  forward: ["broker", "to", "payload", "headers"],
  brokerResources: ["exchanges", "queues", "bindings", "topics"],
  exchange: ["name", "type", "durable", "autoDelete", "existing"],
  queue: ["name", "type", "durable", "autoDelete", "messageTtl", "maxLength", "maxLengthBytes", "overflow", "deadLetter", "deliveryLimit", "existing"],
  binding: ["exchange", "queue", "routingKey", "arguments"],
  topic: ["name", "partitions", "replicationFactor", "retention", "cleanupPolicy", "existing"],
  target: ["queue", "exchange", "topic", "routingKey", "key", "partition"],
  source: ["queue", "topic", "group", "fromBeginning"],
  onError: ["retries", "backoffMs", "then"],
} satisfies Record<string, string[]>;

const resourceOrders: Record<string, string[]> = { exchanges: orders.exchange, queues: orders.queue, bindings: orders.binding, topics: orders.topic };

/** The preferred key order of the map at `path`, when the lab knows it. */
export function keyOrderAt(path: DocPath): readonly string[] | undefined {
  const [first, second, third, fourth, fifth, sixth] = path;
  if (path.length === 0) return orders.top;
  if (first === "services" && typeof second === "number") {
    if (path.length === 2) return orders.service;
    if (third === "producers" && typeof fourth === "number") {
      if (path.length === 4) return orders.producer;
      if (fifth === "to") return orders.target;
    }
    if (third === "consumers" && typeof fourth === "number") {
      if (path.length === 4) return orders.consumer;
      if (fifth === "from") return orders.source;
      if (fifth === "onError") return orders.onError;
      if (fifth === "forward") return path.length === 5 ? orders.forward : sixth === "to" ? orders.target : undefined;
    }
  }
  if (first === "resources" && typeof second === "string") {
    if (path.length === 2) return orders.brokerResources;
    if (path.length === 4 && typeof third === "string") return resourceOrders[third];
  }
  return undefined;
}

// Kafka on the canvas: topics with their partitions, read by consumer groups.
import type { BrokerLabView } from "./broker-view";

export const kafkaView: BrokerLabView = {
  newResource: (kind, name) => (kind === "topic" ? { name, partitions: 3 } : undefined),
  targetOf: (r) => (r.kind === "topic" ? { topic: r.name } : undefined),
  sourceOf: (r, service) => (r.kind === "topic" ? { topic: r.name, group: service } : undefined),
  readTarget: (to) => (typeof to.topic === "string" ? { kind: "topic", name: to.topic, ...(typeof to.key === "string" ? { key: to.key } : {}) } : undefined),
  targetFields: (to, kind, name) => (kind === "topic" && to.topic === name ? ["topic"] : []),
  detail: (kind, raw) => {
    if (kind !== "topic") return undefined;
    const partitions = typeof raw.partitions === "number" ? raw.partitions : 1;
    return `${partitions} partition${partitions === 1 ? "" : "s"}`;
  },
};

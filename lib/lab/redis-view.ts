// Redis on the canvas, in the shared node kinds' shapes: a stream is drawn as a topic node (a log
// read by consumer groups, with their lag and pending entries), a channel as an exchange node
// (fan-out to whoever subscribes now, nothing kept). The kind's own lists and `from` forms reach
// the canvas through the view's hooks (nodeLists, readSource, sourceFields), not a branch per kind.
import type { BrokerLabView } from "./broker-view";

export const redisView: BrokerLabView = {
  nodeLists: [
    { key: "streams", node: "topic" },
    { key: "channels", node: "exchange" },
  ],
  // MAXLEN keeps a lab stream from growing without bound; claims after 5 s are the schema's default.
  newResource: (kind, name) => (kind === "topic" ? { name, maxLen: 10000 } : kind === "exchange" ? { name } : undefined),
  targetOf: (r) => (r.kind === "topic" ? { stream: r.name } : r.kind === "exchange" ? { channel: r.name } : undefined),
  // A stream consumer joins a group named after its service: replicas share the entries.
  sourceOf: (r, service) => (r.kind === "topic" ? { stream: r.name, group: service || "group" } : r.kind === "exchange" ? { channel: r.name } : undefined),
  readTarget: (to) => (typeof to.stream === "string" ? { kind: "topic", name: to.stream } : typeof to.channel === "string" ? { kind: "exchange", name: to.channel } : undefined),
  // A pattern subscription (PSUBSCRIBE) names no one channel: it is drawn unconnected and edited in the inspector.
  readSource: (from) =>
    typeof from.stream === "string"
      ? { kind: "topic", name: from.stream, group: typeof from.group === "string" ? from.group : "" }
      : typeof from.channel === "string"
        ? { kind: "exchange", name: from.channel }
        : undefined,
  targetFields: (to, kind, name) => (kind === "topic" && to.stream === name ? ["stream"] : kind === "exchange" && to.channel === name ? ["channel"] : []),
  sourceFields: (from, kind, name) => (kind === "topic" && from.stream === name ? ["stream"] : kind === "exchange" && from.channel === name ? ["channel"] : []),
  // A stream's dead-letter stream follows a rename and goes with a delete.
  entryRefs: (list, at, kind, name, visit) => {
    if (kind !== "topic") return;
    list("streams").forEach((stream, i) => {
      const dl = stream.deadLetter as Record<string, unknown> | undefined;
      if (dl && dl.stream === name) visit([...at, "streams", i, "deadLetter"], "stream");
    });
  },
  // Short, so the stream's name keeps the node's width (the inspector has the rest).
  detail: (kind, raw) => {
    if (kind === "exchange") return "Pub/Sub";
    if (kind !== "topic") return undefined;
    if (typeof raw.maxLen !== "number") return "stream";
    return `MAXLEN ~${raw.maxLen >= 1000 && raw.maxLen % 1000 === 0 ? `${raw.maxLen / 1000}k` : raw.maxLen}`;
  },
  // A stream's dead-letter stream, drawn as an edge from the stream's dead-letter handle.
  deadLetterEdge: (dl) => (typeof dl.stream === "string" ? { kind: "topic", name: dl.stream, label: `after ${typeof dl.maxDeliveries === "number" ? dl.maxDeliveries : "?"} deliveries` } : undefined),
  palette: {
    label: "Redis",
    title: "Add a Redis stream or Pub/Sub channel",
    items: [
      { id: "stream", kind: "topic", name: "stream", label: "Redis stream", description: "A log read by consumer groups: XADD, XREADGROUP, XACK; stuck entries are claimed again." },
      { id: "channel", kind: "exchange", name: "channel", label: "Pub/Sub channel", description: "Fan-out to whoever subscribes now; nothing is kept for a subscriber that is down." },
    ],
  },
  canvas: {
    kindWord: { topic: "stream", exchange: "channel" },
    inHint: { topic: "Producers XADD here", exchange: "Producers PUBLISH here" },
    outHint: { topic: "Drag to a service to read it in a consumer group", exchange: "Drag to a service to subscribe" },
    note: { exchange: "Copies every message to each subscriber listening now; keeps nothing." },
  },
};

// Redis in the lab's words: a producer's `{ stream }` reads like a topic's target (a log read by
// groups), a `{ channel }` like an exchange's (fan-out, nothing kept). The canvas does not draw
// Redis's streams and channels as nodes yet: its node kinds are a closed list
// (docs/adding-a-broker.md §4), so Redis resources are edited in the YAML and the inspector.
import type { BrokerLabView } from "./broker-view";

export const redisView: BrokerLabView = {
  newResource: () => undefined,
  targetOf: () => undefined,
  sourceOf: () => undefined,
  readTarget: (to) => (typeof to.stream === "string" ? { kind: "topic", name: to.stream } : typeof to.channel === "string" ? { kind: "exchange", name: to.channel } : undefined),
  targetFields: (to, kind, name) => (kind === "topic" && to.stream === name ? ["stream"] : kind === "exchange" && to.channel === name ? ["channel"] : []),
  detail: (kind, raw) => {
    if (kind === "exchange") return "Pub/Sub channel";
    if (kind !== "topic") return undefined;
    return typeof raw.maxLen === "number" ? `stream, MAXLEN ~${raw.maxLen}` : "stream";
  },
};

// What the canvas shows of a running scenario, computed from the run's frames (never from single
// messages): counters per producer and consumer, replica states, queue depth, topic lag, and the
// rate along every edge.
import type { ConsumerCounters } from "../run/ipc";
import type { GroupLag, ReplicaStatus, RunFrame } from "../run/model";
import type { LabGraph } from "./graph";
import { readTarget } from "./model";

export type ReplicaWord = "starting" | "connected" | "reconnecting" | "paused" | "stopped" | "exited" | "killed" | "crashed";

/** Worst first: the word a service shows when its replicas disagree. */
const severity: ReplicaWord[] = ["crashed", "killed", "reconnecting", "exited", "paused", "starting", "stopped", "connected"];

export function replicaWord(replica: ReplicaStatus): ReplicaWord {
  if (replica.state !== "running") return replica.state;
  const states = Object.values(replica.connections);
  if (states.some((s) => s === "reconnecting" || s === "crashed")) return "reconnecting";
  if (states.length > 0 && states.every((s) => s === "connected")) return "connected";
  return states.length === 0 ? "connected" : "starting";
}

export function serviceWord(replicas: readonly ReplicaStatus[]): ReplicaWord | undefined {
  const words = replicas.map(replicaWord);
  return severity.find((w) => words.includes(w));
}

export interface QueueLive {
  messages: number;
  ready: number;
  unacked: number;
  /** Not visible yet because sent with a delay (SQS); absent where the broker has no such count. */
  delayed?: number;
  consumers: number;
  /** Depth over the frames kept, oldest first (for a sparkline). */
  history: number[];
  peak: number;
}

export interface LiveView {
  frame: RunFrame;
  queues: Map<string, QueueLive>;
  lag: Map<string, GroupLag[]>;
  edgeRates: Map<string, number>;
}

export const resourceKey = (broker: string, name: string) => `${broker}/${name}`;

/** The frame about `windowMs` before the last one (or the first), for rates of any counter. */
function frameBefore(frames: readonly RunFrame[], windowMs: number): RunFrame | undefined {
  const last = frames[frames.length - 1];
  if (!last) return undefined;
  for (let i = frames.length - 2; i >= 0; i--) if (last.at - frames[i]!.at >= windowMs) return frames[i];
  return frames.length > 1 ? frames[0] : undefined;
}

function counterRate(frames: readonly RunFrame[], windowMs: number, read: (frame: RunFrame) => number): number {
  const last = frames[frames.length - 1];
  const then = frameBefore(frames, windowMs);
  if (!last || !then || last.at === then.at) return 0;
  return Math.max(0, (read(last) - read(then)) / ((last.at - then.at) / 1000));
}

const consumerCounter = (key: string, field: keyof ConsumerCounters) => (frame: RunFrame) => frame.consumers[key]?.[field] ?? 0;

export function computeLive(graph: LabGraph, frames: readonly RunFrame[]): LiveView | undefined {
  const frame = frames[frames.length - 1];
  if (!frame) return undefined;
  const queues = new Map<string, QueueLive>();
  const recent = frames.slice(-300);
  for (const q of frame.queues) {
    const key = resourceKey(q.broker, q.name);
    const history = recent.map((f) => f.queues.find((x) => x.broker === q.broker && x.name === q.name)?.messages ?? 0);
    queues.set(key, { messages: q.messages, ready: q.ready, unacked: q.unacked, ...(q.delayed === undefined ? {} : { delayed: q.delayed }), consumers: q.consumers, history, peak: Math.max(1, ...history) });
  }
  const lag = new Map<string, GroupLag[]>();
  for (const group of frame.lag) {
    const key = resourceKey(group.broker, group.topic);
    lag.set(key, [...(lag.get(key) ?? []), group]);
  }

  const edgeRates = new Map<string, number>();
  // A finished run moves nothing: its last window's rates would only look like traffic.
  if (frame.status === "finished" || frame.status === "failed") return { frame, queues, lag, edgeRates };
  const inflow = new Map<string, number>();
  const addInflow = (node: string, rate: number) => inflow.set(node, (inflow.get(node) ?? 0) + rate);
  const directIntoQueue = new Map<string, number>();
  for (const edge of graph.edges) {
    let rate = 0;
    if (edge.kind === "publish") rate = frame.producers[edge.liveKey ?? ""]?.ratePerSec ?? 0;
    else if (edge.kind === "consume") rate = frame.consumers[edge.liveKey ?? ""]?.ratePerSec ?? 0;
    else if (edge.kind === "forward") rate = counterRate(frames, 1000, consumerCounter(edge.liveKey ?? "", "forwarded"));
    else continue;
    edgeRates.set(edge.id, rate);
    if (edge.kind !== "consume") {
      addInflow(edge.target, rate);
      if (edge.target.startsWith("q:")) directIntoQueue.set(edge.target, (directIntoQueue.get(edge.target) ?? 0) + rate);
    }
  }
  // Dead letters: what the consumers of a queue dead-lettered, per second.
  for (const edge of graph.edges.filter((e) => e.kind === "dead-letter")) {
    const consumers = graph.edges.filter((e) => e.kind === "consume" && e.source === edge.source).map((e) => e.liveKey ?? "");
    const rate = consumers.reduce((sum, key) => sum + counterRate(frames, 1000, consumerCounter(key, "deadLettered")), 0);
    edgeRates.set(edge.id, rate);
    addInflow(edge.target, rate);
  }
  // Bindings: a queue's intake (what its consumers take plus how fast it grows), less what is published
  // to it directly, capped by what reaches the exchange. The broker reports no per-binding rate.
  const bindings = graph.edges.filter((e) => e.kind === "binding");
  for (const edge of bindings) {
    const queueNode = graph.nodes.find((n) => n.id === edge.target);
    if (!queueNode || queueNode.type === "service") continue;
    const key = resourceKey(queueNode.resource.broker, queueNode.resource.name);
    const taken = graph.edges.filter((e) => e.kind === "consume" && e.source === edge.target).reduce((sum, e) => sum + (edgeRates.get(e.id) ?? 0), 0);
    const growth = counterRate(frames, 3000, (f) => f.queues.find((q) => resourceKey(q.broker, q.name) === key)?.messages ?? 0);
    const intake = Math.max(0, taken + growth - (directIntoQueue.get(edge.target) ?? 0));
    const siblings = bindings.filter((b) => b.target === edge.target).length;
    edgeRates.set(edge.id, Math.min(intake / siblings, inflow.get(edge.source) ?? 0));
  }
  return { frame, queues, lag, edgeRates };
}

/** How an edge draws a rate: thickness and the time a dot takes along it. Quantised, so animations do not restart every frame. */
export function edgeMotion(ratePerSec: number): { width: number; durationSec: number; dots: number } | undefined {
  if (ratePerSec < 0.05) return undefined;
  const level = Math.min(6, Math.floor(Math.log2(ratePerSec + 1)));
  return { width: 2 + level * 0.9, durationSec: Math.max(0.45, 2.6 - level * 0.35), dots: level >= 4 ? 3 : level >= 2 ? 2 : 1 };
}

export function formatRate(ratePerSec: number): string {
  if (ratePerSec < 0.05) return "0/s";
  if (ratePerSec < 10) return `${ratePerSec.toFixed(1)}/s`;
  if (ratePerSec < 10_000) return `${Math.round(ratePerSec)}/s`;
  return `${(ratePerSec / 1000).toFixed(1)}k/s`;
}

export function formatCount(value: number): string {
  if (value < 10_000) return String(value);
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 100_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

/** The target of a producer or forward as words: "→ order_queue", "→ logs (key: info)". */
export function describeTarget(value: unknown): string | undefined {
  const target = readTarget(value);
  if (!target) return undefined;
  return `${target.name || "(no name)"}${target.key ? ` · ${target.key}` : ""}`;
}

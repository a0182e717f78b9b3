// The contract between the engine and a service process (one OS process per service replica).
// The engine forks the process with its launch spec; the process answers with state changes
// and a batched frame every `frameIntervalMs`, never one message per broker message.
import type { Scenario, Service } from "../scenario/schema";

export type ResolvedBroker =
  | { kind: "rabbitmq"; url: string; managementUrl: string }
  | { kind: "kafka"; brokers: string[] };

export interface ServiceLaunch {
  runId: string;
  scenarioName: string;
  service: Service;
  /** 0-based replica index of this process, and the service's replica count. */
  replica: number;
  replicas: number;
  brokers: Record<string, ResolvedBroker>;
  resources: Scenario["resources"];
  propagation: "parent" | "link";
  tracing: { enabled: boolean; otlpEndpoint: string };
  frameIntervalMs: number;
  /** Message-log sampling: events of a message are reported when hash(id) % every === 0. */
  logSampleEvery: number;
}

/** Message headers Brokerlab sets on every message it publishes. */
export const headerNames = {
  id: "x-brokerlab-id",
  runId: "x-brokerlab-run",
  sentAt: "x-brokerlab-sent-at",
  attempt: "x-brokerlab-attempt",
  origin: "x-brokerlab-origin",
} as const;

export type EngineToService =
  | { type: "send"; producer: string; count?: number; payload?: unknown; headers?: Record<string, string> }
  | { type: "log-sampling"; every: number }
  | { type: "stop" };

export type ConnectionState = "starting" | "connected" | "reconnecting" | "crashed" | "stopping" | "stopped";

export interface ProducerCounters {
  published: number;
  confirmed: number;
  /** Unroutable messages returned by RabbitMQ (mandatory). */
  returned: number;
  /** Negatively confirmed or failed sends. */
  failed: number;
  inFlight: number;
  done: boolean;
}

export interface ConsumerCounters {
  received: number;
  acked: number;
  nacked: number;
  requeued: number;
  redelivered: number;
  retried: number;
  deadLettered: number;
  dropped: number;
  /** Messages whose id this consumer had already processed. */
  duplicates: number;
  failed: number;
  forwarded: number;
  inFlight: number;
}

export type MessageEventKind =
  | "published" | "confirmed" | "returned" | "send-failed"
  | "delivered" | "processed" | "acked" | "nacked" | "requeued" | "retried" | "dead-lettered" | "dropped" | "duplicate" | "forwarded";

export interface MessageEvent {
  id: string;
  kind: MessageEventKind;
  at: number;
  service: string;
  replica: number;
  /** Producer or consumer name. */
  actor: string;
  traceId?: string;
  destination?: string;
  key?: string;
  routingKey?: string;
  redelivered?: boolean;
  attempt?: number;
  partition?: number;
  offset?: string;
  detail?: string;
}

/** HDR histograms of one window, compressed base64 (hdr-histogram-js), values in microseconds. */
export interface WindowHistograms {
  endToEnd: string;
  queueWait: string;
  processing: string;
}

export interface ServiceFrame {
  type: "frame";
  at: number;
  /** Cumulative counters of this process. */
  producers: Record<string, ProducerCounters>;
  consumers: Record<string, ConsumerCounters>;
  /** Per consumer, latency recorded since the previous frame. */
  histograms: Record<string, WindowHistograms>;
  /** Ledger deltas since the previous frame: ids confirmed by the broker, ids consumed (processed or dead-lettered) per consumer. */
  confirmedIds: string[];
  consumedIds: Record<string, string[]>;
  /** Sampled message events since the previous frame. */
  events: MessageEvent[];
  /** Spans the exporter dropped so far (tracing never blocks message flow). */
  droppedSpans: number;
}

export type ServiceToEngine =
  | { type: "state"; broker: string; state: ConnectionState; detail?: string }
  | { type: "ready" }
  | ServiceFrame
  | { type: "producer-done"; producer: string }
  | { type: "error"; code: string; message: string; fatal: boolean };

/** Stable FNV-1a hash, so every process samples the same messages for the log. */
export function sampleMessage(id: string, every: number): boolean {
  if (every <= 1) return true;
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % every === 0;
}

/** The stable id of a message: `<service>/<producer>/<seq>`. */
export const messageId = (service: string, producer: string, seq: number) => `${service}/${producer}/${seq}`;

// The contract between the engine and a service process (one OS process per service replica).
// The engine forks the process with its launch spec; the process answers with state changes
// and a batched frame every `frameIntervalMs`, never one message per broker message.
import type { KnownBrokerDescriptor, ResolvedBrokerOf } from "../brokers";
import type { Scenario, Service } from "../scenario/schema";
import type { PatternCommand, PatternFrame, PatternLaunch, PatternServiceMessage } from "./patterns";

/** A scenario broker with its endpoints, one form per kind (each descriptor's `resolved`). */
export type ResolvedBroker = ResolvedBrokerOf<KnownBrokerDescriptor>;

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
  /** `maxPerSecond`: new traces per process per second; messages beyond it go untraced, counted (0: no limit). */
  tracing: { enabled: boolean; otlpEndpoint: string; maxPerSecond?: number };
  frameIntervalMs: number;
  /** Message-log sampling: events of a message are reported when hash(id) % every === 0. */
  logSampleEvery: number;
  /**
   * Ledger ids go to the engine in `ledger` messages at once, and a consumed message is acked
   * only once its id is on its way, so a SIGKILL cannot hide an acked message from the ledger.
   * Without it the ids ride in frames.
   */
  ledgerWriteAhead?: boolean;
  /** Per producer, how many messages this replica sent in earlier lives (it continues after them). */
  resume?: Record<string, number>;
  /**
   * Set for the run's first start: after `ready` the process waits for `go` before producing, so
   * no producer starts while another replica of the run is still subscribing. A replica restarted
   * mid-run has it unset and starts at once.
   */
  awaitGo?: boolean;
  /** Request/reply, tasks, webhooks, projections (lib/run/patterns.ts). */
  patterns?: PatternLaunch;
  /** The run's directory: a service's SQLite database lives here, so a restarted replica finds it again. */
  dataDir?: string;
}

/** The name a service process gives its RabbitMQ connections (the management API shows it; faults select by it). */
export const connectionName = (runId: string, service: string, replica: number) => `brokerlab ${runId} ${service}[${replica}]`;

/** Message headers Brokerlab sets on every message it publishes. */
export const headerNames = {
  id: "x-brokerlab-id",
  runId: "x-brokerlab-run",
  sentAt: "x-brokerlab-sent-at",
  attempt: "x-brokerlab-attempt",
  origin: "x-brokerlab-origin",
  /** On messages a fault publishes (poison, fill-queue): the fault's id. */
  fault: "x-brokerlab-fault",
} as const;

/** A fault as a service process needs to know it: to slow its consumers and to mark its spans. */
export interface FaultNotice {
  id: string;
  action: string;
  detail: string;
  /** The broker (scenario name) and kind of a link or broker fault, for spans that touch it. */
  broker?: string;
  brokerKind?: ResolvedBroker["kind"];
  /** slow: extra work per message. */
  slowMs?: number;
}

export type EngineToService =
  /** `patch` merges fields into the rendered payload; `fault` tags the messages (header and span event). */
  | { type: "send"; producer: string; count?: number; payload?: unknown; headers?: Record<string, string>; patch?: Record<string, unknown>; fault?: string }
  | { type: "log-sampling"; every: number }
  /** The faults active on this replica now (replaces the previous list). */
  | { type: "faults"; active: FaultNotice[] }
  | { type: "stop" }
  /** Every replica of the run is ready: start producing (see ServiceLaunch.awaitGo). */
  | { type: "go" }
  | PatternCommand;

export type ConnectionState = "starting" | "connected" | "reconnecting" | "crashed" | "restarting" | "stopping" | "stopped";

export interface ProducerCounters {
  published: number;
  confirmed: number;
  /** Unroutable messages returned by RabbitMQ (mandatory). */
  returned: number;
  /** Negatively confirmed or failed sends. */
  failed: number;
  /** Sends repeated with the same id after the connection failed before the broker confirmed. */
  republished?: number;
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
  | "delivered" | "processed" | "acked" | "nacked" | "requeued" | "retried" | "dead-lettered" | "dropped" | "duplicate" | "forwarded"
  /** Republished after a lost connection; found in a dead-letter queue (detail: its x-death history). */
  | "republished" | "in-dead-letter-queue"
  /** Request/reply (lib/run/patterns.ts): a server answered; the client got the reply, gave up waiting, or got it too late. */
  | "replied" | "reply-received" | "timed-out" | "late-reply";

/**
 * Whether an event is the producer's report of a message's creation, whose trace is the message's
 * trace. In link propagation a consumer's events carry the trace of its own process span, linked to
 * that one, and can reach the engine first.
 */
export const reportsCreation = (kind: MessageEventKind): boolean => kind === "published" || kind === "confirmed";

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
  /** Messages this process started a trace for, and left untraced because of the trace limit, so far. */
  traced?: number;
  untraced?: number;
  /** Request/reply, tasks, webhooks and projections of this process. */
  patterns?: PatternFrame;
}

/** Ledger ids sent ahead of frames (ServiceLaunch.ledgerWriteAhead). */
export interface LedgerDelta {
  type: "ledger";
  confirmedIds: string[];
  consumedIds: Record<string, string[]>;
  /**
   * The process's cumulative consumer counters when the ids left: a SIGKILL then cannot leave the
   * counters behind the ledger (acked below consumed), since frames go only every frameIntervalMs.
   */
  consumers?: Record<string, ConsumerCounters>;
}

export type ServiceToEngine =
  | { type: "state"; broker: string; state: ConnectionState; detail?: string }
  | LedgerDelta
  | { type: "ready" }
  | ServiceFrame
  | { type: "producer-done"; producer: string }
  | { type: "error"; code: string; message: string; fatal: boolean }
  | PatternServiceMessage;

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

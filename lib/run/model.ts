// What a run looks like from outside the engine: the live frame sent to browsers (≈10 Hz) and
// the report of a finished run. Plain data, shared by the server, the CLI and the browser.
import type { FaultAction, FaultSpec } from "../scenario/faults";
import type { ConnectionState, ConsumerCounters, MessageEvent, ProducerCounters } from "./ipc";
import type { PatternsReport, PatternsView } from "./patterns";

export type RunStatus = "starting" | "running" | "stopping" | "finished" | "failed";

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ConsumerLatency {
  endToEnd: LatencySummary;
  queueWait: LatencySummary;
  processing: LatencySummary;
}

export type ReplicaState = "starting" | "running" | "exited" | "crashed" | "killed" | "paused" | "stopped";

export interface ReplicaStatus {
  replica: number;
  pid?: number;
  state: ReplicaState;
  exitCode?: number | null;
  restarts: number;
  /** Connection state per broker name, as the process reports it. */
  connections: Record<string, ConnectionState>;
}

export interface QueueDepth {
  broker: string;
  name: string;
  messages: number;
  ready: number;
  unacked: number;
  /** Sent with a delay and not visible yet (SQS's ApproximateNumberOfMessagesDelayed); absent where the broker has no such count. */
  delayed?: number;
  consumers: number;
}

export interface PartitionLagView {
  partition: number;
  committed: number;
  high: number;
  lag: number;
  /** Age in seconds of the oldest message not consumed yet (its broker timestamp); 0 without lag, absent when unknown. */
  seconds?: number;
}

/** A consumer group's lag on one topic, in messages and in time (lib/run/lag.ts). */
export interface GroupLag {
  broker: string;
  group: string;
  topic: string;
  partitions: PartitionLagView[];
  total: number;
  /** Of the total, entries delivered and not yet acknowledged (a Redis stream group's pending entries list); absent where not counted apart. */
  pending?: number;
  /** Age in seconds of the oldest message the group has not consumed, over all partitions; absent when unknown. */
  seconds?: number;
  /** Messages per second the group consumes and the topic receives, from the broker's offsets over the last few seconds. */
  consumeRate?: number;
  produceRate?: number;
  /** Seconds until the lag is gone at those rates: null when not draining, absent before two readings. */
  drainSeconds?: number | null;
}

export interface Ledger {
  /** Distinct ids the broker confirmed. */
  confirmed: number;
  /** Distinct ids processed successfully or dead-lettered by some consumer. */
  consumed: number;
  /**
   * Confirmed ids known not to be coming: nothing is left in flight, in the queues or in consumer
   * lag, yet nobody consumed them (once a run has settled, and at its end). At the end of a run it
   * is every confirmed id never consumed. Messages still waiting somewhere are `pending`, not lost.
   */
  lost: number;
  /** Confirmed ids not consumed yet while the run is live (waiting in a queue, in lag, or in flight); absent once the run has ended. */
  pending?: number;
  /** Extra successful processings of an id by the same consumer. */
  duplicated: number;
  /** Ids consumed although their publish was never confirmed. */
  recovered: number;
}

/** A fault in effect now: it ends by itself (`until`), by its opposite action, or by `run:fault` end. */
export interface ActiveFault {
  id: string;
  action: FaultAction;
  /** What it acts on: "inventory-service", "inventory-service↔rabbit", "broker rabbit". */
  target: string;
  detail: string;
  since: number;
  until?: number;
  spec: FaultSpec;
}

export type TimelineKind = "fault" | "fault-ended" | "replica" | "connection" | "broker" | "error";

/** One moment of a run worth showing on its timeline: faults, replica and connection changes. */
export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  target: string;
  detail: string;
}

export interface RunFrame {
  runId: string;
  at: number;
  status: RunStatus;
  elapsedMs: number;
  producers: Record<string, ProducerCounters & { ratePerSec: number }>;
  consumers: Record<string, ConsumerCounters & { ratePerSec: number; window: ConsumerLatency }>;
  services: Record<string, ReplicaStatus[]>;
  queues: QueueDepth[];
  lag: GroupLag[];
  ledger: Ledger;
  /** A sampled tail of message events since the previous frame (bounded). */
  tail: MessageEvent[];
  droppedSpans: number;
  /** With tracing on: messages traced and left untraced by the trace limit (per process per second). */
  tracing?: TraceSampling;
  /** Faults in effect now (always set by the engine; optional for older frames). */
  activeFaults?: ActiveFault[];
  /** The run's timeline so far (bounded to the most recent entries); live frames carry it only when it changed. */
  timeline?: TimelineEntry[];
  /** Request/reply, tasks, webhooks and projections, when the scenario uses them (lib/run/patterns.ts). */
  patterns?: PatternsView;
  /** While a run that ends when drained waits: what it still waits for ("12 messages in order_queue"). */
  waitingFor?: string[];
}

/** Tracing above the limit: `traced` messages got a trace, `untraced` did not (counted, never silent). */
export interface TraceSampling {
  traced: number;
  untraced: number;
  /** New traces per service process per second; 0 when every message is traced. */
  limitPerSecond: number;
}

/**
 * A resource a run used, on one of its brokers: RabbitMQ exchanges, queues and bindings, Kafka
 * topics and consumer groups, SQS queues, SNS topics and subscriptions, EventBridge buses and rules.
 */
export interface RunResource { broker: string; kind: "exchange" | "queue" | "binding" | "topic" | "group" | "subscription" | "bus" | "rule"; name: string }

/** What a run owns: it deletes at teardown what it created (unless told to keep it), never what already existed. */
export interface RunResources {
  created: RunResource[];
  /** Already on the broker before the run: used, and kept at teardown. */
  existed: RunResource[];
  /** The created ones were kept too, on request (--keep-resources). */
  keptOnRequest?: boolean;
}

export interface RunReport {
  runId: string;
  scenario: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  producers: Record<string, { published: number; confirmed: number; failed: number; returned: number }>;
  consumers: Record<string, {
    received: number; acked: number; nacked: number; requeued: number; redelivered: number; retried: number;
    deadLettered: number; dropped: number; duplicates: number; failed: number; forwarded: number;
    latencyMs: ConsumerLatency;
    /** What each replica received and acked: competing consumers share the work. */
    replicas: { replica: number; received: number; acked: number }[];
  }>;
  ledger: Ledger;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  queues: QueueDepth[];
  lag: GroupLag[];
  services: Record<string, ReplicaStatus[]>;
  traces: { sample: string[]; searchUrl: string; droppedSpans: number; sampling?: TraceSampling };
  errors: string[];
  logsDir: string;
  /** Faults, replica and connection changes, in order. */
  timeline?: TimelineEntry[];
  /** Request/reply, tasks (every one), webhooks and projections, when the scenario uses them. */
  patterns?: PatternsReport;
  /** The resources the run created (and deleted) and those that already existed (kept). */
  resources?: RunResources;
}

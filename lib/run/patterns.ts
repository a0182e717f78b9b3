// The pattern part of the run contract (docs/patterns.md): what service processes report about
// request/reply, tasks, webhooks and projections, and what the engine makes of it for the live
// frame (`RunFrame.patterns`) and the report (`RunReport.patterns`). Plain data.
import type { LatencySummary } from "./model";

/** Launch-time settings of the patterns: the run's secret for signing and checking webhooks. */
export interface PatternLaunch {
  webhookSecret: string;
}

/** The webhook signature header: `sha256=<hex HMAC-SHA256 of the raw body with the run's secret>`. */
export const webhookHeaders = {
  signature: "x-brokerlab-signature",
  delivery: "x-brokerlab-delivery",
  attempt: "x-brokerlab-attempt",
  task: "x-brokerlab-task",
} as const;

/** On a reply: `ok`, or `error` when the server failed the request. */
export const replyStatusHeader = "x-brokerlab-reply";

// ── request/reply ────────────────────────────────────────────────────────────────────────────

export interface RequesterCounters {
  sent: number;
  /** Requests the broker confirmed. */
  confirmed: number;
  /** Requests the broker refused or returned (nobody can answer them). */
  failed: number;
  replied: number;
  /** Replies that report a failure on the server. */
  errors: number;
  timedOut: number;
  /** Replies that arrived after their request had timed out. */
  late: number;
  /** Replies whose correlation id this process never sent (e.g. a reply queue shared by replicas). */
  unmatched: number;
  /** Awaiting a reply now. */
  pending: number;
  done: boolean;
  /** With a circuit breaker: calls it refused while open or half-open (nothing was sent). */
  fastFailed?: number;
  /** With a circuit breaker: how often it opened, half-opened and closed again. */
  breakerOpened?: number;
  breakerHalfOpened?: number;
  breakerClosed?: number;
  /** Gauges: processes whose breaker is open, or half-open, now (0 or 1 with one replica). */
  breakerOpen?: number;
  breakerHalfOpen?: number;
}

/** The counters that are gauges (live processes only), summed over replicas. */
export const requesterGauges = ["pending", "breakerOpen", "breakerHalfOpen"] as const;

export interface ReplierCounters {
  received: number;
  replied: number;
  errors: number;
  /** Replies that could not be published (or were returned: the reply queue is gone). */
  failed: number;
  inFlight: number;
}

/** `fast-failed`: the circuit breaker refused the call, so no request was sent. */
export type RequestStatus = "replied" | "error" | "timeout" | "late" | "unmatched" | "send-failed" | "fast-failed";

export interface RequestOutcome {
  id: string;
  /** `<service>/<requester>`. */
  requester: string;
  status: RequestStatus;
  sentAt?: number;
  at: number;
  /** Round trip in ms, for replies (late ones too). */
  rttMs?: number;
  traceId?: string;
  detail?: string;
}

// ── task queues ──────────────────────────────────────────────────────────────────────────────

export type TaskState = "pending" | "started" | "retried" | "succeeded" | "failed";
export const taskStates: readonly TaskState[] = ["pending", "started", "retried", "succeeded", "failed"];

export interface TaskEvent {
  id: string;
  kind: "submitted" | "started" | "retried" | "succeeded" | "failed";
  at: number;
  attempt: number;
  job?: string;
  /** The submitter (`<service>/<part>`) or the worker (`<service>[<replica>]`). */
  by: string;
  args?: unknown;
  result?: unknown;
  error?: string;
  /** The task carries a callback_url (an HTTP API task). */
  callback?: boolean;
  traceId?: string;
}

export interface TaskSubmitterCounters { submitted: number; confirmed: number; failed: number; done: boolean }

export interface WorkerCounters {
  received: number;
  started: number;
  succeeded: number;
  failed: number;
  retried: number;
  timedOut: number;
  inFlight: number;
}

// ── HTTP API and webhooks ────────────────────────────────────────────────────────────────────

export interface HttpApiCounters { requests: number; accepted: number; rejected: number; failed: number }
export interface ApiCallCounters { sent: number; accepted: number; rejected: number; failed: number; done: boolean }
export interface ReceiverCounters {
  received: number;
  /** Callbacks with a valid signature, answered 200. */
  valid: number;
  /** Callbacks with a missing or wrong signature, answered 401. */
  invalid: number;
  /** Answered with the failure status on purpose (failFirst, errorRate). */
  failedOnPurpose: number;
  /** Valid callbacks for a task this receiver had already accepted. */
  duplicates: number;
}

export type WebhookEvent =
  | { kind: "accepted"; taskId: string; at: number; api: string; callbackUrl?: string; traceId?: string }
  | { kind: "delivery"; taskId: string; deliveryId: string; attempt: number; at: number; url: string; status: number; ok: boolean; latencyMs: number; willRetry: boolean; delayMs?: number; error?: string; traceId?: string }
  /** `signature`: what the receiver found; `unchecked` when it failed the callback on purpose first. */
  | { kind: "received"; taskId?: string; deliveryId?: string; attempt?: number; at: number; receiver: string; status: number; signature: "valid" | "invalid" | "missing" | "unchecked"; detail?: string; traceId?: string };

/** URLs of the HTTP parts, by service name: one per replica. */
export interface Endpoints {
  api: Record<string, string[]>;
  webhook: Record<string, string[]>;
}

// ── projections ──────────────────────────────────────────────────────────────────────────────

export type ProjectionValue = number | string | boolean;
export type ProjectionState = Record<string, Record<string, ProjectionValue>>;

export type ReplayFrom = { offset: number } | { time: number };

export interface ReplayStatus {
  /** "offset 0", "offset 120", "2026-01-02T03:04:05.000Z". */
  from: string;
  startedAt: number;
  finishedAt?: number;
  /** Per partition: where the replay starts, the end it must reach (the high watermark when it began), and where it is. */
  partitions: { partition: number; start: number; end: number; position: number }[];
  /** Events applied since the replay began. */
  applied: number;
  /** 0..1 over all partitions. */
  progress: number;
  done: boolean;
}

export interface ProjectionStatus {
  /** Current state per key (at most 500 keys are sent; `keys` has the true count). */
  state: ProjectionState;
  keys: number;
  /** Events applied, skipped (a type the fold does not name, or no key) and re-applied by replays. */
  applied: number;
  skipped: number;
  replayed: number;
  /** Per partition: the next offset to apply, and the log's low and high watermarks. */
  partitions: { partition: number; position: number; low: number; high: number }[];
  replay?: ReplayStatus;
  /** Bumps whenever the state changes. */
  version: number;
}

// ── what a service process sends ────────────────────────────────────────────────────────────

/** Part of every service frame: cumulative counters of this process, and events since the last frame. */
export interface PatternFrame {
  requesters?: Record<string, RequesterCounters>;
  /** Per requester, round trips of this window: HDR histogram, compressed base64, microseconds. */
  rtt?: Record<string, string>;
  requests?: RequestOutcome[];
  repliers?: Record<string, ReplierCounters>;
  taskProducers?: Record<string, TaskSubmitterCounters>;
  workers?: Record<string, WorkerCounters>;
  taskEvents?: TaskEvent[];
  httpApi?: HttpApiCounters;
  apiCalls?: Record<string, ApiCallCounters>;
  receiver?: ReceiverCounters;
  webhookEvents?: WebhookEvent[];
  /** Sent when changed, and at least once a second. */
  projections?: Record<string, ProjectionStatus>;
}

export type PatternServiceMessage = { type: "endpoint"; kind: "api" | "webhook"; url: string };

export type PatternCommand =
  | { type: "endpoints"; endpoints: Endpoints }
  | { type: "replay"; projection: string; from: ReplayFrom };

// ── what the engine shows ───────────────────────────────────────────────────────────────────

export interface RequestsView {
  counters: RequesterCounters;
  /** Round trip of on-time replies: the whole run, and the last frame's window. */
  rtt: LatencySummary;
  window: LatencySummary;
  /** The latest outcomes, newest last. */
  recent: RequestOutcome[];
}

export interface TaskView {
  id: string;
  job?: string;
  state: TaskState;
  attempts: number;
  retries: number;
  /** Successful completions recorded for this task (1 when exactly once). */
  results: number;
  submittedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  submittedBy?: string;
  worker?: string;
  args?: unknown;
  result?: unknown;
  error?: string;
  callback?: boolean;
  traceId?: string;
}

export interface TasksView {
  counts: Record<TaskState, number>;
  total: number;
  byJob: Record<string, Record<TaskState, number>>;
  producers: Record<string, TaskSubmitterCounters>;
  workers: Record<string, WorkerCounters>;
  /** The result store: tasks with a stored result, and tasks whose result was stored more than once (the task ran again). */
  results?: { stored: number; repeated: number };
  /** Started → finished, and submitted → started, of finished tasks. */
  runtimeMs: LatencySummary;
  waitMs: LatencySummary;
  /** Tasks that changed most recently, newest last. */
  recent: TaskView[];
}

export interface CallbackView {
  taskId: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  retries: number;
  lastStatus?: number;
  /** Valid and invalid receipts at the receivers. */
  received: number;
  invalid: number;
  deliveredAt?: number;
  traceId?: string;
}

export interface WebhooksView {
  endpoints: Endpoints;
  api: Record<string, HttpApiCounters>;
  calls: Record<string, ApiCallCounters>;
  deliveries: { attempts: number; delivered: number; retries: number; failed: number; pending: number };
  receivers: Record<string, ReceiverCounters>;
  recent: WebhookEvent[];
  /** Callbacks that changed most recently, newest last. */
  callbacks: CallbackView[];
}

export interface ProjectionView extends ProjectionStatus {
  service: string;
  name: string;
  topic: string;
  /** The prefix of its consumer groups (each process joins `<group>-<run id>-<pid>`). */
  group: string;
}

/** `RunFrame.patterns`: only the parts the scenario uses are present. */
export interface PatternsView {
  requests?: Record<string, RequestsView>;
  repliers?: Record<string, ReplierCounters>;
  tasks?: TasksView;
  webhooks?: WebhooksView;
  projections?: Record<string, ProjectionView>;
}

/** `RunReport.patterns`: the live view plus every task and callback (up to 10 000). */
export interface PatternsReport extends PatternsView {
  allTasks?: TaskView[];
  allCallbacks?: CallbackView[];
}

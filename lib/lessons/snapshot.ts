// What a check is decided over: one snapshot of the learner's run, their last attempt, and the
// brokers' and Jaeger's view of that run. The server gathers it; evaluation is pure.
import type { ErrorCode } from "../errors";
import type { MessageEvent } from "../run/ipc";
import type { QueueDepth, RunFrame, RunStatus } from "../run/model";
import type { Scenario } from "../scenario/schema";
import type { GradableTrace } from "../trace/grade-trace";
import type { ScenarioProblem } from "../scenario/validate";

export interface RunView {
  id: string;
  status: RunStatus;
  scenario: Scenario;
  frame: RunFrame;
  /** Per consumer key, what each replica received and acked (competing consumers). */
  replicas: Record<string, { replica: number; received: number; acked: number }[]>;
  /** Events of the run's message log (sampled above ~200 msg/s), oldest first. */
  events: MessageEvent[];
  /** What went wrong, as the run reports it (read only for checks that need it). */
  notes?: string[];
}

/** One connection as the broker lists it: the name the client gave it, the user, and its TLS state. */
export interface ConnectionView {
  clientName?: string;
  user?: string;
  tls?: { protocol?: string; cipher?: string };
}

/** The learner's last try on this step: what they ran and what happened. */
export interface AttemptView {
  at: number;
  /** The scenario's validation problems (checked by the server, not the browser). */
  problems: ScenarioProblem[];
  /** The run that started, if one did. */
  runId?: string;
  /** Why the run did not start; `verified` when the engine holds the failed run with this error. */
  error?: { code: ErrorCode; message: string; verified: boolean };
}

export interface XDeathEntry {
  queue: string;
  reason: string;
  count: number;
  exchange?: string;
}

export interface SpanView {
  service: string;
  kind: string;
  operation: string;
  attributes: Record<string, unknown>;
  /** Trace ids this span links to (FOLLOWS_FROM references into other traces); its parent is not a link. */
  links?: string[];
}

export interface TraceView {
  traceId: string;
  spans: SpanView[];
  /** The trace as Jaeger sent it, for the trace grader (traceConforms checks). */
  gradable?: GradableTrace;
}

export type Reading<T> = { value: T } | { error: string };

export interface CheckSnapshot {
  run?: RunView;
  attempt?: AttemptView;
  /** Queues read from the broker beyond the run's own (null: the broker has no such queue). */
  queues: Record<string, QueueDepth | null>;
  /** Per queue, the x-death headers of the messages it holds (one array per message). */
  deadLetters: Record<string, Reading<XDeathEntry[][]>>;
  /** Per trace need (see traceNeedKey), the run's traces Jaeger found. */
  traces: Record<string, Reading<TraceView[]>>;
  /** Per broker of the run, the connections the broker lists (for brokerConnections checks). */
  connections?: Record<string, Reading<ConnectionView[]>>;
}

export const emptySnapshot = (): CheckSnapshot => ({ queues: {}, deadLetters: {}, traces: {} });

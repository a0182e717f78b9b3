// The messages between the benchmark harness and bench/engine-host.ts, the child process that
// runs Brokerlab's engine (so its CPU, memory and event-loop lag are measured on their own).
import type { RunReport } from "../../lib/run/model";

export interface HostRunRequest {
  type: "run";
  /** A scenario document (validated by the host exactly as the server validates one). */
  scenario: unknown;
  tracing: boolean;
  durationMs: number;
  /** Run until drained (the engine's own rule, at most durationMs) instead of exactly durationMs. */
  untilDrained?: boolean;
  /** Serve socket.io on a free port and wait for a client to start the run (workload 4). */
  live: boolean;
  /** Record the run in a run store, as the server does by default (BROKERLAB_RUN_STORE_MB > 0); off unless asked. */
  runStore?: boolean;
}

export interface TimelinePoint {
  /** Epoch ms of the frame. */
  at: number;
  /** Messages acked by every consumer so far. */
  consumed: number;
  /** Messages confirmed by every producer so far. */
  confirmed: number;
  /** The first consumer's end-to-end latency over this frame's window (what the live view shows), when it consumed any. */
  latency?: { count: number; p50: number; p99: number };
}

export interface HostRunResult {
  type: "result";
  runId: string;
  /** Epoch ms when every replica was ready and producers started. */
  runningAt: number;
  /** From engine.start() to every replica ready (resources declared, processes spawned). */
  startupMs: number;
  timeline: TimelinePoint[];
  report: RunReport;
  /** Event-loop delay of the engine's process while the run was running, in ms. */
  loopLag: { p50: number; p99: number; max: number };
}

export type HostToHarness =
  | { type: "listening"; port: number }
  | { type: "running"; runId: string; pids: { service: string; replica: number; pid: number }[] }
  | HostRunResult
  | { type: "failed"; message: string };

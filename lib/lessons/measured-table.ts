// The measured comparison of a lesson that runs one pipeline on several brokers: one row per
// broker, read from the learner's own latest finished run of that broker's step (the run history
// keeps each lesson run with its step). Throughput, latency, what the crash cost and how many
// deliveries were repeats are measurements; whether a broker can replay is a property, said as one.
import { z } from "zod";
import type { RunReport } from "../run/model";
import type { StoredRun, StoredRunSummary } from "../runs/history";

export const comparisonRowSchema = z.strictObject({
  /** The step whose runs fill the row. */
  step: z.string().min(1),
  broker: z.string().min(1),
  /** What the broker keeps after an ack, so whether a replay is possible: a property, not measured. */
  replay: z.string().min(1),
  /** The unit within which the broker keeps order: a property too. */
  order: z.string().min(1),
});
export type ComparisonRow = z.infer<typeof comparisonRowSchema>;

export interface MeasuredRow extends ComparisonRow {
  runId?: string;
  /** Orders handled per second from the run's start until it ended (drained). */
  throughput?: number;
  p50?: number;
  p99?: number;
  consumed?: number;
  confirmed?: number;
  lost?: number;
  duplicated?: number;
  /** Deliveries the broker flagged or counted as repeats (redelivered after the crash). */
  redelivered?: number;
}

/** The latest finished run of each step, from a list of a lesson's runs (newest first or not). */
export function latestRunPerStep(runs: readonly StoredRunSummary[], steps: readonly string[]): Map<string, StoredRunSummary> {
  const out = new Map<string, StoredRunSummary>();
  for (const run of runs) {
    if (run.status !== "finished" || !run.stepId || !steps.includes(run.stepId)) continue;
    const seen = out.get(run.stepId);
    if (!seen || Date.parse(run.startedAt) > Date.parse(seen.startedAt)) out.set(run.stepId, run);
  }
  return out;
}

/** One row from a run's report; a row without a run keeps only the broker's properties. */
export function measuredRow(row: ComparisonRow, run: Pick<StoredRun, "runId" | "report"> | undefined): MeasuredRow {
  const report: RunReport | undefined = run?.report;
  if (!run || !report) return { ...row };
  const seconds = report.durationMs / 1000;
  return {
    ...row,
    runId: run.runId,
    throughput: seconds > 0 ? report.ledger.consumed / seconds : 0,
    p50: report.latencyMs.p50,
    p99: report.latencyMs.p99,
    consumed: report.ledger.consumed,
    confirmed: report.ledger.confirmed,
    lost: report.ledger.lost,
    duplicated: report.ledger.duplicated,
    redelivered: Object.values(report.consumers).reduce((n, c) => n + c.redelivered, 0),
  };
}

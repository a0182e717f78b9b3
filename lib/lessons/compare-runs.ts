// The lessons' side-by-side steps and the two recorded runs each one compares (issue 17): a step
// run before and after a change the learner makes (the same step twice), a step that changes one
// setting of the step before it, and each broker's step of a lesson with a measured comparison
// table (lesson 34) beside the broker before it. The lesson panel offers "Compare these runs"
// (/runs/compare) once both runs are recorded. Pure: the runs come from the run history.
import type { StoredRunSummary } from "../runs/history";
import type { Lesson } from "./schema";

/**
 * "same": the step asks for a run as loaded, then another after a change (the two latest runs of
 * the step; with only one, the step before's run stands for "before" when it ran the same scenario).
 * "previous": the step changes one thing of the step before it; its run is compared with that one's.
 */
type Pairing = "same" | "previous";

const comparingSteps: Record<string, Record<string, Pairing>> = {
  // As loaded both pipelines race at once; the step asks for Kafka to start after RabbitMQ, and a run again.
  "choosing-a-broker": { race: "same" },
  // Run it as loaded (idempotent: false) if you like, then with idempotent: true.
  "duplicates-ordering": { "idempotent-consumer": "same" },
  // acks 0, then acks all, then the idempotent producer: each step one setting on from the last.
  "producer-guarantees": { "acks-all": "previous", idempotent: "previous" },
  // A transient queue, a durable one, persistent messages, a quorum queue: each survives a restart better.
  durability: { "durable-queue": "previous", "persistent-confirmed": "previous", "quorum-queue": "previous" },
};

export interface RunsToCompare {
  a: StoredRunSummary;
  b: StoredRunSummary;
  /** What each run is, for the link's explanation. */
  aIs: string;
  bIs: string;
}

const newestFirst = (p: StoredRunSummary, q: StoredRunSummary) => Date.parse(q.startedAt) - Date.parse(p.startedAt);

/** The finished runs of one step, newest first. */
const finishedRunsOf = (runs: readonly StoredRunSummary[], stepId: string) => runs.filter((run) => run.status === "finished" && run.stepId === stepId).sort(newestFirst);

/** Whether a step of this lesson compares two runs (so the panel may offer the comparison). */
export function stepComparesRuns(lesson: Pick<Lesson, "id" | "comparison">, stepId: string): boolean {
  return comparingSteps[lesson.id]?.[stepId] !== undefined || (lesson.comparison ?? []).some((row) => row.step === stepId);
}

/**
 * The two runs a step compares, A the earlier and B the step's latest finished run, from the
 * lesson's recorded runs (any order); undefined while either is missing or the step compares nothing.
 */
export function runsToCompare(lesson: Pick<Lesson, "id" | "steps" | "comparison">, stepId: string, runs: readonly StoredRunSummary[]): RunsToCompare | undefined {
  const [latest, earlier] = finishedRunsOf(runs, stepId);
  if (!latest) return undefined;
  const table = lesson.comparison ?? [];
  const row = table.findIndex((r) => r.step === stepId);
  if (row >= 0) {
    // The nearest broker before this one that has a run; for the first broker, the nearest after it.
    const others = [...table.slice(0, row).reverse(), ...table.slice(row + 1)];
    for (const other of others) {
      const [theirs] = finishedRunsOf(runs, other.step);
      if (theirs) return { a: theirs, b: latest, aIs: `your latest ${other.broker} run`, bIs: `your latest ${table[row]!.broker} run` };
    }
    return undefined;
  }
  const pairing = comparingSteps[lesson.id]?.[stepId];
  if (!pairing) return undefined;
  if (pairing === "same" && earlier) return { a: earlier, b: latest, aIs: "your run of this step before the latest (before your change)", bIs: "your latest run of this step" };
  const index = lesson.steps.findIndex((step) => step.id === stepId);
  const before = index > 0 ? lesson.steps[index - 1]! : undefined;
  const [previous] = before ? finishedRunsOf(runs, before.id) : [];
  const comparable = previous && (pairing === "previous" || previous.scenario === latest.scenario);
  return comparable && before ? { a: previous, b: latest, aIs: `your latest run of the step before, "${before.title}"`, bIs: "your latest run of this step" } : undefined;
}

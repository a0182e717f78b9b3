// The run's task table, as a task-queue dashboard shows it: one row per task with its state
// (pending → started → retried → … → succeeded | failed), attempts, results and timings. Events
// come from submitters and workers in different processes, so they may arrive out of order: a
// row takes the state of its furthest event (by attempt, then phase), never an older one.
import * as hdr from "hdr-histogram-js";
import { taskStates } from "../../../lib/run/patterns";
import type { PatternFrame, TaskEvent, TaskState, TaskSubmitterCounters, TasksView, TaskView, WorkerCounters } from "../../../lib/run/patterns";
import { summarize } from "../latency";
import { createCounterSlots } from "./slots";

const maxTasks = 10_000;
const recentTasks = 50;
const phase: Record<TaskEvent["kind"], number> = { submitted: 0, started: 1, retried: 2, succeeded: 3, failed: 3 };
const stateOf: Record<TaskEvent["kind"], TaskState> = { submitted: "pending", started: "started", retried: "retried", succeeded: "succeeded", failed: "failed" };

interface Row extends TaskView { rank: number; firstStartedAt?: number }

const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
const emptyCounts = (): Record<TaskState, number> => Object.fromEntries(taskStates.map((s) => [s, 0])) as Record<TaskState, number>;

export function createTaskBook() {
  const rows = new Map<string, Row>();
  const producers = createCounterSlots<TaskSubmitterCounters>();
  const workers = createCounterSlots<WorkerCounters>();
  let changed: string[] = [];
  let untracked = 0;

  function apply(event: TaskEvent): void {
    let row = rows.get(event.id);
    if (!row) {
      if (rows.size >= maxTasks) {
        untracked += 1;
        return;
      }
      row = { id: event.id, state: "pending", attempts: 0, retries: 0, results: 0, rank: -1 };
      rows.set(event.id, row);
    }
    row.job ??= event.job;
    if (event.traceId) row.traceId ??= event.traceId;
    if (event.callback) row.callback = true;
    switch (event.kind) {
      case "submitted":
        row.submittedAt = event.at;
        row.submittedBy = event.by;
        if (event.args !== undefined) row.args = event.args;
        break;
      case "started":
        row.attempts = Math.max(row.attempts, event.attempt);
        row.startedAt = event.at;
        row.firstStartedAt ??= event.at;
        row.worker = event.by;
        break;
      case "retried":
        row.retries += 1;
        row.error = event.error;
        break;
      case "succeeded":
        row.results += 1;
        row.result = event.result;
        row.finishedAt = event.at;
        delete row.error;
        break;
      case "failed":
        row.error = event.error;
        row.finishedAt = event.at;
        row.attempts = Math.max(row.attempts, event.attempt);
        break;
    }
    const rank = event.attempt * 4 + phase[event.kind];
    if (rank >= row.rank) {
      row.rank = rank;
      row.state = stateOf[event.kind];
    }
    changed.push(event.id);
  }

  const view = (row: Row): TaskView => {
    const { rank: _rank, firstStartedAt: _first, ...task } = row;
    return task;
  };

  return {
    frame(service: string, replica: number, frame: PatternFrame) {
      producers.set(service, replica, frame.taskProducers);
      workers.set(service, replica, frame.workers);
      for (const event of frame.taskEvents ?? []) apply(event);
    },
    exited(service: string, replica: number) {
      producers.exited(service, replica);
      workers.exited(service, replica);
    },
    get: (id: string) => rows.get(id),
    rows: () => rows.values(),
    /** Tasks still to finish (pending, started or waiting for a retry). */
    open(): number {
      let count = 0;
      for (const row of rows.values()) if (row.state !== "succeeded" && row.state !== "failed") count += 1;
      return count;
    },
    used: () => rows.size > 0 || Object.keys(producers.sum()).length > 0 || Object.keys(workers.sum()).length > 0,
    drained(): boolean {
      return this.open() === 0 && Object.values(producers.sum()).every((p) => p.done) && Object.values(workers.sum()).every((w) => w.inFlight === 0);
    },
    view(takeChanges: boolean): TasksView {
      const counts = emptyCounts();
      const byJob: Record<string, Record<TaskState, number>> = {};
      // Timings from the rows, since a submitter's event may arrive after the worker's.
      const runtime = newHistogram();
      const wait = newHistogram();
      const us = (ms: number) => Math.max(1, Math.round(ms * 1000));
      const results = { stored: 0, repeated: 0 };
      for (const row of rows.values()) {
        counts[row.state] += 1;
        if (row.results > 0) results.stored += 1;
        if (row.results > 1) results.repeated += 1;
        (byJob[row.job ?? "?"] ??= emptyCounts())[row.state] += 1;
        if (row.state !== "succeeded" && row.state !== "failed") continue;
        if (row.finishedAt !== undefined && row.startedAt !== undefined) runtime.recordValue(us(row.finishedAt - row.startedAt));
        if (row.submittedAt !== undefined && row.firstStartedAt !== undefined) wait.recordValue(us(row.firstStartedAt - row.submittedAt));
      }
      // The most recently changed tasks, each once, newest last.
      const ids: string[] = [];
      const seen = new Set<string>();
      for (let i = changed.length - 1; i >= 0 && ids.length < recentTasks; i--) {
        if (!seen.has(changed[i]!)) ids.push(changed[i]!);
        seen.add(changed[i]!);
      }
      ids.reverse();
      if (takeChanges || changed.length > 10_000) changed = ids;
      return {
        counts, total: rows.size + untracked, byJob,
        producers: producers.sum(),
        workers: workers.sum(),
        results,
        runtimeMs: summarize(runtime), waitMs: summarize(wait),
        recent: ids.map((id) => view(rows.get(id)!)),
      };
    },
    all: (): TaskView[] => [...rows.values()].map(view),
  };
}

export type TaskBook = ReturnType<typeof createTaskBook>;

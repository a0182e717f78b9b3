"use client";
// A task-queue dashboard: tasks by state (a bar and counts), by job, per worker, how long they ran
// and waited, and the latest tasks with their result or error, filterable by state.
import { useState } from "react";
import { taskStates } from "../../lib/run/patterns";
import type { TaskState, TaskView, TasksView as TasksData } from "../../lib/run/patterns";
import { arrowTarget } from "./arrow-keys";
import { CountTable } from "./count-table";
import { brief, count, latency } from "./format";
import { StatTiles } from "./stat-tiles";
import { TraceLink } from "./trace-link";

const stateTone: Record<TaskState, string> = { pending: "info", started: "send", retried: "warn", succeeded: "ok", failed: "bad" };

const maxRows = 12;
const filters = ["all", ...taskStates] as const;

interface Props {
  tasks: TasksData;
  /** Every task of a finished run (the report's `allTasks`): the filter then searches them all, not only the latest. */
  all?: TaskView[];
  onOpenTrace?: (traceId: string) => void;
}

export function TasksView({ tasks, all, onOpenTrace }: Props) {
  const [filter, setFilter] = useState<TaskState | "all">("all");
  const matching = (all ?? tasks.recent).filter((t) => filter === "all" || t.state === filter);
  const shown = matching.slice(-maxRows).reverse();
  const workers = Object.entries(tasks.workers);
  const jobs = Object.entries(tasks.byJob);
  const producers = Object.entries(tasks.producers);
  return (
    <div className="pattern-view" data-testid="pattern-tasks">
      <div className="pattern-bar" role="img" aria-label={taskStates.map((s) => `${count(tasks.counts[s])} ${s}`).join(", ")}>
        {taskStates.map((state) => (tasks.counts[state] > 0 ? (
          <span key={state} className={`pattern-bar__part pattern-bar__part--${stateTone[state]}`} style={{ flexGrow: tasks.counts[state] }} title={`${tasks.counts[state]} ${state}`} />
        ) : null))}
      </div>
      <StatTiles label="Tasks by state" stats={[
        { label: "Tasks", value: count(tasks.total) },
        ...taskStates.map((state) => ({
          label: state[0]!.toUpperCase() + state.slice(1),
          value: count(tasks.counts[state]),
          tone: state === "failed" && tasks.counts.failed > 0 ? "bad" as const : state === "succeeded" && tasks.counts.succeeded > 0 ? "good" as const : state === "retried" && tasks.counts.retried > 0 ? "warn" as const : "neutral" as const,
        })),
        { label: "Run time p50 / p99", value: latency(tasks.runtimeMs), title: "Started → finished, of finished tasks" },
        { label: "Wait p50 / p99", value: latency(tasks.waitMs), title: "Submitted → started" },
      ]} />
      <CountTable caption="Workers" head="Worker" rows={workers} columns={[
        { label: "Received", value: (w) => w.received },
        { label: "Started", value: (w) => w.started },
        { label: "Succeeded", value: (w) => w.succeeded },
        { label: "Failed", value: (w) => w.failed },
        { label: "Retried", value: (w) => w.retried },
        { label: "Timed out", value: (w) => w.timedOut },
        { label: "Running", value: (w) => w.inFlight, title: "Tasks this worker holds now" },
      ]} />
      <div className="pattern-columns">
        <CountTable caption="By job" head="Job" rows={jobs} columns={taskStates.map((state) => ({ label: state, value: (c: Record<TaskState, number>) => c[state] }))} />
        <CountTable caption="Submitters" head="Submitter" rows={producers} done={(p) => p.done} columns={[
          { label: "Submitted", value: (p) => p.submitted },
          { label: "Confirmed", value: (p) => p.confirmed },
          { label: "Failed", value: (p) => p.failed },
        ]} />
      </div>
      <div className="pattern-filter" role="radiogroup" aria-label="Show tasks" onKeyDown={(event) => {
        const next = arrowTarget(event, filters.indexOf(filter), filters.length);
        if (next === undefined) return;
        setFilter(filters[next]!);
        (event.currentTarget.children[next] as HTMLElement | undefined)?.focus();
      }}>
        {filters.map((state) => (
          <button key={state} type="button" role="radio" aria-checked={filter === state} tabIndex={filter === state ? 0 : -1} className={`pattern-chip ${filter === state ? "is-on" : ""}`} onClick={() => setFilter(state)}>
            {state}
          </button>
        ))}
      </div>
      {shown.length > 0 ? (
        <table className="pattern-table">
          <caption className={all && matching.length > maxRows ? "pattern-table__note" : "visually-hidden"}>
            {all ? `The last ${Math.min(maxRows, matching.length)} of ${count(matching.length)}${filter === "all" ? "" : ` ${filter}`} tasks of the run` : "Latest tasks"}
          </caption>
          <thead><tr><th scope="col">Task</th><th scope="col">Job</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Worker</th><th scope="col">Result or error</th><th scope="col">Trace</th></tr></thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.id} data-testid={`task-${t.id}`}>
                <td><code>{t.id}</code></td>
                <td>{t.job ?? "–"}</td>
                <td><span className={`pattern-badge pattern-badge--${stateTone[t.state]}`}>{t.state}</span>{t.results > 1 ? <span className="pattern-badge pattern-badge--bad" title="More than one result was recorded for this task">×{t.results}</span> : null}</td>
                <td>{t.attempts}{t.retries > 0 ? <span className="muted"> ({t.retries} retried)</span> : null}</td>
                <td>{t.worker ?? "–"}</td>
                <td className="pattern-table__wide" title={t.error ?? brief(t.result, 2_000)}>{t.error ? <span className="pattern-error">{brief(t.error)}</span> : <code>{brief(t.result, 48)}</code>}</td>
                <td><TraceLink traceId={t.traceId} onOpenTrace={onOpenTrace} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">{filter === "all" ? "No task yet: submitters put tasks on the queue as the run starts, and workers pick them up." : `No ${filter} task${all ? " in this run" : " among the latest"}.`}</p>}
    </div>
  );
}

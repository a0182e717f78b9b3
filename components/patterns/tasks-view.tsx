"use client";
// A task-queue dashboard: tasks by state (a bar and counts), by job, per worker, how long they ran
// and waited, and the latest tasks with their result or error, filterable by state.
import { useState } from "react";
import { taskStates } from "../../lib/run/patterns";
import type { TaskState, TasksView as TasksData } from "../../lib/run/patterns";
import { brief, count, latency } from "./format";
import { StatTiles } from "./stat-tiles";
import { TraceLink } from "./trace-link";

const stateTone: Record<TaskState, string> = { pending: "info", started: "send", retried: "warn", succeeded: "ok", failed: "bad" };

export function TasksView({ tasks, onOpenTrace }: { tasks: TasksData; onOpenTrace?: (traceId: string) => void }) {
  const [filter, setFilter] = useState<TaskState | "all">("all");
  const shown = tasks.recent.filter((t) => filter === "all" || t.state === filter).slice(-12).reverse();
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
      <div className="pattern-columns">
        {jobs.length > 0 ? (
          <table className="pattern-table">
            <caption>By job</caption>
            <thead><tr><th scope="col">Job</th>{taskStates.map((s) => <th key={s} scope="col">{s}</th>)}</tr></thead>
            <tbody>{jobs.map(([job, counts]) => <tr key={job}><th scope="row">{job}</th>{taskStates.map((s) => <td key={s}>{count(counts[s])}</td>)}</tr>)}</tbody>
          </table>
        ) : null}
        {workers.length > 0 ? (
          <table className="pattern-table">
            <caption>Workers</caption>
            <thead><tr><th scope="col">Worker</th><th scope="col">Received</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Retried</th><th scope="col">Timed out</th><th scope="col">Running</th></tr></thead>
            <tbody>
              {workers.map(([key, w]) => (
                <tr key={key}><th scope="row">{key}</th><td>{count(w.received)}</td><td>{count(w.succeeded)}</td><td>{count(w.failed)}</td><td>{count(w.retried)}</td><td>{count(w.timedOut)}</td><td>{count(w.inFlight)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {producers.length > 0 ? (
          <table className="pattern-table">
            <caption>Submitters</caption>
            <thead><tr><th scope="col">Submitter</th><th scope="col">Submitted</th><th scope="col">Confirmed</th><th scope="col">Failed</th></tr></thead>
            <tbody>{producers.map(([key, p]) => <tr key={key}><th scope="row">{key}{p.done ? <span className="muted"> · done</span> : null}</th><td>{count(p.submitted)}</td><td>{count(p.confirmed)}</td><td>{count(p.failed)}</td></tr>)}</tbody>
          </table>
        ) : null}
      </div>
      <div className="pattern-filter" role="radiogroup" aria-label="Show tasks">
        {(["all", ...taskStates] as const).map((state) => (
          <button key={state} type="button" role="radio" aria-checked={filter === state} className={`pattern-chip ${filter === state ? "is-on" : ""}`} onClick={() => setFilter(state)}>
            {state}
          </button>
        ))}
      </div>
      {shown.length > 0 ? (
        <table className="pattern-table">
          <caption className="visually-hidden">Latest tasks</caption>
          <thead><tr><th scope="col">Task</th><th scope="col">Job</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Worker</th><th scope="col">Result or error</th><th scope="col">Trace</th></tr></thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.id} data-testid={`task-${t.id}`}>
                <td><code>{t.id}</code></td>
                <td>{t.job ?? "–"}</td>
                <td><span className={`pattern-badge pattern-badge--${stateTone[t.state]}`}>{t.state}</span>{t.results > 1 ? <span className="pattern-badge pattern-badge--bad" title="More than one result was recorded for this task">×{t.results}</span> : null}</td>
                <td>{t.attempts}{t.retries > 0 ? <span className="muted"> ({t.retries} retried)</span> : null}</td>
                <td>{t.worker ?? "–"}</td>
                <td className="pattern-table__wide">{t.error ? <span className="pattern-error">{brief(t.error)}</span> : <code>{brief(t.result)}</code>}</td>
                <td><TraceLink traceId={t.traceId} onOpenTrace={onOpenTrace} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">{filter === "all" ? "No task yet." : `No ${filter} task among the latest.`}</p>}
    </div>
  );
}

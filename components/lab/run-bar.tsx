"use client";
// Start, stop and reset the run, with its status, progress while it starts (resources are
// declared and processes spawned, which takes a few seconds), the link to its traces and, once it
// ended, to its recording in the run history.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useRun } from "../../lib/client/use-run";
import type { RunStatus } from "../../lib/run/model";

export const runLengths = [
  { value: 0, label: "until drained" },
  { value: 30, label: "30 s" },
  { value: 60, label: "1 min" },
  { value: 300, label: "5 min" },
  { value: 900, label: "15 min" },
];

const statusWords: Record<RunStatus | "idle", string> = {
  idle: "Not running", starting: "Starting…", running: "Running", stopping: "Stopping…", finished: "Finished", failed: "Failed",
};

export interface RunBarProps {
  /** Why the scenario cannot start, or undefined when it can. */
  blocked: string | undefined;
  duration: number;
  onDuration(seconds: number): void;
  onStart(): void;
  onStop(): void;
  onReset(): void;
  /** The Jaeger search for this run; undefined when no Jaeger UI answers to open it. */
  tracesUrl: string | undefined;
  editedSinceStart: boolean;
  /** The tracing switch and the help, at the bar's end. */
  end?: ReactNode;
}

function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function RunBar({ blocked, duration, onDuration, onStart, onStop, onReset, tracesUrl, editedSinceStart, end }: RunBarProps) {
  const phase = useRun((v) => v.phase);
  const status = useRun((v) => v.status);
  const runId = useRun((v) => v.runId);
  const startingSince = useRun((v) => v.startingSince);
  const elapsedMs = useRun((v) => v.frames[v.frames.length - 1]?.elapsedMs);
  const now = useTicker(phase === "starting");
  const shown: RunStatus | "idle" = phase === "starting" ? "starting" : status ?? "idle";
  const active = shown === "starting" || shown === "running" || shown === "stopping";
  const startingFor = startingSince ? Math.max(0, (now - startingSince) / 1000) : 0;

  return (
    <section className="lab-runbar" role="toolbar" aria-label="Run">
      <span className={`lab-pill lab-pill--${shown}`} data-testid="run-status" data-status={shown} role="status">
        <span className="lab-pill__dot" aria-hidden="true" />
        {statusWords[shown]}
        {shown === "running" && elapsedMs !== undefined ? <span className="lab-pill__time">{(elapsedMs / 1000).toFixed(1)} s</span> : null}
      </span>
      <div className="lab-runbar__buttons">
        {active ? (
          <button type="button" className="button button--stop" onClick={onStop} disabled={shown !== "running"} data-testid="stop-run">■ Stop</button>
        ) : (
          <button type="button" className="button button--run" onClick={onStart} disabled={Boolean(blocked)} data-testid="start-run" title={blocked ?? "Run the scenario on the real brokers (Ctrl+Enter)"}>
            ▶ {status ? "Run again" : "Start"}
          </button>
        )}
        <button type="button" className="button" onClick={onReset} disabled={!runId && phase === "idle"} title="Stop the run and clear what it showed" data-testid="reset-run">Reset</button>
        <label className="lab-runbar__length">
          <span>Run</span>
          <select className="lab-input lab-select" value={duration} onChange={(e) => onDuration(Number(e.target.value))} disabled={active} data-testid="run-length">
            {runLengths.map((l) => <option key={l.value} value={l.value}>{l.label}</option>)}
          </select>
        </label>
      </div>
      {shown === "starting" ? (
        <div className="lab-progress" role="progressbar" aria-label="Starting the run" aria-valuetext={`${startingFor.toFixed(0)} seconds`}>
          <div className="lab-progress__bar" />
          <span className="lab-progress__text">
            {startingFor < 1.5 ? "Declaring queues, exchanges and topics on the brokers…" : "Starting one process per service replica and connecting them…"} {startingFor.toFixed(0)} s
          </span>
        </div>
      ) : blocked && !active ? (
        <p className="lab-runbar__blocked" data-testid="start-blocked">
          <b>Can’t start yet:</b> {blocked}
        </p>
      ) : null}
      {runId ? (
        <div className="lab-runbar__run">
          <span className="lab-runbar__id" title="Open this page's address in another browser to watch the same run">
            run <code data-testid="run-id">{runId}</code>
          </span>
          <Link href={`/traces?run=${encodeURIComponent(runId)}`} target="_blank" className="lab-runbar__traces" data-testid="run-traces" title="Search, open and compare this run's traces in Brokerlab">
            Traces ↗
          </Link>
          {shown === "finished" || shown === "failed" ? (
            <Link href={`/runs/${encodeURIComponent(runId)}`} target="_blank" className="lab-runbar__traces" data-testid="open-in-history" title="Replay this run, scrub its timeline and compare it with another">
              Open in history ↗
            </Link>
          ) : null}
          {tracesUrl ? (
            <a href={tracesUrl} target="_blank" rel="noreferrer" className="lab-runbar__traces" data-testid="jaeger-search" title="All traces of this run in Jaeger">
              Traces in Jaeger ↗
            </a>
          ) : null}
          {editedSinceStart && active ? <span className="lab-runbar__note">Edits apply to the next run.</span> : null}
        </div>
      ) : null}
      <div className="lab-runbar__end">{end}</div>
    </section>
  );
}

"use client";
// The lesson's own run panel: the scenario, Start / Stop / Show me, the live counters, and the
// services with a Kill or Start button per replica, so a lesson works without the lab.
import Link from "next/link";
import type { LessonRunView } from "../../lib/client/lessons-run";
import { useJaegerUiUrl } from "../../lib/client/use-jaeger-ui";
import type { ReplicaStatus } from "../../lib/run/model";
import { PatternsPanel } from "../patterns/patterns-panel";
import type { ReplayFrom } from "../../lib/run/patterns";
import { RunCounters } from "./run-counters";
import { RunJump } from "./run-jump";
import { ScenarioEditor } from "./scenario-editor";

interface Props {
  run: LessonRunView;
  text: string;
  onText: (text: string) => void;
  onStart: () => void;
  onShowMe: () => void;
  onReset: () => void;
  onStop: () => void;
  onFault: (action: "kill" | "start", service: string, replica?: number) => void;
  onReplay: (service: string, projection: string, from?: ReplayFrom) => void;
  /** Why Start is not allowed yet (a prediction to answer first). */
  blocked?: string;
  busy: boolean;
  durationSeconds?: number;
}

const statusWords: Record<string, string> = { idle: "No run yet", starting: "Starting", running: "Running", stopping: "Stopping", finished: "Finished", failed: "Failed" };

const live = (state: ReplicaStatus["state"]) => state === "running" || state === "starting" || state === "paused";

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function RunPanel(props: Props) {
  const { run, blocked, busy } = props;
  const active = run.status === "running" || run.status === "starting" || run.status === "stopping";
  const status = run.starting ? "starting" : (run.status ?? "idle");
  const services = run.frame ? Object.entries(run.frame.services) : [];
  const patterns = run.report?.patterns ?? run.frame?.patterns;
  // Only a real Jaeger UI can show the search; without one, Brokerlab's own views are all there is.
  const jaegerSearch = useJaegerUiUrl() ? run.report?.traces.searchUrl : undefined;
  return (
    <aside className="lesson-run" aria-labelledby="run-heading" data-testid="run-panel">
      <RunJump status={statusWords[status] ?? status} />
      <header className="lesson-run__head">
        <h2 id="run-heading" tabIndex={-1}>Run</h2>
        <span className={`lesson-run__status lesson-run__status--${status}`} data-testid="run-status" data-status={status}>
          <span className="status-dot" aria-hidden="true" />
          {statusWords[status] ?? status}
          {run.frame && status !== "idle" && !run.starting ? <span className="lesson-run__elapsed"> · {seconds(run.frame.elapsedMs)}</span> : null}
        </span>
      </header>

      <ScenarioEditor text={props.text} onChange={props.onText} disabled={run.starting} />

      <div className="lesson-run__actions">
        <button type="button" className="button lesson-button--primary" data-testid="run-start" disabled={busy || run.starting || Boolean(blocked)} onClick={props.onStart}>
          {run.starting ? "Starting…" : "Start"}
        </button>
        <button type="button" className="button" data-testid="run-stop" disabled={!active || !run.runId} onClick={props.onStop}>
          Stop
        </button>
        <button type="button" className="button" data-testid="show-me" disabled={busy || run.starting || Boolean(blocked)} onClick={props.onShowMe} title="Load this step's solution and start it">
          Show me
        </button>
        <button type="button" className="lesson-link-button" onClick={props.onReset} title="Load this step's scenario again">
          Reset scenario
        </button>
      </div>
      {blocked ? <p className="lesson-run__note" data-testid="run-blocked">{blocked}</p> : null}
      {props.durationSeconds ? <p className="lesson-run__note">Runs of this step last {props.durationSeconds} s.</p> : null}
      {run.error ? (
        <div className="notice notice--error lesson-run__error" role="alert" data-testid="run-error" data-code={run.error.code}>
          <strong>{run.error.code}</strong>: {run.error.message}
        </div>
      ) : null}

      {run.runId ? (
        <div className="lesson-run__live">
          <p className="lesson-run__id">
            Run <code data-testid="run-id">{run.runId}</code>
          </p>
          {services.length > 0 ? (
            <ul className="lesson-services" aria-label="Services">
              {services.map(([service, replicas]) => (
                <li key={service} className="lesson-service" data-testid={`service-${service}`}>
                  <span className="lesson-service__name">{service}</span>
                  <span className="lesson-service__replicas">
                    {replicas.map((r) => (
                      <span key={r.replica} className={`lesson-replica lesson-replica--${r.state}`} data-testid={`replica-${service}-${r.replica}`} data-state={r.state}>
                        {replicas.length > 1 ? <span className="lesson-replica__index">#{r.replica}</span> : null}
                        <span className="lesson-replica__state">{r.state}</span>
                        {active ? (
                          live(r.state) ? (
                            <button type="button" className="lesson-replica__button" aria-label={`Kill ${service}${replicas.length > 1 ? ` #${r.replica}` : ""}`} onClick={() => props.onFault("kill", service, replicas.length > 1 ? r.replica : undefined)}>
                              Kill
                            </button>
                          ) : (
                            <button type="button" className="lesson-replica__button" aria-label={`Start ${service}${replicas.length > 1 ? ` #${r.replica}` : ""}`} onClick={() => props.onFault("start", service, replicas.length > 1 ? r.replica : undefined)}>
                              Start
                            </button>
                          )
                        ) : null}
                      </span>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {run.frame ? <RunCounters frame={run.frame} /> : <p className="muted">Waiting for the first frame…</p>}
          {patterns ? <PatternsPanel patterns={patterns} {...(active ? { onReplay: props.onReplay } : {})} /> : null}
          <p className="lesson-run__links">
            <Link href={`/lab?run=${encodeURIComponent(run.runId)}`} data-testid="open-in-lab">
              Open in the lab →
            </Link>
            <Link href={`/traces?run=${encodeURIComponent(run.runId)}`} data-testid="run-traces">
              This run&apos;s traces →
            </Link>
            {jaegerSearch ? (
              <a href={jaegerSearch} target="_blank" rel="noreferrer" data-testid="jaeger-search">
                This run in Jaeger ↗
              </a>
            ) : null}
          </p>
        </div>
      ) : (
        <p className="lesson-run__empty">Press Start to run the scenario on the real brokers, or Show me to load the step&apos;s solution and run it.</p>
      )}
    </aside>
  );
}

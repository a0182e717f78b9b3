"use client";
// Under the canvas: the run's ledger, charts over time and live message log; a message opens its
// flight recorder, and from there its trace, drawn from Jaeger. Faults live beside the canvas
// (the sidebar's Faults tab), where the services they act on are.
import { useEffect, useRef, useState } from "react";
import { runStore, useRun } from "../../lib/client/use-run";
import type { ReplayFrom } from "../../lib/run/patterns";
import { PatternsPanel } from "../patterns/patterns-panel";
import { FlightRecorder } from "../run/flight-recorder";
import { LedgerCounters } from "../run/ledger-counters";
import { MessageLog } from "../run/message-log";
import { RunCharts } from "../run/run-charts";
import { RunResourcesNote } from "../run/run-resources";
import { TraceTimeline } from "../run/trace-timeline";

export function RunPanel({ jaegerUiUrl }: { jaegerUiUrl?: string }) {
  const runId = useRun((v) => v.runId);
  const frames = useRun((v) => v.frames);
  const events = useRun((v) => v.events);
  const report = useRun((v) => v.report);
  const status = useRun((v) => v.status);
  const [replayError, setReplayError] = useState<string>();
  const [messageId, setMessageId] = useState<string>();
  const [traceId, setTraceId] = useState<string>();

  const traceHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setMessageId(undefined);
    setTraceId(undefined);
  }, [runId]);

  // The trace opens below the log, often off-screen: bring it into view and move focus to it.
  useEffect(() => {
    const heading = traceHeading.current;
    if (!traceId || !heading) return;
    heading.scrollIntoView({ behavior: "smooth", block: "start" });
    heading.focus({ preventScroll: true });
  }, [traceId]);

  if (!runId) {
    return (
      <section className="lab-runpanel lab-runpanel--idle" aria-label="Run results">
        <h2>Watch the run</h2>
        <p className="muted">
          Press <b>Start</b> and this space fills with the ledger (confirmed, consumed, lost, duplicated), charts of throughput,
          latency (queue wait vs processing), depth and lag, and a live log of messages. Click a message to follow it through the
          system and open its trace. A scenario with request/reply, task queues, webhooks or event sourcing (load one of those
          examples) also gets a <b>Patterns</b> section: replies, a task dashboard, callbacks, projections and their replay.
        </p>
      </section>
    );
  }
  const last = frames[frames.length - 1];
  const notes = report?.errors;
  // Once the run is over, the report's patterns: every endpoint that served, and every task.
  const patterns = report?.patterns ?? last?.patterns;
  return (
    <section className="lab-runpanel" aria-label="Run results" data-testid="run-panel">
      <LedgerCounters frame={last} />
      {patterns ? (
        <PatternsPanel
          patterns={patterns}
          onOpenTrace={(id) => (setMessageId(undefined), setTraceId(id))}
          {...(status === "running" ? {
            onReplay: (service: string, projection: string, from?: ReplayFrom) => {
              setReplayError(undefined);
              void runStore.replay({ service, projection, ...(from ? { from } : {}) }).then((answer) => { if ("error" in answer) setReplayError(answer.error.message); });
            },
          } : {})}
        />
      ) : null}
      {replayError ? <p className="lab-runpanel__error" role="alert">{replayError}</p> : null}
      <RunCharts frames={frames} />
      <div className={`lab-runpanel__messages ${messageId ? "has-detail" : ""}`}>
        <div className="lab-runpanel__log">
          <MessageLog events={events} onSelect={(id) => (setMessageId(id), setTraceId(undefined))} />
        </div>
        {messageId ? (
          <div className="lab-runpanel__detail">
            <FlightRecorder runId={runId} messageId={messageId} onOpenTrace={setTraceId} onClose={() => (setMessageId(undefined), setTraceId(undefined))} />
          </div>
        ) : null}
      </div>
      {traceId ? (
        <div className="lab-runpanel__trace" data-testid="trace-panel">
          <div className="lab-runpanel__trace-head">
            <h3 ref={traceHeading} tabIndex={-1} data-testid="trace-heading">Trace <code>{traceId}</code></h3>
            <button type="button" className="button button--small" onClick={() => setTraceId(undefined)}>Close trace</button>
          </div>
          <TraceTimeline traceId={traceId} {...(jaegerUiUrl ? { jaegerUiUrl } : {})} />
        </div>
      ) : null}
      <RunResourcesNote resources={report?.resources} />
      {notes && notes.length > 0 ? (
        <details className="lab-runpanel__notes">
          <summary>Run notes ({notes.length})</summary>
          <ul>{notes.map((n, i) => <li key={i}><code>{n}</code></li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}

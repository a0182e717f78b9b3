"use client";
// The two runs' traces: a link to each run's traces in the trace explorer, and one typical trace of
// each (found through the explorer's search by run id) opened side by side in its comparison.
import Link from "next/link";
import { useEffect, useState } from "react";
import { searchTraces } from "../../lib/client/trace-search";
import { lookbackFor, representativePair } from "../../lib/runs/representative-trace";
import type { StoredRunSummary } from "../../lib/runs/history";
import type { TraceSummary } from "../../lib/trace/trace-search";
import { durationText } from "../run/event-kinds";

type Found = { ok: true; traces: TraceSummary[] } | { ok: false; message: string };

/** A run's traces from the explorer's search; a run past Jaeger's reach answers none, saying so. */
async function tracesOf(run: StoredRunSummary, signal: AbortSignal): Promise<Found> {
  const lookback = lookbackFor(run.startedAt, Date.now());
  if (!lookback) return { ok: false, message: "started more than two days ago, further back than the trace search reaches" };
  const outcome = await searchTraces(new URLSearchParams({ run: run.runId, lookback, limit: "50" }), signal);
  return outcome.ok ? { ok: true, traces: outcome.result.traces } : { ok: false, message: outcome.error.message };
}

function Typical({ side, run, found, trace }: { side: "A" | "B"; run: StoredRunSummary; found: Found | undefined; trace: TraceSummary | undefined }) {
  let line: string;
  if (!found) line = "searching…";
  else if (!found.ok) line = found.message;
  else if (!trace) line = "no traces found (tracing was off, or Jaeger no longer holds them)";
  else line = `${found.traces.length} found; typical: ${trace.root}, ${trace.services.length} service${trace.services.length === 1 ? "" : "s"}, ${durationText(trace.duration / 1000)}`;
  return (
    <li data-testid={`compare-traces-${side}`}>
      <b>{side}</b>: <Link href={`/traces?run=${encodeURIComponent(run.runId)}`} data-testid={`run-traces-${side}`}>its traces in the explorer</Link> · <span className="muted">{line}</span>
    </li>
  );
}

export function CompareTraces({ a, b }: { a: StoredRunSummary; b: StoredRunSummary }) {
  const [found, setFound] = useState<[Found, Found]>();

  useEffect(() => {
    const abort = new AbortController();
    setFound(undefined);
    void Promise.all([tracesOf(a, abort.signal), tracesOf(b, abort.signal)])
      .then(setFound)
      .catch((error: unknown) => {
        if ((error as Error).name !== "AbortError") throw error;
      });
    return () => abort.abort();
  }, [a, b]);

  const [left, right] = found ?? [];
  const pair = representativePair(left?.ok ? left.traces : [], right?.ok ? right.traces : []);
  return (
    <section className="compare-traces" aria-labelledby="compare-traces-title" data-testid="compare-traces">
      <h3 className="run-heading" id="compare-traces-title">Traces</h3>
      <ul>
        <Typical side="A" run={a} found={left} trace={pair.a} />
        <Typical side="B" run={b} found={right} trace={pair.b} />
      </ul>
      {pair.a && pair.b ? (
        <Link className="button" href={`/traces/compare?a=${encodeURIComponent(pair.a.traceId)}&b=${encodeURIComponent(pair.b.traceId)}`} data-testid="compare-typical-traces">
          Compare a typical trace of each run
        </Link>
      ) : found ? (
        <p className="muted">A trace comparison needs a trace of each run.</p>
      ) : null}
    </section>
  );
}

"use client";
// /traces: the search form, then the traces found (through GET /api/traces, which asks the
// configured Jaeger) and the service graph of them; errors say what to fix or start.
import { useEffect, useState } from "react";
import { searchTraces } from "../../lib/client/trace-search";
import type { TraceSearchOutcome } from "../../lib/client/trace-search";
import { ServiceGraphTable } from "./service-graph-table";
import { TraceList } from "./trace-list";
import { TraceSearchForm } from "./trace-search-form";
import type { SearchFields } from "./trace-search-form";

export function TraceExplorer({ fields }: { fields: SearchFields }) {
  const query = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === "string")).toString();
  const [outcome, setOutcome] = useState<TraceSearchOutcome>();
  useEffect(() => {
    const abort = new AbortController();
    setOutcome(undefined);
    searchTraces(new URLSearchParams(query), abort.signal).then(setOutcome, () => undefined);
    return () => abort.abort();
  }, [query]);
  return (
    <main className="page traces-page">
      <h1 className="traces-page__title">Traces</h1>
      <p className="muted">Find a run&apos;s traces in Jaeger, open one on its timeline, or pick two and compare them. Each condition must hold on one span of the trace.</p>
      <TraceSearchForm fields={fields} />
      {!outcome ? <p className="muted" role="status">Searching Jaeger…</p> : null}
      {outcome && !outcome.ok ? (
        <div className="notice notice--error" role="alert" data-testid="search-error">
          <p>{outcome.error.message}</p>
          {outcome.error.code === "TRACING_UNAVAILABLE" ? <p>Is Jaeger running? <code>npm run stack:up -- jaeger</code> starts it.</p> : null}
        </div>
      ) : null}
      {outcome?.ok && outcome.result.traces.length === 0 ? (
        <p className="notice" role="status" data-testid="search-empty">No trace matches in {outcome.result.services.length} service{outcome.result.services.length === 1 ? "" : "s"}. Spans reach Jaeger a few seconds after their messages; widen the time or drop a condition.</p>
      ) : null}
      {outcome?.ok && outcome.result.traces.length > 0 ? (
        <>
          <TraceList traces={outcome.result.traces} />
          <ServiceGraphTable graph={outcome.result.graph} />
        </>
      ) : null}
    </main>
  );
}

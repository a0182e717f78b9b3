"use client";
// The traces a search found: one row each (id, root span, services, duration, spans, errors),
// sortable by start, duration or span count; a row's id opens its timeline, and two picked rows
// open side by side in the comparison. Rows are links and checkboxes, so the keyboard reaches all.
import Link from "next/link";
import { useMemo, useState } from "react";
import { sortTraces } from "../../lib/trace/trace-search";
import type { TraceSortKey, TraceSummary } from "../../lib/trace/trace-search";
import { durationText } from "../run/event-kinds";

const columns: { key: TraceSortKey; label: string }[] = [
  { key: "start", label: "Started" },
  { key: "duration", label: "Duration" },
  { key: "spans", label: "Spans" },
];

export function TraceList({ traces }: { traces: TraceSummary[] }) {
  const [sortBy, setSortBy] = useState<TraceSortKey>("start");
  const [picked, setPicked] = useState<string[]>([]);
  const sorted = useMemo(() => sortTraces(traces, sortBy), [traces, sortBy]);
  const toggle = (id: string) => setPicked((now) => (now.includes(id) ? now.filter((p) => p !== id) : [...now, id].slice(-2)));
  const compareHref = picked.length === 2 ? `/traces/compare?a=${picked[0]}&b=${picked[1]}` : undefined;
  return (
    <section aria-labelledby="traces-list-heading" data-testid="trace-list">
      <div className="traces-list__head">
        <h2 id="traces-list-heading">{traces.length} trace{traces.length === 1 ? "" : "s"}</h2>
        <span className="traces-list__sort" role="group" aria-label="Sort by">
          Sort by
          {columns.map((c) => (
            <button key={c.key} type="button" className={`button button--small${sortBy === c.key ? " is-active" : ""}`} aria-pressed={sortBy === c.key} onClick={() => setSortBy(c.key)} data-testid={`sort-${c.key}`}>
              {c.label}
            </button>
          ))}
        </span>
        {compareHref ? (
          <Link className="button button--primary" href={compareHref} data-testid="compare-picked">Compare the two picked</Link>
        ) : (
          <span className="muted" data-testid="compare-hint">Pick two traces to compare them ({picked.length} of 2).</span>
        )}
      </div>
      <table className="traces-table">
        <thead>
          <tr>
            <th scope="col">Pick</th><th scope="col">Trace</th><th scope="col">Root span</th><th scope="col">Services</th>
            <th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Spans</th><th scope="col"><span className="visually-hidden">Errors</span></th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((t) => (
            <tr key={t.traceId} data-testid="trace-row" data-trace={t.traceId} className={picked.includes(t.traceId) ? "is-picked" : undefined}>
              <td><input type="checkbox" checked={picked.includes(t.traceId)} onChange={() => toggle(t.traceId)} aria-label={`Pick trace ${t.traceId.slice(0, 8)} to compare`} data-testid="pick-trace" /></td>
              <td><Link href={`/traces/${t.traceId}`} data-testid="open-trace"><code>{t.traceId.slice(0, 12)}</code></Link></td>
              <td className="traces-table__root" title={t.root}>{t.root}</td>
              <td>{t.services.join(", ")}</td>
              <td>{new Date(t.start / 1000).toLocaleTimeString()}</td>
              <td>{durationText(t.duration / 1000)}</td>
              <td>{t.spans}</td>
              <td>{t.errors > 0 ? <span className="span-error-badge">{t.errors} error{t.errors === 1 ? "" : "s"}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

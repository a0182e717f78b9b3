"use client";
// Two traces side by side (/traces/compare?a=…&b=…): spans matched by service, operation and depth,
// each pair's durations and the difference, spans found in one trace only and changed structure
// marked, e.g. the same message before and after a link fault.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { ErrorPayload } from "../../lib/errors";
import { compareTraces } from "../../lib/trace/compare-traces";
import type { ComparisonRow } from "../../lib/trace/compare-traces";
import { durationText } from "../run/event-kinds";
import { fetchTrace } from "../run/trace-data";
import type { Trace } from "../run/trace-data";

type State = { phase: "loading" } | { phase: "ready"; a: Trace; b: Trace } | { phase: "failed"; which: "A" | "B"; error: ErrorPayload };

const ms = (us: number) => durationText(us / 1000);
const signed = (us: number) => `${us > 0 ? "+" : us < 0 ? "−" : "±"}${ms(Math.abs(us))}`;

function rowClass(row: ComparisonRow): string {
  if (!row.b) return "is-only-a";
  if (!row.a) return "is-only-b";
  return row.structure ? "is-moved" : "";
}

export function TraceCompare({ a, b }: { a: string; b: string }) {
  const [state, setState] = useState<State>({ phase: "loading" });
  useEffect(() => {
    const abort = new AbortController();
    setState({ phase: "loading" });
    Promise.all([fetchTrace(a, abort.signal), fetchTrace(b, abort.signal)]).then(([ra, rb]) => {
      if (!ra.ok) setState({ phase: "failed", which: "A", error: ra.error });
      else if (!rb.ok) setState({ phase: "failed", which: "B", error: rb.error });
      else setState({ phase: "ready", a: ra.trace, b: rb.trace });
    }, () => undefined);
    return () => abort.abort();
  }, [a, b]);
  const comparison = useMemo(() => (state.phase === "ready" ? compareTraces(state.a, state.b) : undefined), [state]);

  if (state.phase === "loading") return <p className="muted" role="status">Loading both traces…</p>;
  if (state.phase === "failed") return <div className="notice notice--error" role="alert"><p>Trace {state.which}: {state.error.message}</p></div>;
  if (!comparison) return null;
  return (
    <section className="trace-compare" aria-label="Comparison of two traces" data-testid="trace-compare">
      <dl className="trace-compare__totals">
        {(["a", "b"] as const).map((side) => (
          <div key={side}>
            <dt>{side.toUpperCase()}: <Link href={`/traces/${comparison[side].traceId}`}><code>{comparison[side].traceId.slice(0, 12)}</code></Link></dt>
            <dd>{comparison[side].spans} spans over {ms(comparison[side].duration)} · {comparison[side].services.join(", ")}</dd>
          </div>
        ))}
        <div>
          <dt>Difference</dt>
          <dd data-testid="compare-summary">{signed(comparison.b.duration - comparison.a.duration)} end to end · {comparison.matched} matched, {comparison.onlyA} only in A, {comparison.onlyB} only in B, {comparison.structural} structural</dd>
        </div>
      </dl>
      <table className="traces-table trace-compare__table">
        <thead>
          <tr><th scope="col">Service</th><th scope="col">Span</th><th scope="col">A</th><th scope="col">B</th><th scope="col">B − A</th><th scope="col">Structure</th></tr>
        </thead>
        <tbody>
          {comparison.rows.map((row) => (
            <tr key={`${row.a?.spanId ?? ""}-${row.b?.spanId ?? ""}`} className={rowClass(row)} data-testid="compare-row">
              <td>{row.service}</td>
              <td style={{ paddingLeft: `${row.depth * 16 + 8}px` }}>{row.depth > 0 ? "└ " : ""}{row.operation}</td>
              <td>{row.a ? ms(row.a.duration) : <span className="trace-compare__missing">only in B</span>}</td>
              <td>{row.b ? ms(row.b.duration) : <span className="trace-compare__missing">only in A</span>}</td>
              <td className={row.delta && row.delta > 0 ? "is-slower" : row.delta && row.delta < 0 ? "is-faster" : undefined}>{row.delta !== undefined ? signed(row.delta) : ""}</td>
              <td>{row.structure ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

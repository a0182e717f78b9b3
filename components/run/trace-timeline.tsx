"use client";
// A trace drawn by Brokerlab itself from Jaeger's query API (through GET /api/traces/:id), so it is
// visible even where the Jaeger UI is not installed: one row per span on a shared time axis,
// indented under its parent, coloured by service, with PRODUCER/CONSUMER badges; links are shown
// apart from the parent and can be followed to the linked trace. Click a span for its attributes.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CSSProperties, KeyboardEvent } from "react";
import type { ErrorPayload } from "../../lib/errors";
import { criticalPath } from "../../lib/trace/trace-tree";
import { durationText } from "./event-kinds";
import { fetchTrace, layoutTrace, serviceColor } from "./trace-data";
import type { Trace, TraceLayout } from "./trace-data";
import { TraceConventions } from "./trace-conventions";
import { SpanDetails } from "./trace-span-details";
import "./run.css";

const waitEveryMs = 1500;
const maxWaits = 12;
const settleEveryMs = 2000;
const maxSettles = 3;

type State =
  | { phase: "loading"; waits: number }
  | { phase: "ready"; trace: Trace; settling: boolean }
  | { phase: "missing" }
  | { phase: "failed"; error: ErrorPayload };

/** Polls while Jaeger has not received the trace yet, then a few more times while spans keep arriving. */
function useTrace(traceId: string, reload: number): State {
  const [state, setState] = useState<State>({ phase: "loading", waits: 0 });
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let spans = -1;
    setState({ phase: "loading", waits: 0 });
    const attempt = async (waits: number, settles: number) => {
      const result = await fetchTrace(traceId, abort.signal).catch(() => undefined);
      if (!result || abort.signal.aborted) return;
      if (result.ok) {
        const changed = result.trace.spans.length !== spans;
        spans = result.trace.spans.length;
        const more = settles < maxSettles && (changed || settles === 0);
        setState({ phase: "ready", trace: result.trace, settling: more });
        if (more) timer = setTimeout(() => void attempt(waits, settles + 1), settleEveryMs);
      } else if (result.status === 404 && waits < maxWaits) {
        setState({ phase: "loading", waits: waits + 1 });
        timer = setTimeout(() => void attempt(waits + 1, settles), waitEveryMs);
      } else if (result.status === 404) {
        setState({ phase: "missing" });
      } else {
        setState({ phase: "failed", error: result.error });
      }
    };
    void attempt(0, 0);
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [traceId, reload]);
  return state;
}

/** The duration label: inside a wide bar, after a bar that leaves room, else before it. */
function durationPlace(left: number, width: number): CSSProperties {
  if (width > 30) return { left: `calc(${left}% + 6px)` };
  if (left + width <= 80) return { left: `calc(${left + width}% + 6px)` };
  return { right: `calc(${100 - left}% + 6px)` };
}

function axisTicks(total: number): { at: number; label: string }[] {
  return [0, 0.25, 0.5, 0.75, 1].map((fraction) => ({ at: fraction * 100, label: durationText((fraction * total) / 1000) }));
}

function Timeline(props: { layout: TraceLayout; selected?: string; critical?: ReadonlySet<string>; onSelect(spanId: string): void }) {
  const { layout } = props;
  const list = useRef<HTMLOListElement>(null);
  const onKey = (event: KeyboardEvent<HTMLLIElement>, spanId: string) => {
    const rows = Array.from(list.current?.querySelectorAll<HTMLLIElement>("li[data-span]") ?? []);
    const at = rows.indexOf(event.currentTarget);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))]?.focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      props.onSelect(spanId);
    }
  };
  const names = new Map(layout.rows.map((row) => [row.span.spanID, row.span.operationName]));
  return (
    <div className="trace__gantt">
      <div className="trace__axis" aria-hidden="true">
        <span className="trace__axis-label">Span</span>
        <div className="trace__axis-scale">
          {axisTicks(layout.total).map((tick) => (
            <span key={tick.at} className="trace__tick" style={{ left: `${tick.at}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
      </div>
      <ol className="trace__rows" ref={list} aria-label="Spans">
        {layout.rows.map((row) => {
          const color = serviceColor(layout.services, row.service);
          const left = (row.offset / layout.total) * 100;
          const width = Math.max((row.duration / layout.total) * 100, 0.4);
          const selected = props.selected === row.span.spanID;
          const critical = props.critical?.has(row.span.spanID) ?? false;
          return (
            <li
              key={row.span.spanID}
              data-span={row.span.spanID}
              className={`trace__row${selected ? " is-selected" : ""}${row.error ? " has-error" : ""}${critical ? " is-critical" : ""}`}
              tabIndex={0}
              role="button"
              aria-pressed={selected}
              aria-label={`${row.kind} span ${row.span.operationName} in ${row.service}, ${durationText(row.duration / 1000)}, starting at ${durationText(row.offset / 1000)}`}
              onClick={() => props.onSelect(row.span.spanID)}
              onKeyDown={(event) => onKey(event, row.span.spanID)}
            >
              <div className="trace__name" style={{ paddingLeft: `${row.depth * 18 + 6}px` }}>
                {row.depth > 0 ? <span className="trace__elbow" aria-hidden="true">└</span> : null}
                <span className="trace__dot" style={{ background: color }} aria-hidden="true" />
                {row.kind === "producer" || row.kind === "consumer" ? <span className={`span-kind span-kind--${row.kind}`}>{row.kind.toUpperCase()}</span> : null}
                <span className="trace__op" title={row.span.operationName}>{row.span.operationName}</span>
                <span className="trace__service">{row.service}</span>
                {row.links.map((link) => (
                  <span key={`${link.traceId}-${link.spanId}`} className="span-link-badge" title={link.inTrace ? `Linked to ${names.get(link.spanId) ?? link.spanId} in this trace` : `Linked to span ${link.spanId} in trace ${link.traceId}`}>
                    ↪ link{link.inTrace ? "" : " to another trace"}
                  </span>
                ))}
                {row.error ? <span className="span-error-badge">error</span> : null}
                {critical ? <span className="span-critical-badge" title="On the critical path: this span's time sets the trace's end-to-end duration">critical</span> : null}
              </div>
              <div className="trace__lane">
                <span className="trace__bar" style={{ left: `${left}%`, width: `${width}%`, background: color }} />
                <span className={`trace__duration${width > 30 ? " trace__duration--inside" : ""}`} style={durationPlace(left, width)}>
                  {durationText(row.duration / 1000)}
                </span>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** `showCriticalPath` marks the chain of spans that sets the end-to-end duration (the explorer's trace page). */
export function TraceTimeline(props: { traceId: string; jaegerUiUrl?: string; showCriticalPath?: boolean }) {
  const [stack, setStack] = useState<string[]>([props.traceId]);
  const [reload, setReload] = useState(0);
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    setStack([props.traceId]);
    setSelected(undefined);
  }, [props.traceId]);
  const current = stack[stack.length - 1] ?? props.traceId;
  const state = useTrace(current, reload);
  const layout = useMemo(() => (state.phase === "ready" ? layoutTrace(state.trace) : undefined), [state]);
  const critical = useMemo(() => (props.showCriticalPath && state.phase === "ready" ? new Set(criticalPath(state.trace)) : undefined), [state, props.showCriticalPath]);
  const openTrace = useCallback((traceId: string) => {
    setStack((previous) => [...previous, traceId]);
    setSelected(undefined);
  }, []);
  const retry = () => setReload((n) => n + 1);
  const row = layout?.rows.find((r) => r.span.spanID === selected);
  const jaegerLink = props.jaegerUiUrl ? `${props.jaegerUiUrl.replace(/\/+$/, "")}/trace/${current}` : undefined;

  return (
    <section className="trace" aria-label={`Trace ${current}`} data-testid="trace-timeline">
      <div className="trace__bar-top">
        <div className="trace__summary">
          {stack.length > 1 ? (
            <button type="button" className="button button--small" onClick={() => setStack((s) => s.slice(0, -1))}>
              ← Back to {stack[stack.length - 2]!.slice(0, 8)}…
            </button>
          ) : null}
          {layout ? (
            <span>
              <b>{layout.rows.length}</b> span{layout.rows.length === 1 ? "" : "s"} from <b>{layout.services.length}</b> service{layout.services.length === 1 ? "" : "s"} over {durationText(layout.total / 1000)}
              {state.phase === "ready" && state.settling ? <span className="muted"> · still listening for spans…</span> : null}
            </span>
          ) : null}
          {layout ? (
            <span className="trace__legend">
              {layout.services.map((service) => (
                <span key={service} className="trace__legend-item">
                  <span className="trace__dot" style={{ background: serviceColor(layout.services, service) }} aria-hidden="true" />
                  {service}
                </span>
              ))}
            </span>
          ) : null}
        </div>
        <span className="trace__links">
          {jaegerLink ? (
            <a className="button button--small" href={jaegerLink} target="_blank" rel="noreferrer">
              Open in Jaeger ↗
            </a>
          ) : (
            <span className="trace__no-ui muted" title="A Jaeger built from its Go module serves the query API but not the web UI.">
              The Jaeger UI is not installed here, so Brokerlab draws the trace itself.
            </span>
          )}
          {props.showCriticalPath ? null : (
            <Link className="button button--small" href={`/traces/${current}`} target="_blank" data-testid="open-in-explorer">
              Open in the trace explorer ↗
            </Link>
          )}
        </span>
      </div>
      {state.phase === "ready" ? <TraceConventions trace={state.trace} onSelect={setSelected} /> : null}
      {state.phase === "loading" ? (
        <p className="trace__waiting muted" role="status">
          {state.waits === 0 ? "Loading the trace…" : `Waiting for Jaeger to receive the spans: services export them in batches every few seconds (try ${state.waits} of ${maxWaits})…`}
        </p>
      ) : null}
      {state.phase === "missing" ? (
        <div className="notice" role="alert">
          <p>Jaeger has no trace <code>{current}</code>. Its spans may have been dropped (see “Dropped spans”), tracing may be off, or Jaeger was restarted and lost them.</p>
          <button type="button" className="button button--small" onClick={retry}>Try again</button>
        </div>
      ) : null}
      {state.phase === "failed" ? (
        <div className="notice notice--error" role="alert">
          <p>{state.error.message}</p>
          {state.error.code === "TRACING_UNAVAILABLE" ? <p>Is Jaeger running? <code>npm run stack:up -- jaeger</code> starts it.</p> : null}
          {state.error.retriable ? <button type="button" className="button button--small" onClick={retry}>Try again</button> : null}
        </div>
      ) : null}
      {critical ? <p className="trace__hint muted" data-testid="critical-path-note">Spans marked <b>critical</b> form the critical path: the chain whose time sets the trace&apos;s end-to-end duration. Shorten one of them to shorten the trace.</p> : null}
      {layout ? <Timeline layout={layout} {...(selected ? { selected } : {})} {...(critical ? { critical } : {})} onSelect={(id) => setSelected(id === selected ? undefined : id)} /> : null}
      {layout && row ? <SpanDetails row={row} layout={layout} onOpenTrace={openTrace} onSelect={setSelected} /> : null}
      {layout && !row ? <p className="trace__hint muted">Click a span (or press Enter on it) to see its attributes and events. A CONSUMER span indented under a PRODUCER span is its child (parent-child propagation); a “↪ link” marks a span linked to another instead (span links).</p> : null}
    </section>
  );
}

// Request/reply: per requester the round trips, timeouts and late replies, and the latest outcomes.
import type { ReplierCounters, RequestStatus, RequestsView as RequestsData } from "../../lib/run/patterns";
import { CountTable } from "./count-table";
import { clock, count, latency, ms } from "./format";
import { StatTiles } from "./stat-tiles";
import { TraceLink } from "./trace-link";

const statusTone: Record<RequestStatus, string> = {
  replied: "ok", error: "bad", timeout: "bad", late: "warn", unmatched: "warn", "send-failed": "bad", "fast-failed": "warn",
};

/** The breaker's state now: open on any replica wins over half-open, then closed. */
function breakerState(c: RequestsData["counters"]): string {
  if ((c.breakerOpen ?? 0) > 0) return "open";
  return (c.breakerHalfOpen ?? 0) > 0 ? "half-open" : "closed";
}

export function RequestsView(props: { requests: Record<string, RequestsData>; repliers?: Record<string, ReplierCounters>; onOpenTrace?: (traceId: string) => void }) {
  const repliers = Object.entries(props.repliers ?? {});
  return (
    <div className="pattern-view" data-testid="pattern-requests">
      {Object.entries(props.requests).map(([key, view]) => {
        const c = view.counters;
        return (
          <section key={key} className="pattern-part" aria-label={`Requester ${key}`} data-testid={`requester-${key}`}>
            <h4 className="pattern-part__title">{key} <span className="muted">{c.done ? "· done" : ""}{c.failed > 0 ? ` · ${count(c.failed)} refused by the broker` : ""}</span></h4>
            <StatTiles label={`Requests of ${key}`} stats={[
              { label: "Sent", value: count(c.sent) },
              { label: "Replied", value: count(c.replied), tone: c.replied > 0 ? "good" : "neutral" },
              { label: "Pending", value: count(c.pending), title: "Sent, waiting for a reply now" },
              { label: "Timed out", value: count(c.timedOut), tone: c.timedOut > 0 ? "bad" : "neutral", title: "No reply within the requester's timeout" },
              { label: "Late", value: count(c.late), tone: c.late > 0 ? "warn" : "neutral", title: "Replies that arrived after their request had timed out: ignored" },
              { label: "Error replies", value: count(c.errors), tone: c.errors > 0 ? "warn" : "neutral" },
              { label: "Unmatched", value: count(c.unmatched), tone: c.unmatched > 0 ? "warn" : "neutral", title: "Replies with a correlation id this process never sent" },
              { label: "Round trip p50 / p99", value: latency(view.rtt), title: "On-time replies over the whole run" },
              { label: "Last window", value: latency(view.window) },
            ]} />
            {c.fastFailed !== undefined ? (
              <StatTiles label={`Circuit breaker of ${key}`} stats={[
                { label: "Breaker", value: breakerState(c), tone: breakerState(c) === "closed" ? "good" : "bad", title: "Open: calls fail at once. Half-open: a few trial calls go through" },
                { label: "Fast failures", value: count(c.fastFailed), tone: c.fastFailed > 0 ? "warn" : "neutral", title: "Calls the open breaker refused: no request was sent" },
                { label: "Opened", value: count(c.breakerOpened ?? 0) },
                { label: "Half-opened", value: count(c.breakerHalfOpened ?? 0) },
                { label: "Closed again", value: count(c.breakerClosed ?? 0) },
              ]} />
            ) : null}
            {view.recent.length > 0 ? (
              <table className="pattern-table">
                <caption className="visually-hidden">Latest requests of {key}</caption>
                <thead><tr><th scope="col">Request (correlation id)</th><th scope="col">Outcome</th><th scope="col">Round trip</th><th scope="col">At</th><th scope="col">Trace</th></tr></thead>
                <tbody>
                  {view.recent.slice(-8).reverse().map((r) => (
                    <tr key={`${r.id}-${r.status}-${r.at}`}>
                      <td><code>{r.id}</code></td>
                      <td><span className={`pattern-badge pattern-badge--${statusTone[r.status]}`}>{r.status}</span>{r.detail ? <span className="muted"> {r.detail}</span> : null}</td>
                      <td>{ms(r.rttMs)}</td>
                      <td>{clock(r.at)}</td>
                      <td><TraceLink traceId={r.traceId} onOpenTrace={props.onOpenTrace} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : <p className="muted">No request has an outcome yet: each reply, timeout or late reply is listed here as it comes back.</p>}
          </section>
        );
      })}
      <CountTable caption="Repliers" head="Replier" rows={repliers} columns={[
        { label: "Received", value: (r) => r.received },
        { label: "Replied", value: (r) => r.replied },
        { label: "Errors", value: (r) => r.errors, title: "Requests the handler failed: answered with an error reply" },
        { label: "Failed replies", value: (r) => r.failed, title: "Replies that could not be published, or came back: the reply queue is gone" },
        { label: "In flight", value: (r) => r.inFlight },
      ]} />
    </div>
  );
}

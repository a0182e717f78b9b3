// Callbacks and webhooks: where the API and the receivers listen, what the API accepted, every
// delivery attempt (status, retry delay) and receipt (signature verdict), and each task's callback.
import type { CallbackView, WebhookEvent, WebhooksView as WebhooksData } from "../../lib/run/patterns";
import { CountTable } from "./count-table";
import { clock, count, ms } from "./format";
import { StatTiles } from "./stat-tiles";
import { TraceLink } from "./trace-link";

const callbackTone: Record<CallbackView["status"], string> = { pending: "info", delivered: "ok", failed: "bad" };

function describe(event: WebhookEvent): { what: string; tone: string; detail: string } {
  switch (event.kind) {
    case "accepted":
      return { what: "202 accepted", tone: "send", detail: `${event.api}${event.callbackUrl ? ` · callback ${event.callbackUrl}` : ""}` };
    case "delivery":
      return {
        what: `attempt ${event.attempt} → ${event.status || "no answer"}`,
        tone: event.ok ? "ok" : event.willRetry ? "warn" : "bad",
        detail: `${ms(event.latencyMs)}${event.willRetry ? ` · retry in ${ms(event.delayMs)}` : ""}${event.error ? ` · ${event.error}` : ""}`,
      };
    case "received":
      return {
        what: `received ${event.status}`,
        tone: event.signature === "valid" ? "ok" : event.signature === "unchecked" ? "warn" : "bad",
        detail: `signature ${event.signature}${event.detail ? ` · ${event.detail}` : ""} · ${event.receiver}`,
      };
  }
}

export function WebhooksView({ webhooks, onOpenTrace }: { webhooks: WebhooksData; onOpenTrace?: (traceId: string) => void }) {
  const d = webhooks.deliveries;
  const receivers = Object.entries(webhooks.receivers);
  const apis = Object.entries(webhooks.api);
  const calls = Object.entries(webhooks.calls);
  const endpoints = [
    ...Object.entries(webhooks.endpoints.api).flatMap(([service, urls]) => urls.map((url) => ({ service, url, kind: "API" }))),
    ...Object.entries(webhooks.endpoints.webhook).flatMap(([service, urls]) => urls.map((url) => ({ service, url, kind: "webhook receiver" }))),
  ];
  return (
    <div className="pattern-view" data-testid="pattern-webhooks">
      <StatTiles label="Callback deliveries" stats={[
        { label: "Accepted (202)", value: count(apis.reduce((sum, [, a]) => sum + a.accepted, 0)) },
        { label: "Pending", value: count(d.pending) },
        { label: "Attempts", value: count(d.attempts) },
        { label: "Retries", value: count(d.retries), tone: d.retries > 0 ? "warn" : "neutral", title: "Deliveries sent again after the receiver failed, with backoff" },
        { label: "Delivered", value: count(d.delivered), tone: d.delivered > 0 ? "good" : "neutral" },
        { label: "Failed", value: count(d.failed), tone: d.failed > 0 ? "bad" : "neutral", title: "Callbacks that ran out of attempts" },
        { label: "Bad signatures", value: count(receivers.reduce((sum, [, r]) => sum + r.invalid, 0)), tone: receivers.some(([, r]) => r.invalid > 0) ? "bad" : "neutral", title: "Callbacks the receivers rejected with 401" },
      ]} />
      <div className="pattern-columns">
        {endpoints.length > 0 ? (
          <table className="pattern-table">
            <caption>Endpoints</caption>
            <thead><tr><th scope="col">Service</th><th scope="col">Serves</th><th scope="col">URL</th></tr></thead>
            <tbody>{endpoints.map((e) => <tr key={e.url}><th scope="row">{e.service}</th><td>{e.kind}</td><td><code>{e.url}</code></td></tr>)}</tbody>
          </table>
        ) : null}
        <CountTable caption="HTTP APIs" head="API" rows={apis} columns={[
          { label: "Requests", value: (a) => a.requests },
          { label: "Accepted (202)", value: (a) => a.accepted, title: "Work put on the queue, answered with a task id" },
          { label: "Rejected", value: (a) => a.rejected, title: "Bad requests, answered 4xx" },
          { label: "Failed", value: (a) => a.failed, title: "The API could not queue the work: answered 5xx" },
        ]} />
        <CountTable caption="API calls" head="Caller" rows={calls} done={(c) => c.done} columns={[
          { label: "Sent", value: (c) => c.sent },
          { label: "Accepted", value: (c) => c.accepted },
          { label: "Rejected", value: (c) => c.rejected },
          { label: "Failed", value: (c) => c.failed, title: "No answer, or a 5xx" },
        ]} />
        <CountTable caption="Receivers" head="Receiver" rows={receivers} columns={[
          { label: "Received", value: (r) => r.received },
          { label: "Valid", value: (r) => r.valid, title: "Signature checked: answered 200" },
          { label: "Invalid", value: (r) => r.invalid, title: "Missing or wrong signature: answered 401" },
          { label: "Failed on purpose", value: (r) => r.failedOnPurpose, title: "failFirst or errorRate: the receiver played down" },
          { label: "Duplicates", value: (r) => r.duplicates, title: "A valid callback for a task already accepted" },
        ]} />
      </div>
      {webhooks.callbacks.length > 0 ? (
        <table className="pattern-table">
          <caption>Callbacks</caption>
          <thead><tr><th scope="col">Task</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Retries</th><th scope="col">Last HTTP status</th><th scope="col">Receipts</th><th scope="col">Trace</th></tr></thead>
          <tbody>
            {webhooks.callbacks.slice(-10).reverse().map((c) => (
              <tr key={c.taskId} data-testid={`callback-${c.taskId}`}>
                <td><code>{c.taskId}</code></td>
                <td><span className={`pattern-badge pattern-badge--${callbackTone[c.status]}`}>{c.status}</span></td>
                <td>{c.attempts}</td>
                <td>{c.retries}</td>
                <td>{c.lastStatus ?? "–"}</td>
                <td>{c.received}{c.invalid > 0 ? <span className="pattern-error"> ({c.invalid} invalid)</span> : null}</td>
                <td><TraceLink traceId={c.traceId} onOpenTrace={onOpenTrace} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No callback yet: tasks submitted through the API call back when a worker finishes them.</p>}
      {webhooks.recent.length > 0 ? (
        <ol className="pattern-events" aria-label="Latest webhook events">
          {webhooks.recent.slice(-10).reverse().map((event, i) => {
            const { what, tone, detail } = describe(event);
            return (
              <li key={`${event.at}-${i}`}>
                <time>{clock(event.at)}</time>
                <span className={`pattern-badge pattern-badge--${tone}`}>{what}</span>
                {event.taskId ? <code>{event.taskId}</code> : null}
                <span className="muted">{detail}</span>
              </li>
            );
          })}
        </ol>
      ) : null}
    </div>
  );
}

// The pattern parts of a run in the lesson's run panel: request/reply outcomes, task states,
// webhook deliveries, and projections with a Replay button (docs/patterns.md).
import type { PatternsView } from "../../lib/run/patterns";

const n = (value: number) => value.toLocaleString("en-US");

interface Props {
  patterns: PatternsView;
  /** Present while the run is on: wipes a projection and replays its log from offset 0. */
  onReplay?: (service: string, projection: string) => void;
}

export function PatternCounters({ patterns, onReplay }: Props) {
  const requests = Object.entries(patterns.requests ?? {});
  const projections = Object.entries(patterns.projections ?? {});
  const { tasks, webhooks } = patterns;
  return (
    <>
      {requests.length > 0 ? (
        <table className="lesson-table">
          <caption>Requests</caption>
          <thead>
            <tr>
              <th scope="col">Requester</th>
              <th scope="col">Sent</th>
              <th scope="col">Replied</th>
              <th scope="col">Timed out</th>
              <th scope="col">Late</th>
            </tr>
          </thead>
          <tbody>
            {requests.map(([key, r]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{n(r.counters.sent)}</td>
                <td>{n(r.counters.replied)}</td>
                <td>{n(r.counters.timedOut)}</td>
                <td>{n(r.counters.late)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {tasks ? (
        <table className="lesson-table">
          <caption>Tasks ({n(tasks.total)})</caption>
          <thead>
            <tr>
              <th scope="col">Pending</th>
              <th scope="col">Started</th>
              <th scope="col">Retried</th>
              <th scope="col">Succeeded</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{n(tasks.counts.pending)}</td>
              <td>{n(tasks.counts.started)}</td>
              <td>{n(tasks.counts.retried)}</td>
              <td>{n(tasks.counts.succeeded)}</td>
              <td>{n(tasks.counts.failed)}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {webhooks ? (
        <table className="lesson-table">
          <caption>Callbacks</caption>
          <thead>
            <tr>
              <th scope="col">Attempts</th>
              <th scope="col">Retries</th>
              <th scope="col">Delivered</th>
              <th scope="col">Failed</th>
              <th scope="col">Pending</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{n(webhooks.deliveries.attempts)}</td>
              <td>{n(webhooks.deliveries.retries)}</td>
              <td>{n(webhooks.deliveries.delivered)}</td>
              <td>{n(webhooks.deliveries.failed)}</td>
              <td>{n(webhooks.deliveries.pending)}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {projections.length > 0 ? (
        <table className="lesson-table">
          <caption>Projections</caption>
          <thead>
            <tr>
              <th scope="col">Projection</th>
              <th scope="col">Applied</th>
              <th scope="col">Keys</th>
              <th scope="col">Replayed</th>
              <th scope="col" aria-label="Replay" />
            </tr>
          </thead>
          <tbody>
            {projections.map(([key, p]) => (
              <tr key={key} data-testid={`projection-${key}`}>
                <th scope="row">{key}</th>
                <td>{n(p.applied)}</td>
                <td>{n(p.keys)}</td>
                <td>{p.replay && !p.replay.done ? `${Math.round(p.replay.progress * 100)} %` : n(p.replayed)}</td>
                <td>
                  {onReplay ? (
                    <button type="button" className="lesson-replica__button" aria-label={`Replay ${key} from offset 0`} onClick={() => onReplay(p.service, p.name)}>
                      Replay from 0
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

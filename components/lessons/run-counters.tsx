// The run's key numbers from its live frames: what each producer sent, what each consumer did, the
// ledger, and the brokers' own view (queue depth and consumers, consumer-group lag).
import { formatSeconds } from "../../lib/run/lag";
import type { GroupLag, RunFrame } from "../../lib/run/model";
import { WaitingFor } from "../run/waiting-for";

const n = (value: number) => value.toLocaleString("en-US");

/** When a group's lag is gone at the current rates: "12 s", "not draining", or "–" while unknown. */
const drainCell = (g: GroupLag) => (g.total === 0 ? "0 s" : g.drainSeconds === null ? "not draining" : g.drainSeconds === undefined ? "–" : formatSeconds(g.drainSeconds));

export function RunCounters({ frame }: { frame: RunFrame }) {
  const producers = Object.entries(frame.producers);
  const consumers = Object.entries(frame.consumers);
  const ended = frame.status === "finished" || frame.status === "failed";
  return (
    <div className="lesson-counters" data-testid="run-counters">
      <dl className="lesson-ledger" aria-label="Ledger">
        <div>
          <dt>Confirmed</dt>
          <dd data-testid="ledger-confirmed">{n(frame.ledger.confirmed)}</dd>
        </div>
        <div>
          <dt>Consumed</dt>
          <dd data-testid="ledger-consumed">{n(frame.ledger.consumed)}</dd>
        </div>
        {/* Pending: confirmed, not consumed yet, while the run is live. Lost: known not to be coming. */}
        {!ended && frame.ledger.pending !== undefined ? (
          <div title="Confirmed by the broker, not consumed yet: waiting in a queue, in consumer lag or being processed">
            <dt>Pending</dt>
            <dd data-testid="ledger-pending">{n(frame.ledger.pending)}</dd>
          </div>
        ) : null}
        <div className={frame.ledger.lost > 0 ? "lesson-ledger--bad" : ""} title={ended ? "Confirmed by the broker, never consumed" : "Confirmed by the broker, known not to be coming"}>
          <dt>Lost</dt>
          <dd data-testid="ledger-lost">{n(frame.ledger.lost)}</dd>
        </div>
        <div className={frame.ledger.duplicated > 0 ? "lesson-ledger--warn" : ""}>
          <dt>Duplicated</dt>
          <dd>{n(frame.ledger.duplicated)}</dd>
        </div>
      </dl>
      <WaitingFor frame={frame} />
      {producers.length > 0 ? (
        <table className="lesson-table">
          <caption>Producers</caption>
          <thead>
            <tr>
              <th scope="col">Producer</th>
              <th scope="col">Sent</th>
              <th scope="col">Confirmed</th>
              <th scope="col">Returned</th>
            </tr>
          </thead>
          <tbody>
            {producers.map(([key, p]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{n(p.published)}</td>
                <td>{n(p.confirmed)}</td>
                <td>{n(p.returned)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {consumers.length > 0 ? (
        <table className="lesson-table">
          <caption>Consumers</caption>
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col">Received</th>
              <th scope="col">Acked</th>
              <th scope="col" title="Redelivered">Redeliv.</th>
              <th scope="col" title="Dead-lettered">DLQ</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map(([key, c]) => (
              <tr key={key} data-testid={`consumer-${key}`}>
                <th scope="row">{key}</th>
                <td>{n(c.received)}</td>
                <td>{n(c.acked)}</td>
                <td>{n(c.redelivered)}</td>
                <td>{n(c.deadLettered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {frame.queues.length > 0 ? (
        <table className="lesson-table">
          <caption>Queues</caption>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Depth</th>
              <th scope="col">Unacked</th>
              <th scope="col">Consumers</th>
            </tr>
          </thead>
          <tbody>
            {frame.queues.map((q) => (
              <tr key={`${q.broker}/${q.name}`} data-testid={`queue-${q.name}`}>
                <th scope="row">{q.name}</th>
                <td>{n(q.messages)}</td>
                <td>{n(q.unacked)}</td>
                <td>{n(q.consumers)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {frame.lag.length > 0 ? (
        <table className="lesson-table">
          <caption>Consumer-group lag (Kafka)</caption>
          <thead>
            <tr>
              <th scope="col">Group / topic</th>
              <th scope="col">Lag</th>
              <th scope="col">Oldest</th>
              <th scope="col">Drains in</th>
              <th scope="col">By partition</th>
            </tr>
          </thead>
          <tbody>
            {frame.lag.map((g) => (
              <tr key={`${g.group}/${g.topic}`}>
                <th scope="row">
                  {g.group} / {g.topic}
                </th>
                <td>{n(g.total)}</td>
                <td>{g.seconds === undefined ? "–" : formatSeconds(g.seconds)}</td>
                <td>{drainCell(g)}</td>
                <td className="lesson-table__partitions">{g.partitions.map((p) => `${p.partition}: ${p.lag}`).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

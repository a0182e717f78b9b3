// The service graph of the listed traces, as a table a learner can read row by row: each edge from a
// service to a destination (publishing) or from a destination to a service (consuming), its message
// count, and where the time goes: publishing, waiting in the broker, processing.
import type { ServiceGraph } from "../../lib/trace/service-graph";
import { durationText } from "../run/event-kinds";

export function ServiceGraphTable({ graph }: { graph: ServiceGraph }) {
  if (graph.edges.length === 0) return null;
  return (
    <section className="traces-graph" aria-labelledby="traces-graph-heading" data-testid="service-graph">
      <h2 id="traces-graph-heading">Service graph of these traces</h2>
      <p className="muted">{graph.services.length} service{graph.services.length === 1 ? "" : "s"} and {graph.destinations.length} destination{graph.destinations.length === 1 ? "" : "s"}; times are means per message.</p>
      <table className="traces-table">
        <thead>
          <tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Messages</th><th scope="col">Publishing</th><th scope="col">Waiting in the broker</th><th scope="col">Processing</th></tr>
        </thead>
        <tbody>
          {graph.edges.map((edge) => (
            <tr key={`${edge.kind}-${edge.from}-${edge.to}`}>
              <td>{edge.kind === "consume" ? <code>{edge.from}</code> : edge.from}</td>
              <td>{edge.kind === "publish" ? <code>{edge.to}</code> : edge.to}</td>
              <td>{edge.count}</td>
              <td>{edge.kind === "publish" ? durationText(edge.meanSpan / 1000) : ""}</td>
              <td>{edge.meanWait !== undefined ? durationText(edge.meanWait / 1000) : ""}</td>
              <td>{edge.kind === "consume" ? durationText(edge.meanSpan / 1000) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

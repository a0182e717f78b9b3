// A small service graph of the traces in the explorer's list: services and the destinations
// (queues, exchanges, topics) between them as nodes; each edge counts its messages and splits the
// latency: time to publish (send spans), time waiting in the broker (send end to process start) and
// time processing (process spans). Built from the spans' messaging attributes alone.
import { serviceOf, spanEnd } from "./trace-tree";
import type { TreeSpan, TreeTrace } from "./trace-tree";

export interface GraphEdge {
  from: string;
  to: string;
  /** "publish": a service sends to a destination; "consume": a destination's messages processed by a service. */
  kind: "publish" | "consume";
  count: number;
  /** Mean microseconds of the send spans (publish) or the process spans (consume). */
  meanSpan: number;
  /** Mean microseconds from the send span's end to the process span's start, when the two are tied (consume edges). */
  meanWait?: number;
}

export interface ServiceGraph {
  services: string[];
  destinations: string[];
  edges: GraphEdge[];
}

const tagOf = (span: TreeSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const operationType = (span: TreeSpan) => String(tagOf(span, "messaging.operation.type") ?? "");

const edgeOrder = (edge: Pick<GraphEdge, "from" | "to" | "kind">) => `${edge.kind === "publish" ? 0 : 1}\u0000${edge.from}\u0000${edge.to}`;

interface Accumulator { count: number; spanSum: number; waitSum: number; waits: number }

export function serviceGraph(traces: readonly TreeTrace[]): ServiceGraph {
  const services = new Set<string>();
  const destinations = new Set<string>();
  const edges = new Map<string, { edge: Omit<GraphEdge, "count" | "meanSpan" | "meanWait">; sum: Accumulator }>();
  const add = (from: string, to: string, kind: GraphEdge["kind"], span: TreeSpan, wait?: number) => {
    const key = JSON.stringify([from, to, kind]);
    const entry = edges.get(key) ?? { edge: { from, to, kind }, sum: { count: 0, spanSum: 0, waitSum: 0, waits: 0 } };
    entry.sum.count += 1;
    entry.sum.spanSum += span.duration;
    if (wait !== undefined) {
      entry.sum.waitSum += Math.max(0, wait);
      entry.sum.waits += 1;
    }
    edges.set(key, entry);
  };
  for (const trace of traces) {
    const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
    for (const span of trace.spans) {
      const destination = tagOf(span, "messaging.destination.name");
      const type = operationType(span);
      if (destination === undefined || (type !== "send" && type !== "process")) continue;
      const service = serviceOf(trace, span);
      services.add(service);
      destinations.add(String(destination));
      if (type === "send") {
        add(service, String(destination), "publish", span);
        continue;
      }
      // The message's send span: the parent (parent mode) or a link (link mode), when in this trace.
      const send = span.references.map((r) => byId.get(r.spanID)).find((s) => s !== undefined && operationType(s) === "send");
      add(String(destination), service, "consume", span, send ? span.startTime - spanEnd(send) : undefined);
    }
  }
  return {
    services: [...services].sort(),
    destinations: [...destinations].sort(),
    // A stable order whatever order the spans came in: publishes first, then by name.
    edges: [...edges.values()].sort((a, b) => edgeOrder(a.edge).localeCompare(edgeOrder(b.edge))).map(({ edge, sum }) => ({
      ...edge,
      count: sum.count,
      meanSpan: sum.spanSum / sum.count,
      ...(sum.waits > 0 ? { meanWait: sum.waitSum / sum.waits } : {}),
    })),
  };
}

// Auto-layout by columns, in the direction messages flow: producing services → exchanges →
// queues and topics → consuming services (and on, for chains). Positions a user dragged win.
import { viewFor } from "./broker-views";
import type { LabGraph, LabNode } from "./graph";

export interface Point {
  x: number;
  y: number;
}

export const nodeWidth = { service: 292, exchange: 200, queue: 216, topic: 216, bus: 200, rule: 200 } as const;
const columnGap = 130;
const rowGap = 36;

/** An estimate of a node's height before the browser has measured it. */
export function estimateHeight(node: LabNode): number {
  if (node.type === "service") return 84 + 58 * (node.service.producers.length + node.service.consumers.length) + 44 * node.service.patterns.length;
  if (node.type === "topic") return 92 + 14 * Math.min(node.resource.partitions ?? 1, 12);
  return node.type === "queue" ? 150 : 84;
}

const minColumn = { service: 0, exchange: 1, queue: 2, topic: 2, bus: 1, rule: 2 } as const;

/** Column of every node: the longest path of edges leading to it, and never left of its kind's own
 * column (services, then exchanges, then queues and topics). Cycles are cut where found. */
export function columns(graph: LabGraph): Map<string, number> {
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) if (edge.source !== edge.target) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    const node = byId.get(id);
    const preds = incoming.get(id) ?? [];
    // A kind may draw a node in another kind's column (an SNS topic routes to queues, as an exchange does).
    const min = !node ? 0 : minColumn[node.type === "service" ? "service" : (viewFor(node.brokerKind, node.type).column?.(node.type) ?? node.type)];
    let value = Math.max(min, ...preds.map((p) => visit(p) + 1));
    // A consuming service that is not connected yet still belongs right of the queues.
    if (node?.type === "service" && preds.length === 0 && node.service.consumers.length > 0 && node.service.producers.length === 0) value = 3;
    visiting.delete(id);
    rank.set(id, value);
    return value;
  };
  for (const node of graph.nodes) visit(node.id);
  return rank;
}

/** Which way messages flow on the canvas: left to right, or top to bottom on a narrow screen. */
export type LayoutFlow = "right" | "down";

/** Positions for every node; `fixed` holds the ones the user placed by hand, `heights` what the
 * browser measured. Flowing down, each column becomes a row, so a phone shows the nodes large. */
export function layoutGraph(graph: LabGraph, fixed: Record<string, Point> = {}, heights: ReadonlyMap<string, number> = new Map(), flow: LayoutFlow = "right"): Record<string, Point> {
  const rank = columns(graph);
  const used = [...new Set(rank.values())].sort((a, b) => a - b);
  const columnIndex = new Map(used.map((r, i) => [r, i]));
  const byColumn = new Map<number, LabNode[]>();
  for (const node of graph.nodes) {
    const column = columnIndex.get(rank.get(node.id) ?? 0) ?? 0;
    byColumn.set(column, [...(byColumn.get(column) ?? []), node]);
  }
  const heightOf = (node: LabNode) => heights.get(node.id) ?? estimateHeight(node);
  // Along the flow, each column (or row) is as deep as its deepest node, so chains stay compact.
  const depth = (nodes: LabNode[]) => Math.max(...nodes.map((n) => (flow === "right" ? nodeWidth[n.type] : heightOf(n))));
  const columnStart = new Map<number, { at: number; depth: number }>();
  let start = 0;
  for (const column of [...byColumn.keys()].sort((a, b) => a - b)) {
    const size = depth(byColumn.get(column)!);
    columnStart.set(column, { at: start, depth: size });
    start += size + (flow === "right" ? columnGap : rowGap * 2);
  }
  const positions: Record<string, Point> = {};
  const centre = new Map<string, number>();
  const predecessors = new Map<string, string[]>();
  for (const edge of graph.edges) predecessors.set(edge.target, [...(predecessors.get(edge.target) ?? []), edge.source]);

  for (const column of [...byColumn.keys()].sort((a, b) => a - b)) {
    const nodes = byColumn.get(column)!;
    // Order each column by where its predecessors sit, so edges cross as little as possible.
    const weight = (node: LabNode) => {
      const at = (predecessors.get(node.id) ?? []).map((p) => centre.get(p)).filter((v): v is number => v !== undefined);
      return at.length ? at.reduce((a, b) => a + b, 0) / at.length : Number.POSITIVE_INFINITY;
    };
    const ordered = nodes.map((node, i) => ({ node, i, w: weight(node) })).sort((a, b) => a.w - b.w || a.i - b.i).map((e) => e.node);
    let across = 0;
    for (const node of ordered) {
      const { at, depth: size } = columnStart.get(column)!;
      const breadth = flow === "right" ? heightOf(node) : nodeWidth[node.type];
      const placed = flow === "right" ? { x: at + (size - nodeWidth[node.type]) / 2, y: across } : { x: across, y: at };
      positions[node.id] = fixed[node.id] ?? placed;
      const point = positions[node.id]!;
      centre.set(node.id, flow === "right" ? point.y + breadth / 2 : point.x + breadth / 2);
      across += breadth + (flow === "right" ? rowGap : columnGap / 3);
    }
  }
  return positions;
}

// Two traces side by side: spans matched by (service, operation name, depth), the n-th of a kind in
// one with the n-th in the other (by start time); each pair's durations and their difference, spans
// found in one trace only, and structural differences (a span at another depth or under another
// parent), e.g. the same message before and after a link fault.
import { parentIds, serviceOf, spanDepths } from "./trace-tree";
import type { TreeSpan, TreeTrace } from "./trace-tree";

export interface ComparedSpan {
  spanId: string;
  /** Microseconds from its trace's first span. */
  offset: number;
  duration: number;
  /** The parent's operation name, or undefined for a root. */
  parent?: string;
}

export interface ComparisonRow {
  service: string;
  operation: string;
  depth: number;
  a?: ComparedSpan;
  b?: ComparedSpan;
  /** b − a in microseconds, when both are there. */
  delta?: number;
  /** What differs in shape: where a span only in one trace sits in the other, or a changed parent. */
  structure?: string;
}

export interface TraceComparison {
  rows: ComparisonRow[];
  a: { traceId: string; spans: number; duration: number; services: string[] };
  b: { traceId: string; spans: number; duration: number; services: string[] };
  matched: number;
  onlyA: number;
  onlyB: number;
  structural: number;
}

interface Placed {
  span: TreeSpan;
  service: string;
  depth: number;
  offset: number;
  parent?: string;
}

function place(trace: TreeTrace): Placed[] {
  const depths = spanDepths(trace);
  const parents = parentIds(trace);
  const names = new Map(trace.spans.map((span) => [span.spanID, span.operationName]));
  const start = Math.min(...trace.spans.map((span) => span.startTime));
  return [...trace.spans]
    .sort((x, y) => x.startTime - y.startTime)
    .map((span) => {
      const parentId = parents.get(span.spanID);
      return { span, service: serviceOf(trace, span), depth: depths.get(span.spanID) ?? 0, offset: span.startTime - start, ...(parentId ? { parent: names.get(parentId) } : {}) };
    });
}

const keyOf = (p: { service: string; span: { operationName: string }; depth: number }) => JSON.stringify([p.service, p.span.operationName, p.depth]);
const kindOf = (p: Placed) => JSON.stringify([p.service, p.span.operationName]);

function extent(trace: TreeTrace): number {
  if (trace.spans.length === 0) return 0;
  return Math.max(...trace.spans.map((s) => s.startTime + s.duration)) - Math.min(...trace.spans.map((s) => s.startTime));
}

const compared = (p: Placed): ComparedSpan => ({ spanId: p.span.spanID, offset: p.offset, duration: p.span.duration, ...(p.parent ? { parent: p.parent } : {}) });

function groupByKey(placed: Placed[]): Map<string, Placed[]> {
  const groups = new Map<string, Placed[]>();
  for (const p of placed) groups.set(keyOf(p), [...(groups.get(keyOf(p)) ?? []), p]);
  return groups;
}

/** Where spans of this (service, operation) sit in the other trace, when not at this depth. */
function elsewhere(p: Placed, other: Placed[], label: string): string {
  const depths = [...new Set(other.filter((o) => kindOf(o) === kindOf(p) && o.depth !== p.depth).map((o) => o.depth))];
  return depths.length > 0 ? `in ${label} at depth ${depths.join(", ")}` : `not in ${label}`;
}

export function compareTraces(a: TreeTrace, b: TreeTrace): TraceComparison {
  const placedA = place(a);
  const placedB = place(b);
  const groupsB = groupByKey(placedB);
  const used = new Set<Placed>();
  const rows: ComparisonRow[] = [];
  const counts = new Map<string, number>();
  for (const pa of placedA) {
    const key = keyOf(pa);
    const nth = counts.get(key) ?? 0;
    counts.set(key, nth + 1);
    const pb = groupsB.get(key)?.[nth];
    const base = { service: pa.service, operation: pa.span.operationName, depth: pa.depth, a: compared(pa) };
    if (!pb) {
      rows.push({ ...base, structure: elsewhere(pa, placedB, "B") });
      continue;
    }
    used.add(pb);
    const parentChanged = pa.parent !== pb.parent;
    rows.push({ ...base, b: compared(pb), delta: pb.span.duration - pa.span.duration, ...(parentChanged ? { structure: `parent ${pa.parent ?? "none"} in A, ${pb.parent ?? "none"} in B` } : {}) });
  }
  for (const pb of placedB) {
    if (used.has(pb)) continue;
    rows.push({ service: pb.service, operation: pb.span.operationName, depth: pb.depth, b: compared(pb), structure: elsewhere(pb, placedA, "A") });
  }
  rows.sort((x, y) => (x.a?.offset ?? x.b?.offset ?? 0) - (y.a?.offset ?? y.b?.offset ?? 0));
  const services = (placed: Placed[]) => [...new Set(placed.map((p) => p.service))];
  return {
    rows,
    a: { traceId: a.traceID, spans: a.spans.length, duration: extent(a), services: services(placedA) },
    b: { traceId: b.traceID, spans: b.spans.length, duration: extent(b), services: services(placedB) },
    matched: rows.filter((r) => r.a && r.b).length,
    onlyA: rows.filter((r) => r.a && !r.b).length,
    onlyB: rows.filter((r) => r.b && !r.a).length,
    structural: rows.filter((r) => r.structure !== undefined).length,
  };
}

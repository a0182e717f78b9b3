// The shape of a trace as a tree, for the explorer: each span's parent inside the trace, its depth,
// and the critical path (the chain of spans that sets the trace's end-to-end duration). Pure, in
// Jaeger's trace shape reduced to what these need, so the browser and the tests agree.

export interface TreeSpan {
  spanID: string;
  traceID: string;
  operationName: string;
  processID: string;
  references: readonly { refType: string; traceID: string; spanID: string }[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: readonly { key: string; value: unknown }[];
}

export interface TreeTrace {
  traceID: string;
  spans: readonly TreeSpan[];
  processes: Record<string, { serviceName: string }>;
}

export const spanEnd = (span: TreeSpan) => span.startTime + span.duration;
export const serviceOf = (trace: TreeTrace, span: TreeSpan) => trace.processes[span.processID]?.serviceName ?? span.processID;

/** The CHILD_OF parent when it is in the trace; a span whose parent is elsewhere is a root here. */
export function parentIds(trace: TreeTrace): Map<string, string | undefined> {
  const ids = new Set(trace.spans.map((span) => span.spanID));
  return new Map(trace.spans.map((span) => [span.spanID, span.references.find((r) => r.refType === "CHILD_OF" && r.traceID === span.traceID && ids.has(r.spanID))?.spanID]));
}

export function childrenOf(trace: TreeTrace): Map<string | undefined, TreeSpan[]> {
  const parents = parentIds(trace);
  const children = new Map<string | undefined, TreeSpan[]>();
  for (const span of trace.spans) {
    const parent = parents.get(span.spanID);
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  return children;
}

/** Depth of every span (roots are 0); a reference cycle (a broken trace) stops at the spans seen. */
export function spanDepths(trace: TreeTrace): Map<string, number> {
  const parents = parentIds(trace);
  const depths = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    const parent = parents.get(id);
    const depth = parent === undefined || seen.has(parent) ? 0 : depthOf(parent, seen.add(id)) + 1;
    depths.set(id, depth);
    return depth;
  };
  for (const span of trace.spans) depthOf(span.spanID, new Set());
  return depths;
}

/**
 * The critical path: from the root whose subtree ends last, walk back from the end, each time into
 * the child that finished last before the time reached so far (Jaeger UI's method, without clipping
 * children to their parent: a consumer's process span outlives the send span it is a child of).
 */
export function criticalPath(trace: TreeTrace): string[] {
  if (trace.spans.length === 0) return [];
  const children = childrenOf(trace);
  const subtreeEnd = new Map<string, number>();
  const endOf = (span: TreeSpan): number => {
    const known = subtreeEnd.get(span.spanID);
    if (known !== undefined) return known;
    subtreeEnd.set(span.spanID, spanEnd(span));
    const end = Math.max(spanEnd(span), ...(children.get(span.spanID) ?? []).map(endOf));
    subtreeEnd.set(span.spanID, end);
    return end;
  };
  const roots = children.get(undefined) ?? [];
  const path: string[] = [];
  const onPath = new Set<string>();
  const walk = (span: TreeSpan) => {
    path.push(span.spanID);
    onPath.add(span.spanID);
    let until = Number.POSITIVE_INFINITY;
    for (;;) {
      const next = (children.get(span.spanID) ?? [])
        .filter((child) => !onPath.has(child.spanID) && endOf(child) <= until)
        .sort((a, b) => endOf(b) - endOf(a))[0];
      if (!next) return;
      walk(next);
      until = next.startTime;
    }
  };
  const last = [...roots].sort((a, b) => endOf(b) - endOf(a))[0];
  if (last) walk(last);
  return path;
}

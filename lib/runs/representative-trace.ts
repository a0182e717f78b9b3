// One trace of each run to put side by side in the trace explorer's comparison: the same kind of
// trace in both (the root operation they share most), the one reaching the most services (the
// whole pipeline, not a stray), of median duration (typical, not the fastest or the outlier).
import type { TraceSummary } from "../trace/trace-search";
import type { lookbacks } from "../trace/trace-search";

function typicalOf(traces: readonly TraceSummary[]): TraceSummary | undefined {
  const widest = Math.max(0, ...traces.map((t) => t.services.length));
  const full = traces.filter((t) => t.services.length === widest).sort((x, y) => x.duration - y.duration || x.traceId.localeCompare(y.traceId));
  return full[Math.floor((full.length - 1) / 2)];
}

const countBy = (traces: readonly TraceSummary[]) => traces.reduce((m, t) => m.set(t.root, (m.get(t.root) ?? 0) + 1), new Map<string, number>());

/** A typical trace of each run, of a root operation both share when there is one. */
export function representativePair(a: readonly TraceSummary[], b: readonly TraceSummary[]): { a?: TraceSummary; b?: TraceSummary } {
  const inA = countBy(a);
  const inB = countBy(b);
  const shared = [...inA.keys()].filter((root) => inB.has(root)).sort((x, y) => inA.get(y)! + inB.get(y)! - (inA.get(x)! + inB.get(x)!) || x.localeCompare(y));
  const root = shared[0];
  const pick = (traces: readonly TraceSummary[]) => typicalOf(root === undefined ? traces : traces.filter((t) => t.root === root));
  const pair: { a?: TraceSummary; b?: TraceSummary } = {};
  const left = pick(a);
  const right = pick(b);
  if (left) pair.a = left;
  if (right) pair.b = right;
  return pair;
}

type Lookback = (typeof lookbacks)[number];
const lookbackHours: [Lookback, number][] = [["15m", 0.25], ["1h", 1], ["6h", 6], ["24h", 24], ["48h", 48]];

/** The shortest trace search window that reaches back to a run's start; none past two days. */
export function lookbackFor(startedAt: string, now: number): Lookback | undefined {
  // Two minutes to spare: the search starts a moment after this is worked out.
  const hours = (now - Date.parse(startedAt) + 120_000) / 3_600_000;
  return lookbackHours.find(([, h]) => hours < h)?.[0];
}

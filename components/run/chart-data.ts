// The series the run charts draw, computed from the frames: x is seconds since the run started,
// gaps (null) where a window had no measurement. Pure, so it is tested without a canvas.
import type { LatencySummary, RunFrame } from "../../lib/run/model";

export type Column = (number | null)[];

export interface ChartData {
  /** Series labels in the order of `columns` (after x). */
  labels: string[];
  x: number[];
  columns: Column[];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const xOf = (frames: readonly RunFrame[]) => frames.map((frame) => frame.elapsedMs / 1000);

export function throughputData(frames: readonly RunFrame[]): ChartData {
  return {
    labels: ["published/s", "consumed/s"],
    x: xOf(frames),
    columns: [
      frames.map((f) => sum(Object.values(f.producers).map((p) => p.ratePerSec))),
      frames.map((f) => sum(Object.values(f.consumers).map((c) => c.ratePerSec))),
    ],
  };
}

/** All consumers, or one by its "service/consumer" key. */
export type LatencyScope = "all" | string;

/**
 * p50 and p99 end to end, and p50 queue wait and processing, per window. For all consumers the p50s
 * are averaged weighted by count (an approximation) and the p99 is the worst consumer's.
 */
export function latencyData(frames: readonly RunFrame[], scope: LatencyScope): ChartData {
  const pick = (frame: RunFrame) => Object.entries(frame.consumers).filter(([key, c]) => (scope === "all" || key === scope) && c.window.endToEnd.count + c.window.queueWait.count + c.window.processing.count > 0);
  const weighted = (summaries: LatencySummary[]): number | null => {
    const count = sum(summaries.map((s) => s.count));
    return count === 0 ? null : sum(summaries.map((s) => s.p50 * s.count)) / count;
  };
  const worst = (summaries: LatencySummary[]): number | null => {
    const measured = summaries.filter((s) => s.count > 0);
    return measured.length === 0 ? null : Math.max(...measured.map((s) => s.p99));
  };
  const windows = frames.map((frame) => pick(frame).map(([, c]) => c.window));
  return {
    labels: ["end to end p50", "end to end p99", "queue wait p50", "processing p50"],
    x: xOf(frames),
    columns: [
      windows.map((w) => weighted(w.map((x) => x.endToEnd))),
      windows.map((w) => worst(w.map((x) => x.endToEnd))),
      windows.map((w) => weighted(w.map((x) => x.queueWait))),
      windows.map((w) => weighted(w.map((x) => x.processing))),
    ],
  };
}

/** Queue depth per queue and lag per consumer group and topic: one series each, in a stable order. */
export function backlogData(frames: readonly RunFrame[]): ChartData {
  const queueNames = new Set<string>();
  const lagNames = new Set<string>();
  for (const frame of frames) {
    for (const q of frame.queues) queueNames.add(q.name);
    for (const l of frame.lag) lagNames.add(`${l.group} → ${l.topic}`);
  }
  const queues = [...queueNames].sort();
  const lags = [...lagNames].sort();
  return {
    labels: [...queues.map((name) => `queue ${name}`), ...lags.map((name) => `lag ${name}`)],
    x: xOf(frames),
    columns: [
      ...queues.map((name) => frames.map((f) => f.queues.find((q) => q.name === name)?.messages ?? null)),
      ...lags.map((name) => frames.map((f) => f.lag.find((l) => `${l.group} → ${l.topic}` === name)?.total ?? null)),
    ],
  };
}

/** The last non-null value of a column. */
export function latest(column: Column): number | null {
  for (let i = column.length - 1; i >= 0; i--) if (column[i] !== null && column[i] !== undefined) return column[i]!;
  return null;
}

// What one variant of one workload measured in one round, and the arithmetic shared by all:
// steady-state rate from a cumulative timeline, medians over rounds.
import type { ProcessUsage } from "./proc";

export interface Measurement {
  /** Messages consumed per second in steady state (after the warm-up, until the producer stopped). */
  throughput: number;
  /** End-to-end latency (sent → processed), or the tool's own latency where it has no end-to-end one. */
  p50Ms?: number;
  p99Ms?: number;
  processes: ProcessUsage[];
  /** Epoch ms of the steady state that throughput and CPU are measured over. */
  window?: { from: number; to: number };
  /** Anything else worth showing for this workload (spans, frames/s, start-up time, …). */
  extra?: Record<string, number>;
  note?: string;
}

/** Rate of a cumulative count between two instants, interpolated between the points around each. */
export function rateBetween(points: readonly { at: number; count: number }[], from: number, to: number): number {
  const at = (t: number) => {
    if (points.length === 0) return 0;
    if (t <= points[0]!.at) return points[0]!.count;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      if (t <= b.at) return a.count + ((b.count - a.count) * (t - a.at)) / Math.max(b.at - a.at, 1);
    }
    return points.at(-1)!.count;
  };
  const end = Math.min(to, points.at(-1)?.at ?? to);
  if (end <= from) return 0;
  return (at(end) - at(from)) / ((end - from) / 1000);
}

/**
 * Latency in steady state as the live view shows it: each frame carries the end-to-end latency of
 * its own window (≈100 ms); this is the median frame's p50 and the median frame's p99 between two
 * instants (the throughput's window, after the warm-up). Undefined when no frame there consumed.
 */
export function steadyLatency(points: readonly { at: number; latency?: { count: number; p50: number; p99: number } }[], from: number, to: number): { p50Ms: number; p99Ms: number } | undefined {
  const frames = points.filter((p) => p.at >= from && p.at <= to && p.latency && p.latency.count > 0).map((p) => p.latency!);
  const p50Ms = median(frames.map((f) => f.p50));
  const p99Ms = median(frames.map((f) => f.p99));
  return p50Ms === undefined || p99Ms === undefined ? undefined : { p50Ms, p99Ms };
}

export function median(values: readonly number[]): number | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

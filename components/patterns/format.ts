// Small formatting helpers shared by the pattern views.
import type { LatencySummary } from "../../lib/run/model";

export const count = (value: number | undefined) => (value === undefined ? "–" : value.toLocaleString("en-US"));

export const ms = (value: number | undefined) =>
  value === undefined ? "–" : value < 10 ? `${value.toFixed(1)} ms` : value < 10_000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;

/** "12 / 40 ms": p50 and p99, the unit once when they share it. */
export function latency(summary: LatencySummary | undefined): string {
  if (!summary || summary.count === 0) return "–";
  const [p50, p99] = [ms(summary.p50), ms(summary.p99)];
  return p50.endsWith(" ms") && p99.endsWith(" ms") ? `${p50.slice(0, -3)} / ${p99}` : `${p50} / ${p99}`;
}

export const clock = (at: number | undefined) => (at === undefined ? "–" : new Date(at).toLocaleTimeString("en-GB", { hour12: false }));

/** A result or an argument, in one short line. */
export function brief(value: unknown, max = 60): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

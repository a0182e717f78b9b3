// What differs between two recorded runs (`npm run scenario -- diff A B`): ledger, percentiles,
// throughput, each producer's and consumer's counters, and the faults of their timelines.
import type { RunReport } from "../run/model";
import { realErrors, type StoredRun } from "./history";

export interface DiffRow { section: string; what: string; a: string; b: string }

const num = (value: number | undefined) => (value === undefined ? "-" : Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Messages per second over the run: what the producers had confirmed, divided by its duration. */
export function throughputOf(report: RunReport): number {
  const confirmed = Object.values(report.producers).reduce((n, p) => n + p.confirmed, 0);
  return report.durationMs > 0 ? (confirmed * 1000) / report.durationMs : 0;
}

/** Faults as "+1.5 s kill payment-service[0]", timed from the run's start so two runs line up. */
function faultsOf(run: StoredRun): string[] {
  const start = Date.parse(run.startedAt);
  return (run.report?.timeline ?? []).filter((e) => e.kind === "fault").map((e) => `+${((e.at - start) / 1000).toFixed(1)} s ${e.target}: ${e.detail}`);
}

function counters(section: string, a: Record<string, object> | undefined, b: Record<string, object> | undefined, fields: string[]): DiffRow[] {
  const names = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return names.flatMap((name) => fields.map((field) => ({
    section,
    what: `${name} ${field}`,
    a: num((a?.[name] as Record<string, number> | undefined)?.[field]),
    b: num((b?.[name] as Record<string, number> | undefined)?.[field]),
  })));
}

/** Every compared figure; `differences` keeps the rows whose two sides differ. */
export function compareRuns(a: StoredRun, b: StoredRun): DiffRow[] {
  const ra = a.report;
  const rb = b.report;
  const row = (section: string, what: string, va: number | string | undefined, vb: number | string | undefined): DiffRow =>
    ({ section, what, a: typeof va === "string" ? va : num(va), b: typeof vb === "string" ? vb : num(vb) });
  const ledgerFields = ["confirmed", "consumed", "lost", "duplicated", "recovered"] as const;
  const percentiles = ["p50", "p90", "p99", "max"] as const;
  const fa = faultsOf(a);
  const fb = faultsOf(b);
  return [
    row("run", "scenario", a.scenario, b.scenario),
    row("run", "status", a.status, b.status),
    row("run", "duration s", ra && ra.durationMs / 1000, rb && rb.durationMs / 1000),
    ...ledgerFields.map((f) => row("ledger", f, ra?.ledger[f], rb?.ledger[f])),
    ...percentiles.map((p) => row("latency ms", p, ra?.latencyMs[p], rb?.latencyMs[p])),
    row("throughput", "confirmed per second", ra && throughputOf(ra), rb && throughputOf(rb)),
    ...counters("producer", ra?.producers, rb?.producers, ["published", "confirmed", "failed", "returned"]),
    ...counters("consumer", ra?.consumers, rb?.consumers, ["received", "acked", "nacked", "requeued", "redelivered", "retried", "deadLettered", "dropped", "duplicates", "failed", "forwarded"]),
    ...Array.from({ length: Math.max(fa.length, fb.length) }, (_, i) => row("faults", `#${i + 1}`, fa[i] ?? "-", fb[i] ?? "-")),
    row("errors", "count", ra && realErrors(ra).length, rb && realErrors(rb).length),
  ];
}

export const differences = (a: StoredRun, b: StoredRun) => compareRuns(a, b).filter((r) => r.a !== r.b);

/** The differing rows as an aligned text table, or a line saying there are none. */
export function formatRunDiff(a: StoredRun, b: StoredRun): string {
  const rows = differences(a, b);
  const head = `A: ${a.runId} (${a.scenario}, ${a.startedAt})\nB: ${b.runId} (${b.scenario}, ${b.startedAt})\n`;
  if (rows.length === 0) return `${head}no differences in ledger, latency, throughput, counters or faults\n`;
  const table = [["", "A", "B"], ...rows.map((r) => [`${r.section}: ${r.what}`, r.a, r.b])];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((cells) => cells[i]!.length)));
  return head + table.map((cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

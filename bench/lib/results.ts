// The benchmark's results: rows (a variant of a workload, its rounds), targets from issue 8
// checked against them, and the median arithmetic that turns rounds into one number.
import type { Measurement } from "./measure";
import { median } from "./measure";
import type { ProcessUsage } from "./proc";

export interface Row {
  workload: string;
  variant: string;
  /** Payload size or another setting that groups rows (a reference is per workload and group). */
  group: string;
  reference?: boolean;
  rounds: Measurement[];
  /** Why there is no measurement (e.g. a client that is not installed). */
  skipped?: string;
  /** A failed round's message. */
  errors?: string[];
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  ok: boolean | undefined;
}

export interface Section { rows: Row[]; targets: Target[]; notes: string[] }

export const medianOf = (row: Row, pick: (m: Measurement) => number | undefined) => median(row.rounds.map(pick).filter((v): v is number => v !== undefined));

/** Per process name: median cores and median peak RSS over rounds. */
export function processMedians(row: Row): { name: string; cores: number; peakRssMiB: number }[] {
  const byName = new Map<string, ProcessUsage[]>();
  for (const round of row.rounds) for (const p of round.processes) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  return [...byName].map(([name, list]) => ({ name, cores: median(list.map((p) => p.cores)) ?? 0, peakRssMiB: median(list.map((p) => p.peakRssMiB)) ?? 0 }));
}

/** The row's median throughput over the reference row's (same workload and group). */
export function ratioToReference(row: Row, rows: readonly Row[]): number | undefined {
  const reference = rows.find((r) => r.reference && r.workload === row.workload && r.group === row.group);
  if (!reference || reference === row) return undefined;
  const mine = medianOf(row, (m) => m.throughput);
  const theirs = medianOf(reference, (m) => m.throughput);
  return mine !== undefined && theirs ? mine / theirs : undefined;
}

/** Runs one round of a variant into its row, keeping the error instead of stopping the benchmark. */
export async function measureInto(row: Row, measure: () => Promise<Measurement>): Promise<Measurement | undefined> {
  try {
    const measurement = await measure();
    row.rounds.push(measurement);
    return measurement;
  } catch (error) {
    (row.errors ??= []).push(error instanceof Error ? error.message : String(error));
    process.stderr.write(`  ✗ ${row.variant} (${row.group}): ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export const check = (what: string, target: string, value: number | undefined, ok: (v: number) => boolean, format: (v: number) => string = (v) => v.toFixed(2)): Target => ({
  what, target, measured: value === undefined ? "not measured" : format(value), ok: value === undefined ? undefined : ok(value),
});

// Renders the results as Markdown: one table of every variant (medians over rounds, ratio to the
// workload's reference), then the targets with ✓/✗, then the notes.
import { median } from "./measure";
import { medianOf, processMedians, ratioToReference, type Row, type Section } from "./results";

const fmt = (value: number | undefined, digits = 0) => (value === undefined ? "—" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ms = (value: number | undefined) => (value === undefined ? "—" : value < 10 ? value.toFixed(2) : value.toFixed(1));

const extraLabels: Record<string, (v: number) => string> = {
  spansExported: (v) => `spans exported ${fmt(v)}`,
  spansExpected: (v) => `expected ${fmt(v)}`,
  droppedSpans: (v) => `dropped ${fmt(v)}`,
  traced: (v) => `${fmt(v)} messages traced`,
  untraced: (v) => `${fmt(v)} untraced by the trace limit (counted)`,
  framesPerSec: (v) => `${fmt(v, 1)} frames/s`,
  kbPerSec: (v) => `${fmt(v, 1)} KB/s`,
  maxFrameKB: (v) => `largest frame ${fmt(v, 1)} KB`,
  loopLagP99Ms: (v) => `event-loop lag p99 ${fmt(v, 1)} ms`,
  startupMs: (v) => `start-up ${fmt(v / 1000, 1)} s`,
  rssPerServiceMiB: (v) => `${fmt(v)} MiB RSS per service process`,
  cpuPerServiceCores: (v) => `${fmt(v, 2)} cores per service process`,
  producedPerSec: (v) => `produced ${fmt(v)} msg/s`,
  steadyP50Ms: (v) => `after the warm-up p50 ${ms(v)} ms`,
  steadyP99Ms: (v) => `p99 ${ms(v)} ms (median frame)`,
};

/** Which extra values a row shows (workload-specific). */
function extras(row: Row, keys: readonly string[]): string {
  return keys.flatMap((key) => {
    const value = median(row.rounds.map((m) => m.extra?.[key]).filter((v): v is number => v !== undefined));
    return value === undefined ? [] : [extraLabels[key]?.(value) ?? `${key} ${fmt(value, 2)}`];
  }).join(", ");
}

export function renderSection(title: string, section: Section, extraKeys: readonly string[] = []): string {
  const { rows } = section;
  const lines = [`### ${title}`, "", "| Variant | Group | msg/s | ÷ ref | p50 ms | p99 ms | CPU (cores) · peak RSS (MiB) per process | Other | Rounds |", "|---|---|--:|--:|--:|--:|---|---|--:|"];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(`| ${row.variant} | ${row.group} | — | — | — | — | — | ${row.skipped} | 0 |`);
      continue;
    }
    const ratio = row.reference ? "ref" : fmt(ratioToReference(row, rows), 2);
    const processes = processMedians(row).map((p) => `${p.name} ${p.cores.toFixed(2)} · ${Math.round(p.peakRssMiB)}`).join("<br>");
    const failed = row.errors?.length ? ` ✗ ${row.errors.length} failed: ${row.errors[0]!.slice(0, 160).replace(/\|/g, "/")}` : "";
    const notes = [...new Set(row.rounds.map((m) => m.note).filter(Boolean))].join("; ");
    const other = [extras(row, extraKeys), notes].filter(Boolean).join("; ") + failed;
    lines.push(`| ${row.variant} | ${row.group} | ${fmt(medianOf(row, (m) => m.throughput))} | ${ratio} | ${ms(medianOf(row, (m) => m.p50Ms))} | ${ms(medianOf(row, (m) => m.p99Ms))} | ${processes || "—"} | ${other || ""} | ${row.rounds.length} |`);
  }
  return lines.join("\n");
}

export function renderTargets(sections: readonly Section[]): string {
  const targets = sections.flatMap((s) => s.targets);
  const mark = (ok: boolean | undefined) => (ok === undefined ? "–" : ok ? "✓" : "✗");
  return ["| Target (issue 8) | Wanted | Measured | |", "|---|---|--:|:-:|", ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${mark(t.ok)} |`)].join("\n");
}

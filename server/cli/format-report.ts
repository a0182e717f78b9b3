// A run report as text for a terminal.
import { formatSeconds } from "../../lib/run/lag";
import type { RunReport } from "../../lib/run/model";
import { runResourcesLines } from "../../lib/run/resources-text";
import { formatPatterns } from "./format-patterns";

const pad = (value: string | number, width: number) => String(value).padStart(width);

export function formatReport(report: RunReport): string {
  const lines: string[] = [];
  lines.push(`Run ${report.runId} (${report.scenario}): ${report.status} in ${(report.durationMs / 1000).toFixed(1)} s`, "");
  lines.push("Producers                                   published  confirmed   failed returned");
  for (const [key, p] of Object.entries(report.producers)) lines.push(`  ${key.padEnd(40)} ${pad(p.published, 10)} ${pad(p.confirmed, 10)} ${pad(p.failed, 8)} ${pad(p.returned, 8)}`);
  lines.push("", "Consumers                                    received     acked   nacked redeliv.  dead-l. dupl.  p50 ms  p99 ms");
  for (const [key, c] of Object.entries(report.consumers)) {
    lines.push(`  ${key.padEnd(40)} ${pad(c.received, 10)} ${pad(c.acked, 9)} ${pad(c.nacked, 8)} ${pad(c.redelivered, 8)} ${pad(c.deadLettered, 8)} ${pad(c.duplicates, 5)} ${pad(c.latencyMs.endToEnd.p50, 7)} ${pad(c.latencyMs.endToEnd.p99, 7)}`);
  }
  const l = report.ledger;
  lines.push("", `Ledger: confirmed ${l.confirmed}, consumed ${l.consumed}, lost ${l.lost}, duplicated ${l.duplicated}, recovered ${l.recovered}`);
  lines.push(`Latency end to end: p50 ${report.latencyMs.p50} ms, p90 ${report.latencyMs.p90} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`);
  if (report.queues.length) lines.push(`Queues at the end: ${report.queues.map((q) => `${q.name}=${q.messages}${q.delayed ? ` (${q.delayed} delayed)` : ""}`).join(", ")}`);
  if (report.lag.length) lines.push(`Kafka lag at the end: ${report.lag.map((g) => `${g.group}/${g.topic}=${g.total}${g.total > 0 && g.seconds !== undefined ? ` (oldest ${formatSeconds(g.seconds)} old)` : ""}`).join(", ")}`);
  lines.push(...runResourcesLines(report.resources));
  lines.push(...formatPatterns(report.patterns));
  lines.push(`Traces: ${report.traces.searchUrl}`);
  if (report.traces.sample.length) lines.push(`  sample trace ids: ${report.traces.sample.join(", ")}`);
  if (report.traces.droppedSpans > 0) lines.push(`  ${report.traces.droppedSpans} spans were dropped (is Jaeger up?)`);
  const sampling = report.traces.sampling;
  if (sampling && sampling.untraced > 0) {
    lines.push(`  ${sampling.traced} messages traced, ${sampling.untraced} untraced: at most ${sampling.limitPerSecond} new traces per service process per second (BROKERLAB_TRACE_LIMIT=0 traces every message)`);
  }
  if (report.errors.length) lines.push("", "Notes:", ...report.errors.map((e) => `  - ${e}`));
  lines.push(`Logs: ${report.logsDir}`, "");
  return lines.join("\n");
}

// A run as one self-contained HTML page (issue 17, share): summary, ledger, percentiles, counters,
// throughput and latency charts drawn inline as SVG from the recorded frames, the faults timeline
// and the scenario. No script and no network: the file opens offline and can be handed out.
import type { RunFrame } from "../run/model";
import type { StoredRun } from "./history";
import { escapeHtml as esc, lineChart } from "./svg-chart";
import type { ChartMarker } from "./svg-chart";

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function table(head: string[], rows: (string | number)[][]): string {
  if (rows.length === 0) return "<p>none</p>";
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

/** Faults as chart markers, at their time since the run started. */
function faultMarkers(run: StoredRun, frames: RunFrame[]): ChartMarker[] {
  const start = frames[0] ? frames[0].at - frames[0].elapsedMs : Date.parse(run.startedAt);
  const timeline = run.report?.timeline ?? frames.at(-1)?.timeline ?? [];
  return timeline.filter((e) => e.kind === "fault").map((e) => ({ x: e.at - start, label: `${e.target}: ${e.detail}` }));
}

export function runReportHtml(run: StoredRun, frames: RunFrame[]): string {
  const report = run.report;
  const markers = faultMarkers(run, frames);
  const throughput = lineChart("Throughput", "messages per second", [
    { name: "sent", color: "#2e86de", points: frames.map((f) => [f.elapsedMs, sum(Object.values(f.producers).map((p) => p.ratePerSec))]) },
    { name: "received", color: "#27ae60", points: frames.map((f) => [f.elapsedMs, sum(Object.values(f.consumers).map((c) => c.ratePerSec))]) },
  ], markers);
  const worst = (f: RunFrame, key: "p50" | "p99") => Math.max(0, ...Object.values(f.consumers).map((c) => c.window.endToEnd[key]));
  const latency = lineChart("End-to-end latency", "ms, slowest consumer", [
    { name: "p50", color: "#8e44ad", points: frames.map((f) => [f.elapsedMs, worst(f, "p50")]) },
    { name: "p99", color: "#e67e22", points: frames.map((f) => [f.elapsedMs, worst(f, "p99")]) },
  ], markers);
  const ledger = report?.ledger ?? run.ledger;
  const body = [
    `<h1>${esc(run.title ?? run.scenario)}</h1>`,
    `<p>Run <code>${esc(run.runId)}</code> of scenario <b>${esc(run.scenario)}</b> (${esc(run.origin)}), started ${esc(run.startedAt)}, ${((run.durationMs ?? 0) / 1000).toFixed(1)} s, ${esc(run.status)}. Brokers: ${esc(run.brokers.join(", "))}.</p>`,
    "<h2>Ledger</h2>",
    ledger ? table(["confirmed", "consumed", "lost", "duplicated", "recovered"], [[ledger.confirmed, ledger.consumed, ledger.lost, ledger.duplicated, ledger.recovered]]) : "<p>not recorded</p>",
    "<h2>Latency</h2>",
    report ? table(["p50 ms", "p90 ms", "p99 ms", "max ms"], [[report.latencyMs.p50, report.latencyMs.p90, report.latencyMs.p99, report.latencyMs.max]]) : "<p>not recorded</p>",
    `<h2>Charts</h2>${frames.length > 0 ? throughput + latency : "<p>no frames recorded</p>"}`,
    "<h2>Producers</h2>",
    table(["producer", "published", "confirmed", "failed", "returned"], Object.entries(report?.producers ?? {}).map(([name, p]) => [name, p.published, p.confirmed, p.failed, p.returned])),
    "<h2>Consumers</h2>",
    table(["consumer", "received", "acked", "redelivered", "dead-lettered", "duplicates", "failed"], Object.entries(report?.consumers ?? {}).map(([name, c]) => [name, c.received, c.acked, c.redelivered, c.deadLettered, c.duplicates, c.failed])),
    "<h2>Timeline</h2>",
    table(["at", "kind", "target", "detail"], (report?.timeline ?? []).map((e) => [new Date(e.at).toISOString(), e.kind, e.target, e.detail])),
    ...(report && report.errors.length > 0 ? ["<h2>Errors</h2>", `<ul>${report.errors.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>`] : []),
    `<h2>Scenario</h2><pre>${esc(run.scenarioText)}</pre>`,
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brokerlab run ${esc(run.runId)}</title><style>${style}</style></head><body>${body.join("\n")}</body></html>\n`;
}

const style = "body{font:14px/1.4 system-ui,sans-serif;max-width:720px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}figure{margin:1em 0}.legend span{margin-right:1em}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}";

// The pattern part of a run report as text for a terminal: requests, tasks, webhooks, projections.
import type { PatternsReport } from "../../lib/run/patterns";

const ms = (value: number) => `${value} ms`;

export function formatPatterns(patterns: PatternsReport | undefined): string[] {
  if (!patterns) return [];
  const lines: string[] = [];
  for (const [key, r] of Object.entries(patterns.requests ?? {})) {
    const c = r.counters;
    lines.push(`Requests ${key}: sent ${c.sent}, replied ${c.replied}, error replies ${c.errors}, timed out ${c.timedOut}, late ${c.late}, unmatched ${c.unmatched}, pending ${c.pending}`);
    lines.push(`  round trip: p50 ${ms(r.rtt.p50)}, p90 ${ms(r.rtt.p90)}, p99 ${ms(r.rtt.p99)}, max ${ms(r.rtt.max)} (${r.rtt.count} replies)`);
    if (c.fastFailed !== undefined) lines.push(`  circuit breaker: fast failures ${c.fastFailed}, opened ${c.breakerOpened ?? 0}, half-opened ${c.breakerHalfOpened ?? 0}, closed again ${c.breakerClosed ?? 0}`);
  }
  for (const [key, r] of Object.entries(patterns.repliers ?? {})) lines.push(`Replier ${key}: received ${r.received}, replied ${r.replied}, error replies ${r.errors}, failed ${r.failed}`);
  const tasks = patterns.tasks;
  if (tasks) {
    const c = tasks.counts;
    lines.push(`Tasks: ${tasks.total} — pending ${c.pending}, started ${c.started}, retried ${c.retried}, succeeded ${c.succeeded}, failed ${c.failed}`);
    for (const [job, counts] of Object.entries(tasks.byJob)) lines.push(`  ${job.padEnd(24)} succeeded ${counts.succeeded}, failed ${counts.failed}`);
    for (const [key, w] of Object.entries(tasks.workers)) lines.push(`  worker ${key}: started ${w.started}, succeeded ${w.succeeded}, retried ${w.retried}, timed out ${w.timedOut}, failed ${w.failed}`);
    lines.push(`  run time p50 ${ms(tasks.runtimeMs.p50)}, p99 ${ms(tasks.runtimeMs.p99)}; wait p50 ${ms(tasks.waitMs.p50)}, p99 ${ms(tasks.waitMs.p99)}`);
  }
  const webhooks = patterns.webhooks;
  if (webhooks) {
    for (const [key, a] of Object.entries(webhooks.api)) lines.push(`HTTP API ${key}: ${a.requests} requests, ${a.accepted} accepted (202), ${a.rejected} rejected, ${a.failed} failed`);
    for (const [key, c] of Object.entries(webhooks.calls)) lines.push(`API calls ${key}: sent ${c.sent}, accepted ${c.accepted}, rejected ${c.rejected}, failed ${c.failed}`);
    const d = webhooks.deliveries;
    lines.push(`Callbacks: ${d.delivered} delivered, ${d.failed} failed, ${d.pending} pending; ${d.attempts} attempts, ${d.retries} retries`);
    for (const [key, r] of Object.entries(webhooks.receivers)) lines.push(`  receiver ${key}: ${r.received} received, ${r.valid} valid, ${r.invalid} bad signature (401), ${r.failedOnPurpose} failed on purpose, ${r.duplicates} duplicates`);
  }
  for (const [key, p] of Object.entries(patterns.projections ?? {})) {
    lines.push(`Projection ${key} (${p.topic}): ${p.keys} keys, ${p.applied} events applied, ${p.skipped} skipped, ${p.replayed} replayed`);
    lines.push(`  offsets: ${p.partitions.map((part) => `[${part.partition}] ${part.position}/${part.high}`).join(", ")}`);
    if (p.replay) lines.push(`  last replay from ${p.replay.from}: ${p.replay.done ? "done" : `${Math.round(p.replay.progress * 100)} %`}, ${p.replay.applied} events`);
    for (const [k, fields] of Object.entries(p.state).slice(0, 10)) lines.push(`  ${k.padEnd(16)} ${Object.entries(fields).map(([f, v]) => `${f}=${String(v)}`).join(" ")}`);
  }
  return lines.length ? ["", ...lines] : [];
}

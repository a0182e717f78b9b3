// `npm run bench [-- --quick | --smoke] [--rounds=N] [--only=rabbitmq,kafka,tracing,live,scale,run-store]`: runs each
// workload of issue 8 on the local stack, each variant in turn, and prints a Markdown table (also
// written to bench/results/latest.md and latest.json). See docs/benchmarks.md.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchConfig, type BenchConfig } from "./config";
import { renderSection, renderTargets } from "./lib/markdown";
import { medianOf, type Section } from "./lib/results";
import { benchDir } from "./lib/spawn";
import { kafkaWorkload } from "./workloads/kafka";
import { liveViewWorkload } from "./workloads/live-view";
import { rabbitWorkload } from "./workloads/rabbitmq";
import { scaleWorkload } from "./workloads/scale";
import { runStoreWorkload } from "./workloads/run-store";
import { tracingWorkload } from "./workloads/tracing";

interface Workload {
  name: string;
  title: string;
  extraKeys?: string[];
  run(config: BenchConfig, done: Map<string, Section>): Promise<Section>;
}

const workloads: Workload[] = [
  { name: "rabbitmq", title: "1 · RabbitMQ: confirms (window 1000) + manual ack, prefetch 200", extraKeys: ["droppedSpans", "untraced", "loopLagP99Ms"], run: (c) => rabbitWorkload(c) },
  { name: "kafka", title: "2 · Kafka: acks=all, one partition, one group member", extraKeys: ["droppedSpans", "untraced", "loopLagP99Ms", "producedPerSec"], run: (c) => kafkaWorkload(c) },
  {
    name: "tracing",
    title: "3 · Tracing on vs off at 50% of the maximum rate (RabbitMQ, 100 B)",
    extraKeys: ["steadyP50Ms", "steadyP99Ms", "spansExported", "spansExpected", "droppedSpans", "traced", "untraced"],
    run: (c, done) => tracingWorkload(c, maxRate(done)),
  },
  {
    name: "live",
    title: "4 · Live view: one socket.io client while ~10,000 msg/s flow",
    extraKeys: ["framesPerSec", "kbPerSec", "maxFrameKB", "loopLagP99Ms"],
    run: (c, done) => liveViewWorkload(c, maxLoadLag(done)),
  },
  { name: "scale", title: "5 · Scale: services in one scenario", extraKeys: ["startupMs", "rssPerServiceMiB", "cpuPerServiceCores"], run: (c) => scaleWorkload(c) },
  { name: "run-store", title: "6 · Run store: recording on and off (RabbitMQ, 100 B, tracing off)", extraKeys: ["loopLagP99Ms"], run: (c) => runStoreWorkload(c) },
];

/** Brokerlab's RabbitMQ throughput at 100 B with tracing off, when workload 1 ran. */
function maxRate(done: Map<string, Section>): number | undefined {
  const row = done.get("rabbitmq")?.rows.find((r) => r.variant === "Brokerlab, tracing off" && r.group === "100 B");
  return row ? medianOf(row, (m) => m.throughput) : undefined;
}

/** The worst event-loop delay p99 of the engine at full speed (Brokerlab rows of workloads 1 and 2). */
function maxLoadLag(done: Map<string, Section>): number | undefined {
  const values = ["rabbitmq", "kafka"].flatMap((name) => done.get(name)?.rows ?? [])
    .filter((row) => row.variant.startsWith("Brokerlab"))
    .flatMap((row) => medianOf(row, (m) => m.extra?.loopLagP99Ms) ?? []);
  return values.length ? Math.max(...values) : undefined;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the start`;
}

async function main(): Promise<void> {
  const config = benchConfig(process.argv.slice(2));
  const startedAt = new Date();
  const header = `Brokerlab benchmark, ${config.smoke ? "smoke" : config.quick ? "quick" : "full"} run, ${config.rounds} round(s) of ${config.durationMs / 1000} s per variant (warm-up ${config.warmupMs / 1000} s), ${startedAt.toISOString()}`;
  const machineLine = machine();
  process.stderr.write(`[bench] ${header}\n[bench] ${machineLine}\n`);
  const done = new Map<string, Section>();
  const rendered: string[] = [];
  for (const workload of workloads) {
    if (!config.only.has(workload.name)) continue;
    const section = await workload.run(config, done);
    done.set(workload.name, section);
    rendered.push(renderSection(workload.title, section, workload.extraKeys), ...section.notes.map((n) => `\n${n}`), "");
  }
  const markdown = [
    `## Results`, "", header, "", `Machine: ${machineLine}.`, "", renderTargets([...done.values()]), "", ...rendered,
    `Took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s.`, "",
  ].join("\n");
  process.stdout.write(`${markdown}\n`);
  if (config.smoke) {
    // The smoke run checks the harness: every row measured, nothing written.
    const failed = [...done.values()].flatMap((s) => s.rows).filter((r) => !r.skipped && !r.rounds.some((m) => m.throughput > 0));
    if (failed.length > 0) throw new Error(`no measurement for ${failed.map((r) => `${r.variant} (${r.group})`).join(", ")}`);
    return;
  }
  const dir = path.join(benchDir, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "latest.md"), markdown);
  const json = { startedAt: startedAt.toISOString(), machine: machineLine, config: { ...config, only: [...config.only] }, workloads: Object.fromEntries(done) };
  writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`), `${JSON.stringify(json)}\n`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

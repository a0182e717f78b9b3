// `npx tsx bench/profile.ts [--tracing=on|off] [--seconds=N] [--size=N] [--kafka]`: runs the
// workload-1 (or -2) producer and consumer service processes as the engine forks them, with
// node --cpu-prof, then prints where each spent its CPU (self time by function, and by package).
// Profiles land in bench/results/profiles/ (git-ignored with the rest of bench/results/).
import { fork } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { ServiceLaunch, ServiceToEngine } from "../lib/run/ipc";
import { serviceSchema } from "../lib/scenario/schema";
import { createKafkaAdmin, createRabbitAdmin } from "../server/brokers";
import { loadConfig } from "../server/config";
import { serviceEntry } from "../server/engine/service-bundle";
import { unique } from "./config";
import { sleep } from "./lib/measure";
import { benchDir, repoRoot } from "./lib/spawn";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const tracing = arg("tracing", "on") === "on";
const seconds = Number(arg("seconds", "10"));
const size = Number(arg("size", "100"));
const kafka = process.argv.includes("--kafka");
const outDir = path.join(benchDir, "results", "profiles", `${kafka ? "kafka" : "rabbitmq"}-tracing-${tracing ? "on" : "off"}`);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Self time per function and per package (node_modules/<pkg>, node internals, our code). */
function summarize(file: string, top = 18): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const url = frame.url.replace(/^file:\/\//, "").replace(repoRoot + "/", "");
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith("node:") ? "node internals" : url === "" ? `(${frame.functionName || "native"})` : url.split("/").slice(0, 2).join("/"));
    const fn = `${frame.functionName || "(anonymous)"} ${url ? `${url.split("node_modules/").at(-1)}:${frame.lineNumber + 1}` : ""}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `  ${pct(us)}  ${k}`).join("\n");
  return `${path.basename(file)}: ${(total / 1e6).toFixed(2)} s sampled\n by package:\n${list(pkgs)}\n by function (self):\n${list(fns)}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const destination = unique(kafka ? "bench-prof-topic" : "bench-prof");
  const rabbit = createRabbitAdmin({ url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL });
  const kafkaAdmin = createKafkaAdmin({ brokers: config.KAFKA_BROKERS });
  const topic = { name: destination, partitions: 1, replicationFactor: 1, cleanupPolicy: "delete" as const, existing: false };
  const queue = { name: destination, type: "classic" as const, durable: true, autoDelete: false, existing: false };
  if (kafka) await kafkaAdmin.apply([topic]);
  else await rabbit.apply({ exchanges: [], queues: [queue], bindings: [] });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const runId = unique("bench-profile");
  const launch = (service: unknown): ServiceLaunch => ({
    runId, scenarioName: "bench-profile", service: serviceSchema.parse(service), replica: 0, replicas: 1,
    brokers: { b: kafka ? { kind: "kafka", brokers: config.KAFKA_BROKERS } : { kind: "rabbitmq", url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL } },
    resources: {}, propagation: "parent", tracing: { enabled: tracing, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, maxPerSecond: config.BROKERLAB_TRACE_LIMIT },
    // What the engine switches to at ~10,000 msg/s (message-log sampling); ledger ids written ahead, as the engine asks.
    frameIntervalMs: 100, logSampleEvery: 64, ledgerWriteAhead: true,
  });
  const from = kafka ? { topic: destination, group: unique("bench-prof-g"), fromBeginning: true } : { queue: destination };
  const to = kafka ? { topic: destination } : { queue: destination };
  const services = [
    { name: "consumer", consumers: [{ name: "consume", broker: "b", from, ack: "manual", prefetch: 200 }] },
    { name: "producer", producers: [{ name: "publish", broker: "b", to, rate: { burst: 1_000_000 }, sizeBytes: size, confirmWindow: 1000 }] },
  ];
  // The entry the engine forks (the bundled service code).
  const entry = await serviceEntry();
  const children = [];
  let acked = 0;
  for (const service of services) {
    const child = fork(entry.file, [], {
      // No --cpu-prof-name: with the tsx fallback its loader thread writes a profile too, and must not overwrite the main one.
      execArgv: [...entry.execArgv, "--cpu-prof", `--cpu-prof-dir=${path.join(outDir, service.name)}`],
      env: { ...process.env, BROKERLAB_LAUNCH: JSON.stringify(launch(service)), NODE_OPTIONS: "" },
      stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced",
    });
    const ready = new Promise<void>((resolve) => child.on("message", (m: ServiceToEngine) => {
      if (m.type === "ready") resolve();
      if (m.type === "frame" && m.consumers.consume) acked = m.consumers.consume.acked;
    }));
    await ready;
    children.push(child);
  }
  const startAcked = acked;
  await sleep(seconds * 1000);
  process.stderr.write(`[profile] ${tracing ? "tracing on" : "tracing off"}: ${Math.round((acked - startAcked) / seconds)} msg/s consumed\n`);
  await Promise.all(children.map((child) => new Promise((resolve) => { child.on("exit", resolve); child.send({ type: "stop" }); })));
  if (kafka) await kafkaAdmin.teardown([topic]).catch(() => {});
  else await rabbit.teardown({ exchanges: [], queues: [queue], bindings: [] }).catch(() => {});
  await rabbit.close();
  await kafkaAdmin.close();
  for (const service of services) {
    const dir = path.join(outDir, service.name);
    // The main thread's profile is the largest one (the loader thread mostly idles).
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, f));
    const main = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    if (main) process.stdout.write(`${service.name}: ${summarize(main)}\n\n`);
  }
}

void main().then(() => process.exit(0), (error: unknown) => { process.stderr.write(`${String(error)}\n`); process.exit(1); });

// RabbitMQ PerfTest (com.rabbitmq.perf.PerfTest) with the flags that match workload 1: one
// producer and one consumer, persistent messages, `-c` unconfirmed at most, prefetch `-q`,
// manual ack (its default), a fixed run time; its per-second lines and summary parsed.
import type { Measurement } from "../lib/measure";
import type { ProcessSampler } from "../lib/proc";
import { exitWithin, start } from "../lib/spawn";
import { javaArgs } from "./jars";

export interface PerfTestOptions {
  url: string;
  queue: string;
  size: number;
  confirmWindow: number;
  prefetch: number;
  durationMs: number;
  warmupMs: number;
  /** Messages per second (-r); absent = as fast as possible. */
  rate?: number;
}

const perSecond = /time (\d+\.\d+) s, sent: (\d+) msg\/s, .*received: (\d+) msg\/s/;
const latency = /consumer latency min\/median\/75th\/95th\/99th (\d+)\/(\d+)\/(\d+)\/(\d+)\/(\d+) µs/;

export async function runPerfTest(options: PerfTestOptions, sampler: ProcessSampler): Promise<Measurement> {
  const seconds = Math.max(2, Math.round(options.durationMs / 1000));
  const args = [
    "-h", options.url, "-x", "1", "-y", "1", "-s", String(options.size), "-c", String(options.confirmWindow),
    "-q", String(options.prefetch), "-z", String(seconds), "-f", "persistent", "-u", options.queue, "-ad", "true", "-i", "1",
    ...(options.rate ? ["-r", String(options.rate)] : []),
  ];
  const spawnedAt = Date.now();
  const tool = start("java", javaArgs("perf-test.sh", "com.rabbitmq.perf.PerfTest", args));
  sampler.track("PerfTest (JVM)", tool.child.pid);
  await exitWithin(tool, options.durationMs + 30_000);
  const rates = tool.lines.flatMap((line) => {
    const m = perSecond.exec(line);
    return m ? [{ second: Number(m[1]), received: Number(m[3]) }] : [];
  });
  const steady = rates.filter((r) => r.second > options.warmupMs / 1000 + 0.5);
  const summary = tool.lines.map((line) => latency.exec(line)).find(Boolean);
  if (steady.length === 0 || !summary) throw new Error(`PerfTest printed no results; stderr: ${tool.stderr().slice(-500)}`);
  return {
    throughput: steady.reduce((sum, r) => sum + r.received, 0) / steady.length,
    p50Ms: Number(summary[2]) / 1000,
    p99Ms: Number(summary[5]) / 1000,
    processes: [],
    // PerfTest starts producing about a second after the JVM starts.
    window: { from: spawnedAt + 1_000 + options.warmupMs, to: spawnedAt + 1_000 + options.durationMs },
  };
}

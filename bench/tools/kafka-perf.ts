// Kafka's own tools (org.apache.kafka.tools.ProducerPerformance / ConsumerPerformance, i.e.
// kafka-producer-perf-test / kafka-consumer-perf-test) side by side: the consumer joins a group
// first, then the producer sends `records` with acks=all as fast as it can. Throughput comes from
// the consumer's per-interval counts; latency is the producer's send→ack latency (the tools have
// no end-to-end latency).
import type { Measurement } from "../lib/measure";
import { rateBetween, sleep } from "../lib/measure";
import type { ProcessSampler } from "../lib/proc";
import { exitWithin, start } from "../lib/spawn";
import { javaArgs } from "./jars";

export interface KafkaPerfOptions {
  bootstrap: string;
  topic: string;
  group: string;
  size: number;
  /** Records to send: about the workload's duration at the expected rate. */
  records: number;
  durationMs: number;
  warmupMs: number;
}

const summary = /(\d+) records sent, ([\d.]+) records\/sec .* ([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th/;

function consumerPoint(line: string): { at: number; count: number } | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d):(\d{3}), \d+, [\d.]+, [\d.]+, (\d+),/.exec(line);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, count] = m.map(Number) as number[];
  return { at: new Date(y!, mo! - 1, d!, h!, mi!, s!, ms!).getTime(), count: count! };
}

export async function runKafkaTools(options: KafkaPerfOptions, sampler: ProcessSampler): Promise<Measurement> {
  const consumer = start("java", javaArgs("kafka.sh", "org.apache.kafka.tools.ConsumerPerformance", [
    "--bootstrap-server", options.bootstrap, "--topic", options.topic, "--group", options.group, "--num-records", String(options.records),
    "--timeout", String(options.durationMs * 3 + 10_000), "--show-detailed-stats", "--reporting-interval", "250",
  ]));
  sampler.track("ConsumerPerformance (JVM)", consumer.child.pid);
  // The tool prints nothing until it has joined and fetched; give the group time to form.
  await sleep(3_000);
  const producer = start("java", javaArgs("kafka.sh", "org.apache.kafka.tools.ProducerPerformance", [
    "--bootstrap-server", options.bootstrap, "--topic", options.topic, "--num-records", String(options.records),
    "--record-size", String(options.size), "--throughput", "-1", "--reporting-interval", "1000", "--command-property", "acks=all",
  ]));
  sampler.track("ProducerPerformance (JVM)", producer.child.pid);
  await exitWithin(producer, options.durationMs * 3 + 10_000);
  await exitWithin(consumer, 10_000);
  const points = consumer.lines.flatMap((line) => consumerPoint(line) ?? []).filter((p) => p.count > 0);
  const result = producer.lines.map((line) => summary.exec(line)).find(Boolean);
  if (points.length < 2) throw new Error(`ConsumerPerformance printed no progress; stderr: ${consumer.stderr().slice(-500)}`);
  const first = points[0]!.at;
  const lastGrowth = points.findLast((p, i) => i === 0 || p.count > points[i - 1]!.count)!.at;
  const window = { from: first + options.warmupMs, to: Math.min(first + options.durationMs, lastGrowth) };
  return {
    throughput: rateBetween(points, window.from, window.to),
    window,
    extra: result ? { producedPerSec: Number(result[2]) } : {},
    ...(result ? { p50Ms: Number(result[3]), p99Ms: Number(result[5]) } : {}),
    processes: [],
    note: "latency: ProducerPerformance send→ack",
  };
}

// Workload 2: Kafka produce with acks=all and consume in a group (one partition). Brokerlab
// (tracing off and on) vs bare kafkajs (the reference) vs Kafka's ProducerPerformance +
// ConsumerPerformance vs the same bare pair written with @platformatic/kafka.
import type { ScenarioInput } from "../../lib/scenario/schema";
import { createKafkaAdmin } from "../../server/brokers";
import type { Topic } from "../../lib/scenario/schema";
import { sizeLabel, unique, type BenchConfig } from "../config";
import { runBarePair } from "../lib/bare-pair";
import { runBrokerlab } from "../lib/brokerlab";
import { check, measureInto, ratioToReference, type Row, type Section } from "../lib/results";
import { sampled } from "../lib/sampled";
import { runKafkaTools } from "../tools/kafka-perf";

export const workload = "2 · Kafka";

function kafkaScenario(topic: string, size: number, confirmWindow: number): ScenarioInput {
  return {
    version: 1,
    name: "bench-kafka",
    brokers: { kafka: { kind: "kafka" } },
    resources: { kafka: { topics: [{ name: topic, partitions: 1, replicationFactor: 1 }] } },
    services: [
      { name: "bench-consumer", consumers: [{ name: "consume", broker: "kafka", from: { topic, group: unique("bench-g"), fromBeginning: true }, ack: "manual" }] },
      { name: "bench-producer", producers: [{ name: "publish", broker: "kafka", to: { topic }, rate: { burst: 1_000_000 }, sizeBytes: size, acks: "all", confirmWindow }] },
    ],
  };
}

const topicOf = (name: string): Topic => ({ name, partitions: 1, replicationFactor: 1, cleanupPolicy: "delete", existing: false });

/** Creates a one-partition topic for a bare or tool variant, and deletes it afterwards. */
async function withTopic<T>(config: BenchConfig, use: (topic: string) => Promise<T>): Promise<T> {
  const admin = createKafkaAdmin({ brokers: config.kafkaBrokers, clientId: "brokerlab-bench" });
  const topic = topicOf(unique("bench-kafka"));
  await admin.apply([topic]);
  try {
    return await use(topic.name);
  } finally {
    await admin.teardown([topic]).catch(() => {});
    await admin.close();
  }
}

export async function kafkaWorkload(config: BenchConfig): Promise<Section> {
  const rows: Row[] = [];
  const { durationMs, warmupMs, confirmWindow } = config;
  const bootstrap = config.kafkaBrokers.join(",");
  // ProducerPerformance sends a count, not for a time: aim at the duration with the last rate seen.
  const toolRate = new Map<number, number>([[100, 60_000], [1024, 25_000]]);
  for (const size of config.sizes) {
    const group = sizeLabel(size);
    const row = (variant: string, reference = false): Row => {
      const created: Row = { workload, variant, group, reference, rounds: [] };
      rows.push(created);
      return created;
    };
    const bare = row("bare kafkajs", true);
    const off = row("Brokerlab, tracing off");
    const on = row("Brokerlab, tracing on");
    const tools = row("Kafka Producer/ConsumerPerformance");
    const platformatic = row("bare @platformatic/kafka");
    // A bare pair (bench/bare/<script>) on a topic of its own.
    const barePair = (target: Row, script: string) => measureInto(target, () => withTopic(config, (topic) => sampled("kafka", (sampler) =>
      runBarePair(script, { url: bootstrap, destination: topic, group: unique("bench-g"), size, window: confirmWindow, prefetch: 0, durationMs }, warmupMs, sampler))));
    for (let round = 1; round <= config.rounds; round++) {
      process.stderr.write(`[bench] ${workload} ${group}, round ${round}/${config.rounds}\n`);
      await barePair(bare, "bare/kafkajs.ts");
      for (const [target, tracing] of [[off, false], [on, true]] as const) {
        await measureInto(target, () => sampled("kafka", async (sampler) =>
          (await runBrokerlab({ scenario: kafkaScenario(unique("bench-bl"), size, confirmWindow), tracing, durationMs, warmupMs }, sampler)).measurement));
      }
      const measured = await measureInto(tools, () => withTopic(config, (topic) => sampled("kafka", (sampler) =>
        runKafkaTools({ bootstrap, topic, group: unique("bench-g"), size, records: Math.round((toolRate.get(size) ?? 30_000) * (durationMs / 1000)), durationMs, warmupMs }, sampler))));
      if (measured?.extra?.producedPerSec) toolRate.set(size, measured.extra.producedPerSec);
      await barePair(platformatic, "bare/platformatic-kafka.ts");
    }
  }
  const targets = config.sizes.flatMap((size) => {
    const group = sizeLabel(size);
    const find = (variant: string) => rows.find((r) => r.group === group && r.variant === variant)!;
    return [
      check(`Kafka ${group}: Brokerlab ÷ bare kafkajs, tracing off`, "≥ 0.85", ratioToReference(find("Brokerlab, tracing off"), rows), (v) => v >= 0.85),
      check(`Kafka ${group}: Brokerlab ÷ bare kafkajs, tracing on`, "≥ 0.80", ratioToReference(find("Brokerlab, tracing on"), rows), (v) => v >= 0.8),
    ];
  });
  const note = "One partition, acks=all. Throughput is the consumer's rate after the warm-up; the Kafka tools have no end-to-end latency, so their p50/p99 is ProducerPerformance's send→ack latency (it queues as much as its 32 MB buffer holds, so it is large at full speed).";
  return { rows, targets, notes: [note] };
}

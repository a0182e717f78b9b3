// Workload 1: RabbitMQ publish with pipelined confirms (window 1000, persistent) and consume with
// manual ack, prefetch 200. Brokerlab (tracing off and on) vs bare amqplib (the reference) vs
// RabbitMQ PerfTest with matching flags, each payload size, variants in turn within a round.
import type { ScenarioInput } from "../../lib/scenario/schema";
import { sizeLabel, unique, type BenchConfig } from "../config";
import { runBarePair } from "../lib/bare-pair";
import { runBrokerlab } from "../lib/brokerlab";
import { check, measureInto, ratioToReference, type Row, type Section } from "../lib/results";
import { sampled } from "../lib/sampled";
import { runPerfTest } from "../tools/perf-test";

export const workload = "1 · RabbitMQ";

export function rabbitScenario(options: { queue: string; size: number; confirmWindow: number; prefetch: number; rate?: number; count?: number }): ScenarioInput {
  return {
    version: 1,
    name: "bench-rabbitmq",
    brokers: { rabbit: { kind: "rabbitmq" } },
    resources: { rabbit: { queues: [{ name: options.queue, type: "classic", durable: true }] } },
    services: [
      { name: "bench-consumer", consumers: [{ name: "consume", broker: "rabbit", from: { queue: options.queue }, ack: "manual", prefetch: options.prefetch }] },
      {
        name: "bench-producer",
        producers: [{
          name: "publish", broker: "rabbit", to: { queue: options.queue },
          rate: options.rate ? { perSecond: options.rate } : { burst: 1_000_000 },
          ...(options.count ? { count: options.count } : {}),
          sizeBytes: options.size, persistent: true, confirm: true, confirmWindow: options.confirmWindow,
        }],
      },
    ],
  };
}

/** One round of bare amqplib on workload 1's settings, into its row (workload 6 shares it). */
export const measureBareAmqplib = (row: Row, config: BenchConfig, size: number) =>
  measureInto(row, () => sampled("rabbitmq", (sampler) => runBarePair("bare/amqplib.ts", { url: config.rabbitUrl, destination: unique("bench-amqp"), group: "", size, window: config.confirmWindow, prefetch: config.prefetch, durationMs: config.durationMs }, config.warmupMs, sampler)));

/** One round of Brokerlab on workload 1's pipeline, into its row. */
export const measureBrokerlabRabbit = (row: Row, config: BenchConfig, size: number, options: { tracing: boolean; linkProxies?: boolean; runStore?: boolean }) =>
  measureInto(row, () => sampled("rabbitmq", async (sampler) =>
    (await runBrokerlab({ scenario: rabbitScenario({ queue: unique("bench-bl"), size, confirmWindow: config.confirmWindow, prefetch: config.prefetch }), durationMs: config.durationMs, warmupMs: config.warmupMs, ...options }, sampler)).measurement));

export async function rabbitWorkload(config: BenchConfig): Promise<Section> {
  const rows: Row[] = [];
  const { durationMs, warmupMs, confirmWindow, prefetch } = config;
  for (const size of config.sizes) {
    const group = sizeLabel(size);
    const row = (variant: string, reference = false): Row => {
      const created: Row = { workload, variant, group, reference, rounds: [] };
      rows.push(created);
      return created;
    };
    const bare = row("bare amqplib", true);
    const off = row("Brokerlab, tracing off");
    const on = row("Brokerlab, tracing on");
    const direct = row("Brokerlab, tracing off, no link proxies");
    const perfTest = row("RabbitMQ PerfTest");
    for (let round = 1; round <= config.rounds; round++) {
      process.stderr.write(`[bench] ${workload} ${group}, round ${round}/${config.rounds}\n`);
      await measureBareAmqplib(bare, config, size);
      for (const [target, tracing] of [[off, false], [on, true]] as const) await measureBrokerlabRabbit(target, config, size, { tracing });
      await measureBrokerlabRabbit(direct, config, size, { tracing: false, linkProxies: false });
      await measureInto(perfTest, () => sampled("rabbitmq", (sampler) => runPerfTest({ url: config.rabbitUrl, queue: unique("bench-pt"), size, confirmWindow, prefetch, durationMs, warmupMs }, sampler)));
    }
  }
  const targets = config.sizes.flatMap((size) => {
    const group = sizeLabel(size);
    const find = (variant: string) => rows.find((r) => r.group === group && r.variant === variant)!;
    return [
      check(`RabbitMQ ${group}: Brokerlab ÷ bare amqplib, tracing off`, "≥ 0.85", ratioToReference(find("Brokerlab, tracing off"), rows), (v) => v >= 0.85),
      check(`RabbitMQ ${group}: Brokerlab ÷ bare amqplib, tracing on`, "≥ 0.80", ratioToReference(find("Brokerlab, tracing on"), rows), (v) => v >= 0.8),
      check(`RabbitMQ ${group}: Brokerlab ÷ bare amqplib, tracing off, no link proxies`, "≥ 0.85", ratioToReference(find("Brokerlab, tracing off, no link proxies"), rows), (v) => v >= 0.85),
    ];
  });
  const note = `Throughput is the consumer's acked rate after a ${warmupMs / 1000} s warm-up, over ${durationMs / 1000} s of producing; latency is end to end (sent → processed) over the whole run, so at full speed it is mostly time spent queued behind the confirm window and prefetch.`;
  return { rows, targets, notes: [note] };
}

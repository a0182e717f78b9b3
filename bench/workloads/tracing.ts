// Workload 3: tracing on vs off at 50% of Brokerlab's maximum RabbitMQ rate (100 B): the
// throughput and latency ratios, PerfTest at the same rate (is our latency measurement honest?),
// and at 5,000 msg/s the spans Jaeger received against the spans expected, with the drop counter.
import { sizeLabel, unique, type BenchConfig } from "../config";
import { runBrokerlab } from "../lib/brokerlab";
import { countRunSpans } from "../lib/jaeger-spans";
import { check, measureInto, medianOf, type Row, type Section } from "../lib/results";
import { sampled } from "../lib/sampled";
import { runPerfTest } from "../tools/perf-test";
import { rabbitScenario } from "./rabbitmq";

export const workload = "3 · Tracing";

/** send + process + settle: what one traced message leaves in Jaeger. */
const spansPerMessage = 3;

export async function tracingWorkload(config: BenchConfig, maxRate: number | undefined): Promise<Section> {
  const { durationMs, warmupMs, confirmWindow, prefetch } = config;
  const size = 100;
  const rows: Row[] = [];
  const notes: string[] = [];
  let max = maxRate;
  if (!max) {
    process.stderr.write(`[bench] ${workload}: measuring the maximum rate first (workload 1 did not run)\n`);
    const run = await sampled("rabbitmq", async (sampler) => (await runBrokerlab({ scenario: rabbitScenario({ queue: unique("bench-max"), size, confirmWindow, prefetch }), tracing: false, durationMs, warmupMs }, sampler)).measurement);
    max = run.throughput;
  }
  const rate = Math.max(100, Math.round(max / 2 / 100) * 100);
  const group = `${sizeLabel(size)} at ${rate.toLocaleString("en-US")} msg/s`;
  const off: Row = { workload, variant: "Brokerlab, tracing off", group, reference: true, rounds: [] };
  const on: Row = { workload, variant: "Brokerlab, tracing on", group, rounds: [] };
  const perfTest: Row = { workload, variant: "RabbitMQ PerfTest (-r)", group, rounds: [] };
  const spans: Row = { workload, variant: "Brokerlab, tracing on: spans in Jaeger", group: "100 B at 5,000 msg/s", rounds: [] };
  rows.push(off, on, perfTest, spans);
  for (let round = 1; round <= config.rounds; round++) {
    process.stderr.write(`[bench] ${workload} at ${rate} msg/s, round ${round}/${config.rounds}\n`);
    for (const [target, tracing] of [[off, false], [on, true]] as const) {
      await measureInto(target, () => sampled("rabbitmq", async (sampler) =>
        (await runBrokerlab({ scenario: rabbitScenario({ queue: unique("bench-tr"), size, confirmWindow, prefetch, rate }), tracing, durationMs, warmupMs }, sampler)).measurement));
    }
    await measureInto(perfTest, () => sampled("rabbitmq", (sampler) => runPerfTest({ url: config.rabbitUrl, queue: unique("bench-pt"), size, confirmWindow, prefetch, durationMs, warmupMs, rate }, sampler)));
  }
  // A traced message makes a send (PRODUCER) span, a process (CONSUMER) span and, the consumer
  // acking by hand, a settle (CLIENT) span: the model trace of docs/trace-conventions.md. Above the
  // trace limit (per process per second) the rest go untraced and are counted: expected =
  // 3 × traced; without a limit, published + 2 × received.
  const count = config.quick ? 10_000 : 25_000;
  await measureInto(spans, () => sampled("rabbitmq", async (sampler) => {
    const { measurement, result } = await runBrokerlab({
      scenario: rabbitScenario({ queue: unique("bench-spans"), size, confirmWindow, prefetch, rate: 5_000, count }), tracing: true,
      durationMs: 60_000, untilDrained: true, warmupMs: 500,
    }, sampler);
    const published = Object.values(result.report.producers).reduce((sum, p) => sum + p.published, 0);
    const received = Object.values(result.report.consumers).reduce((sum, c) => sum + c.received, 0);
    const exported = await countRunSpans(config.jaegerQueryUrl, "bench-producer", result.runId, published);
    const sampling = result.report.traces.sampling;
    const limited = sampling !== undefined && sampling.untraced > 0;
    const expected = limited ? spansPerMessage * sampling.traced : published + (spansPerMessage - 1) * received;
    return {
      ...measurement, window: { from: result.runningAt + 500, to: result.runningAt + (count / 5_000) * 1000 },
      extra: { ...measurement.extra, spansExported: exported, spansExpected: expected, traced: sampling?.traced ?? published, untraced: sampling?.untraced ?? 0 },
    };
  }));
  const ratio = (pick: (row: Row) => number | undefined) => {
    const a = pick(on);
    const b = pick(off);
    return a !== undefined && b ? a / b : undefined;
  };
  const brokerlabP50 = medianOf(off, (m) => m.p50Ms);
  const perfTestP50 = medianOf(perfTest, (m) => m.p50Ms);
  const exported = medianOf(spans, (m) => m.extra?.spansExported);
  const expected = medianOf(spans, (m) => m.extra?.spansExpected);
  const dropped = medianOf(spans, (m) => m.extra?.droppedSpans);
  const traced = medianOf(spans, (m) => m.extra?.traced);
  const untraced = medianOf(spans, (m) => m.extra?.untraced) ?? 0;
  const sampleNote = untraced > 0 && traced ? `; ${traced.toLocaleString("en-US")} messages traced, ${untraced.toLocaleString("en-US")} untraced by the trace limit (1 in ${((traced + untraced) / traced).toFixed(1)}, counted)` : "";
  notes.push(`The rate is 50% of Brokerlab's measured maximum with tracing off (${Math.round(max).toLocaleString("en-US")} msg/s, 100 B). Latency is end to end over the whole run, the first seconds of a new process included; "after the warm-up" is the median frame's latency (each frame's ≈100 ms window, as the live view shows it) over the window throughput is measured in, from ${warmupMs / 1000} s on.`);
  return {
    rows,
    notes,
    targets: [
      check("Tracing on ÷ off, throughput at 50% of max", "≈ 1.00", ratio((r) => medianOf(r, (m) => m.throughput)), (v) => v >= 0.95),
      check("Tracing on ÷ off, p50 latency at 50% of max", "≤ 1.50", ratio((r) => medianOf(r, (m) => m.p50Ms)), (v) => v <= 1.5),
      check("Tracing on ÷ off, p99 latency at 50% of max", "≤ 1.25", ratio((r) => medianOf(r, (m) => m.p99Ms)), (v) => v <= 1.25),
      check("Tracing on ÷ off, p50 latency after the warm-up (median frame)", "≤ 1.50", ratio((r) => medianOf(r, (m) => m.extra?.steadyP50Ms)), (v) => v <= 1.5),
      check("Tracing on ÷ off, p99 latency after the warm-up (median frame)", "≤ 1.25", ratio((r) => medianOf(r, (m) => m.extra?.steadyP99Ms)), (v) => v <= 1.25),
      check("Spans in Jaeger ÷ expected at 5,000 msg/s", "1.00 (or counted drops / sample rate)", exported !== undefined && expected ? exported / expected : undefined, (v) => (v >= 0.999 && v <= 1.001) || (dropped ?? 0) > 0, (v) => `${v.toFixed(3)} (dropped counter ${dropped ?? "?"}${sampleNote})`),
      check("Brokerlab p50 ÷ PerfTest p50 at the same rate", "0.9–1.1", brokerlabP50 !== undefined && perfTestP50 ? brokerlabP50 / perfTestP50 : undefined, (v) => v >= 0.9 && v <= 1.1),
    ],
  };
}

// Workload 6: what recording costs. Brokerlab with tracing off on workload 1's RabbitMQ pipeline,
// without a run store (as workloads 1-5 run) and with one (as the server runs by default:
// BROKERLAB_RUN_STORE_MB > 0), beside bare amqplib, variants in turn within a round. The run store
// writes the engine's 10 Hz frames once a second beside the data path, so the two ratios to bare
// amqplib should match within a run's noise (issue 17: "the benchmark's ratios do not move").
import { sizeLabel, type BenchConfig } from "../config";
import { check, medianOf, ratioToReference, type Row, type Section } from "../lib/results";
import { measureBareAmqplib, measureBrokerlabRabbit } from "./rabbitmq";

export const workload = "6 · Run store";

export async function runStoreWorkload(config: BenchConfig): Promise<Section> {
  const rows: Row[] = [];
  const size = 100;
  const group = sizeLabel(size);
  const [bare, without, recording] = (["bare amqplib", "Brokerlab, tracing off, no run store", "Brokerlab, tracing off, run store on"] as const)
    .map((variant, i): Row => ({ workload, variant, group, reference: i === 0, rounds: [] }));
  rows.push(bare!, without!, recording!);
  for (let round = 1; round <= config.rounds; round++) {
    process.stderr.write(`[bench] ${workload} ${group}, round ${round}/${config.rounds}\n`);
    await measureBareAmqplib(bare!, config, size);
    for (const [target, runStore] of [[without!, false], [recording!, true]] as const) await measureBrokerlabRabbit(target, config, size, { tracing: false, runStore });
  }
  const throughput = (r: Row) => medianOf(r, (m) => m.throughput);
  const on = throughput(recording!);
  const off = throughput(without!);
  const baseline = ratioToReference(without!, rows);
  const targets = [
    check(`RabbitMQ ${group}: Brokerlab ÷ bare amqplib, tracing off, no run store`, "(the baseline)", baseline, () => true),
    check(`RabbitMQ ${group}: Brokerlab ÷ bare amqplib, tracing off, run store on`, "the same ± 0.05", ratioToReference(recording!, rows), (v) => baseline === undefined || Math.abs(v - baseline) <= 0.05),
    check("Run store on ÷ off: throughput", "≥ 0.95", on !== undefined && off ? on / off : undefined, (v) => v >= 0.95),
  ];
  const note = "Both Brokerlab variants run workload 1's pipeline with tracing off; the run store variant records the run as the server does (frames downsampled and written once a second, the report at the end) into a temporary store. A full run moves a ratio by about ±0.05, so compare the two ratios of one run, on a quiet machine.";
  return { rows, targets, notes: [note] };
}

// Workload 5: scale. One scenario with 1, 10 and 50 services (each a producer at 5 msg/s and a
// consumer on one shared queue): start-up time (engine.start → every replica ready) and the
// memory and CPU of each service process.
import type { ScenarioInput } from "../../lib/scenario/schema";
import { unique, type BenchConfig } from "../config";
import { runBrokerlab } from "../lib/brokerlab";
import { median } from "../lib/measure";
import { measureInto, type Row, type Section } from "../lib/results";
import { sampled } from "../lib/sampled";

export const workload = "5 · Scale";

function scaleScenario(services: number, queue: string): ScenarioInput {
  return {
    version: 1,
    name: "bench-scale",
    brokers: { rabbit: { kind: "rabbitmq" } },
    resources: { rabbit: { queues: [{ name: queue }] } },
    services: Array.from({ length: services }, (_, i) => ({
      name: `bench-svc-${i + 1}`,
      producers: [{ name: "publish", broker: "rabbit", to: { queue }, rate: { perSecond: 5 } }],
      consumers: [{ name: "consume", broker: "rabbit", from: { queue }, prefetch: 10 }],
    })),
  };
}

export async function scaleWorkload(config: BenchConfig): Promise<Section> {
  const rows: Row[] = [];
  for (const services of config.scale) {
    const row: Row = { workload, variant: "Brokerlab, tracing on", group: `${services} service${services > 1 ? "s" : ""}`, rounds: [] };
    rows.push(row);
    for (let round = 1; round <= config.rounds; round++) {
      process.stderr.write(`[bench] ${workload}: ${services} services, round ${round}/${config.rounds}\n`);
      await measureInto(row, () => sampled("rabbitmq", async (sampler) => {
        const { measurement } = await runBrokerlab({ scenario: scaleScenario(services, unique("bench-scale")), tracing: true, durationMs: 4_000, warmupMs: 1_000 }, sampler);
        return measurement;
      }).then((m) => {
        const perService = m.processes.filter((p) => p.name.startsWith("bench-svc-"));
        const others = m.processes.filter((p) => !p.name.startsWith("bench-svc-"));
        return {
          ...m,
          processes: others,
          extra: {
            startupMs: m.extra?.startupMs ?? 0,
            rssPerServiceMiB: median(perService.map((p) => p.peakRssMiB)) ?? 0,
            cpuPerServiceCores: median(perService.map((p) => p.cores)) ?? 0,
          },
        };
      }));
    }
  }
  return { rows, targets: [], notes: ["Start-up is engine.start() until every replica reported ready (resources declared, processes forked, Node with the bundled service code and OpenTelemetry loaded, broker connections open); memory is the median peak RSS of the service processes, CPU their median while idling at 5 msg/s each."] };
}

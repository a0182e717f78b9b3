// The benchmark's settings: full (several rounds, longer) or --quick (one short round), the
// payload sizes, the client settings every variant shares, and the stack's endpoints.
import { loadConfig } from "../server/config";

export interface BenchConfig {
  quick: boolean;
  /** --smoke: checks that the harness works (one short round of workload 1, 100 B); writes no results. */
  smoke: boolean;
  rounds: number;
  /** How long each variant produces. */
  durationMs: number;
  /** Left out of throughput at the start (connections, JIT, queues filling). */
  warmupMs: number;
  sizes: number[];
  confirmWindow: number;
  prefetch: number;
  scale: number[];
  rabbitUrl: string;
  kafkaBrokers: string[];
  jaegerQueryUrl: string;
  /** Workloads to run (all by default): rabbitmq, kafka, tracing, live, scale, run-store. */
  only: Set<string>;
}

export const workloadNames = ["rabbitmq", "kafka", "tracing", "live", "scale", "run-store"] as const;

export function benchConfig(argv: string[]): BenchConfig {
  const smoke = argv.includes("--smoke");
  const quick = smoke || argv.includes("--quick");
  const onlyArg = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const roundsArg = Number(argv.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length));
  const config = loadConfig();
  return {
    quick,
    smoke,
    rounds: Number.isInteger(roundsArg) && roundsArg > 0 ? roundsArg : quick ? 1 : 3,
    durationMs: smoke ? 2_000 : quick ? 5_000 : 15_000,
    warmupMs: smoke ? 500 : quick ? 1_000 : 3_000,
    sizes: smoke ? [100] : [100, 1024],
    confirmWindow: 1000,
    prefetch: 200,
    scale: quick ? [1, 10] : [1, 10, 50],
    rabbitUrl: config.RABBITMQ_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    jaegerQueryUrl: config.JAEGER_QUERY_URL,
    only: new Set(onlyArg ? onlyArg.split(",") : smoke ? ["rabbitmq"] : workloadNames),
  };
}

export const sizeLabel = (bytes: number) => (bytes >= 1024 ? `${bytes / 1024} KB` : `${bytes} B`);

/** A name no earlier run used, for queues, topics and groups. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

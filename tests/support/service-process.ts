// Forks a real service process (server/service/main.ts) the way the engine does, and collects
// what it reports: state changes, frames, events and ledger ids, plus its stderr for diagnosis.
import { fork } from "node:child_process";
import path from "node:path";
import type { ConsumerCounters, EngineToService, MessageEvent, ProducerCounters, ServiceFrame, ServiceLaunch, ServiceToEngine } from "../../lib/run/ipc";
import type { Service } from "../../lib/scenario/schema";
import { serviceSchema } from "../../lib/scenario/schema";
import type { ServiceInput } from "./service-input";
import { waitFor } from "./wait-for";

const entry = path.resolve(__dirname, "../../server/service/main.ts");

export interface ForkedService {
  readonly messages: ServiceToEngine[];
  readonly events: MessageEvent[];
  readonly confirmedIds: string[];
  readonly consumedIds: Record<string, string[]>;
  readonly frames: ServiceFrame[];
  output(): string;
  producer(name: string): ProducerCounters | undefined;
  consumer(name: string): ConsumerCounters | undefined;
  until<T>(check: () => T | undefined | null | false, description: string, timeoutMs?: number): Promise<T>;
  send(command: EngineToService): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
  kill(): void;
}

export function launchFor(input: { runId: string; scenarioName?: string; service: ServiceInput; replica?: number; replicas?: number; propagation?: "parent" | "link"; tracing?: boolean }): ServiceLaunch {
  const service: Service = serviceSchema.parse(input.service);
  return {
    runId: input.runId,
    scenarioName: input.scenarioName ?? "integration",
    service,
    replica: input.replica ?? 0,
    replicas: input.replicas ?? 1,
    brokers: {
      rabbit: { kind: "rabbitmq", url: process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672", managementUrl: process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672" },
      kafka: { kind: "kafka", brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",") },
    },
    resources: {},
    propagation: input.propagation ?? "parent",
    tracing: { enabled: input.tracing ?? true, otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://127.0.0.1:4318" },
    frameIntervalMs: 100,
    logSampleEvery: 1,
  };
}

export function forkService(launch: ServiceLaunch): ForkedService {
  const child = fork(entry, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BROKERLAB_LAUNCH: JSON.stringify(launch), NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
  });
  const messages: ServiceToEngine[] = [];
  const frames: ServiceFrame[] = [];
  const events: MessageEvent[] = [];
  const confirmedIds: string[] = [];
  const consumedIds: Record<string, string[]> = {};
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.on("message", (message: ServiceToEngine) => {
    messages.push(message);
    if (message.type !== "frame") return;
    frames.push(message);
    events.push(...message.events);
    confirmedIds.push(...message.confirmedIds);
    for (const [consumer, ids] of Object.entries(message.consumedIds)) (consumedIds[consumer] ??= []).push(...ids);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const last = () => frames.at(-1);

  return {
    messages, frames, events, confirmedIds, consumedIds, exited,
    output: () => output,
    producer: (name) => last()?.producers[name],
    consumer: (name) => last()?.consumers[name],
    async until(check, description, timeoutMs = 20_000) {
      return waitFor(async () => {
        const value = check();
        if (value !== undefined && value !== null && value !== false) return value;
        if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}:\n${output}`);
        return undefined;
      }, { timeoutMs, intervalMs: 50, description: `${description} (service output so far:\n${output.slice(-2_000)})` });
    },
    send(command) {
      if (child.connected) child.send(command);
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: "stop" } satisfies EngineToService);
      return exited;
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

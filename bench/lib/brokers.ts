// The broker processes of the local stack (their pid files), so their CPU and memory appear next
// to the clients'. Against Docker or remote brokers there are none, and nothing is reported.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { stackDir } from "../../stack/paths";
import type { ProcessSampler } from "./proc";

type StackService = "rabbitmq" | "kafka" | "jaeger";
const labels: Record<StackService, string> = { rabbitmq: "RabbitMQ broker", kafka: "Kafka broker", jaeger: "Jaeger (collector)" };

export function brokerPid(name: StackService): number | undefined {
  const file = path.join(stackDir, "pids", `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
}

/** Tracks a long-lived stack process (its peak is the peak of the samples, not of its life). */
export function trackBroker(sampler: ProcessSampler, name: StackService): void {
  sampler.track(labels[name], brokerPid(name), { ownPeak: false });
}

// The broker processes of the local stack (their pid files, or whoever listens on their port on
// this machine, e.g. a stack started from another checkout), so their CPU and memory appear next
// to the clients'. Against Docker or remote brokers there are none, and nothing is reported.
import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { stackDir } from "../../stack/paths";
import type { ProcessSampler } from "./proc";

type StackService = "rabbitmq" | "kafka" | "jaeger";
const labels: Record<StackService, string> = { rabbitmq: "RabbitMQ broker", kafka: "Kafka broker", jaeger: "Jaeger (collector)" };

const ports: Record<StackService, number> = { rabbitmq: 5672, kafka: 9092, jaeger: 4318 };

export function brokerPid(name: StackService): number | undefined {
  const file = path.join(stackDir, "pids", `${name}.pid`);
  const pid = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : NaN;
  if (Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`)) return pid;
  return listenerPid(ports[name]);
}

/** The process listening on a local TCP port, from /proc (Linux); undefined elsewhere or when not ours to see. */
function listenerPid(port: number): number | undefined {
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
    const inodes = new Set<string>();
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address is ADDR:PORT; state 0A is LISTEN; the inode is the tenth field.
        if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9]) inodes.add(`socket:[${fields[9]}]`);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${entry}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
        } catch {
          // the descriptor closed meanwhile
        }
      }
    }
  } catch {
    // no /proc: no broker figures
  }
  return undefined;
}

/** Tracks a long-lived stack process (its peak is the peak of the samples, not of its life). */
export function trackBroker(sampler: ProcessSampler, name: StackService): void {
  sampler.track(labels[name], brokerPid(name), { ownPeak: false });
}

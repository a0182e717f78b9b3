// CPU and memory of processes, read from /proc without extra packages: a sampler polls
// utime+stime (/proc/<pid>/stat) and VmHWM/VmRSS (/proc/<pid>/status) until a process exits,
// so a process that has already exited still has its last reading.
import { readFileSync } from "node:fs";
import { sysconf } from "./sysconf";

export interface ProcessUsage {
  /** What the process is, e.g. "producer service", "PerfTest (JVM)", "RabbitMQ broker". */
  name: string;
  pid: number;
  /** CPU time used while sampled, in seconds. */
  cpuSeconds: number;
  /** cpuSeconds over the sampled wall time, 1.0 = one full core. */
  cores: number;
  /** Peak resident memory (VmHWM) in MiB; for processes that started before sampling, the peak of the samples. */
  peakRssMiB: number;
}

interface Reading { cpuTicks: number; hwmKiB: number; rssKiB: number }

function read(pid: number): Reading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces: fields start after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    return { cpuTicks, hwmKiB: kib("VmHWM"), rssKiB: kib("VmRSS") };
  } catch {
    return undefined;
  }
}

interface Tracked { name: string; pid: number; readings: { at: number; cpuTicks: number }[]; peakRssKiB: number; ownPeak: boolean }

/**
 * Samples every `intervalMs`. `ownPeak` (the default) trusts the kernel's VmHWM, right for
 * processes started for the measurement; long-lived ones (brokers) report the peak of samples.
 */
export function createProcessSampler(intervalMs = 200) {
  const tracked = new Map<number, Tracked>();
  const ticksPerSecond = sysconf.clockTicks;

  function sample(entry: Tracked) {
    const reading = read(entry.pid);
    if (!reading) return;
    entry.readings.push({ at: Date.now(), cpuTicks: reading.cpuTicks });
    entry.peakRssKiB = Math.max(entry.peakRssKiB, entry.ownPeak ? reading.hwmKiB : reading.rssKiB);
  }
  const timer = setInterval(() => tracked.forEach(sample), intervalMs);
  timer.unref();

  return {
    track(name: string, pid: number | undefined, { ownPeak = true } = {}) {
      if (!pid || tracked.has(pid)) return;
      const entry: Tracked = { name, pid, readings: [], peakRssKiB: 0, ownPeak };
      tracked.set(pid, entry);
      sample(entry);
    },
    /**
     * Takes a last reading of every live process and returns the usage of each: CPU within the
     * window (epoch ms; all readings without one), peak memory over the whole life sampled.
     */
    stop(window?: { from: number; to: number }): ProcessUsage[] {
      clearInterval(timer);
      tracked.forEach(sample);
      return [...tracked.values()].map((entry) => {
        const inside = window ? entry.readings.filter((r) => r.at >= window.from && r.at <= window.to) : entry.readings;
        const first = inside[0];
        const last = inside.at(-1);
        const cpuSeconds = first && last ? (last.cpuTicks - first.cpuTicks) / ticksPerSecond : 0;
        const wall = first && last ? Math.max((last.at - first.at) / 1000, 0.001) : 1;
        return { name: entry.name, pid: entry.pid, cpuSeconds, cores: cpuSeconds / wall, peakRssMiB: entry.peakRssKiB / 1024 };
      });
    },
  };
}

export type ProcessSampler = ReturnType<typeof createProcessSampler>;

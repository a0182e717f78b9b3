// Workload 4: the live view. While about 10,000 msg/s flow (RabbitMQ, 100 B, tracing off so the
// rate is reachable), one socket.io client that started the run counts frames and bytes per
// second; the engine's process reports its event-loop delay (p99).
import { unique, type BenchConfig } from "../config";
import { runBrokerlab } from "../lib/brokerlab";
import { watchRun, type LiveStats } from "../lib/live-client";
import { check, measureInto, medianOf, type Row, type Section } from "../lib/results";
import { sampled } from "../lib/sampled";
import { rabbitScenario } from "./rabbitmq";

export const workload = "4 · Live view";

export async function liveViewWorkload(config: BenchConfig, maxLoadLagP99: number | undefined): Promise<Section> {
  const rate = 10_000;
  const row: Row = { workload, variant: "Brokerlab + 1 socket.io client", group: `target ${rate.toLocaleString("en-US")} msg/s`, rounds: [] };
  for (let round = 1; round <= config.rounds; round++) {
    process.stderr.write(`[bench] ${workload}, round ${round}/${config.rounds}\n`);
    await measureInto(row, () => sampled("rabbitmq", async (sampler) => {
      let stats: LiveStats | undefined;
      const scenario = rabbitScenario({ queue: unique("bench-live"), size: 100, confirmWindow: config.confirmWindow, prefetch: config.prefetch, rate });
      const { measurement } = await runBrokerlab({
        scenario, tracing: false, durationMs: config.durationMs, warmupMs: config.warmupMs,
        live: async (port) => { stats = await watchRun(port, scenario as Record<string, unknown>, config.durationMs / 1000); },
      }, sampler);
      if (!stats) throw new Error("the client saw no frames");
      return {
        ...measurement,
        extra: { ...measurement.extra, framesPerSec: stats.frames / stats.seconds, kbPerSec: stats.bytes / 1024 / stats.seconds, maxFrameKB: stats.maxFrameBytes / 1024 },
      };
    }));
  }
  const pick = (key: string) => medianOf(row, (m) => m.extra?.[key]);
  return {
    rows: [row],
    notes: ["Frames and bytes are what the client received while the run was running (socket.io's text packets over the WebSocket); the event-loop delay is measured in the engine's process (perf_hooks.monitorEventLoopDelay, 10 ms resolution)."],
    targets: [
      check("Frames per second to one browser", "≤ 10", pick("framesPerSec"), (v) => v <= 10.5, (v) => v.toFixed(1)),
      check("Bytes per second to one browser", "≤ 50 KB/s", pick("kbPerSec"), (v) => v <= 50, (v) => `${v.toFixed(1)} KB/s`),
      check("Engine event-loop lag p99 at ~10,000 msg/s", "< 50 ms", pick("loopLagP99Ms"), (v) => v < 50, (v) => `${v.toFixed(1)} ms`),
      check("Engine event-loop lag p99 at max load (workload 1)", "< 50 ms", maxLoadLagP99, (v) => v < 50, (v) => `${v.toFixed(1)} ms`),
    ],
  };
}

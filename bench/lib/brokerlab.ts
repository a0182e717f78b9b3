// Runs a scenario with Brokerlab's engine in bench/engine-host.ts and measures it: steady-state
// consumed rate from the frames, end-to-end latency from the report, CPU and memory of the
// engine's process and of every service process.
import { fork } from "node:child_process";
import path from "node:path";
import type { ScenarioInput } from "../../lib/scenario/schema";
import { trackBroker } from "./brokers";
import type { HostRunResult, HostToHarness } from "./host-protocol";
import { rateBetween, steadyLatency, type Measurement } from "./measure";
import type { ProcessSampler } from "./proc";
import { benchDir } from "./spawn";

export interface BrokerlabOptions {
  scenario: ScenarioInput;
  tracing: boolean;
  durationMs: number;
  warmupMs: number;
  /** false: the engine runs without fault proxies on the links (BROKERLAB_LINK_PROXIES=off). */
  linkProxies?: boolean;
  /** true: the engine records the run in a run store of its own (a temporary directory), as the server does. */
  runStore?: boolean;
  /** Run until drained (at most durationMs) instead of exactly durationMs. */
  untilDrained?: boolean;
  /** Workload 4: the host serves socket.io; this client starts the run and watches it. */
  live?: (port: number) => Promise<void>;
}

export interface BrokerlabRun { measurement: Measurement; result: HostRunResult }

export async function runBrokerlab(options: BrokerlabOptions, sampler: ProcessSampler): Promise<BrokerlabRun> {
  const host = fork(path.join(benchDir, "engine-host.ts"), [], {
    // BENCH_PROFILE_ENGINE=<dir>: a CPU profile of the engine's process per run (node --cpu-prof).
    execArgv: ["--import", "tsx", ...(process.env.BENCH_PROFILE_ENGINE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_ENGINE}`] : [])],
    env: { ...process.env, NODE_OPTIONS: "", ...(options.linkProxies === false ? { BROKERLAB_LINK_PROXIES: "off" } : {}) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let live: Promise<void> = Promise.resolve();
  const result = await new Promise<HostRunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      host.kill("SIGKILL");
      reject(new Error("the engine host did not finish in time"));
    }, options.durationMs + 180_000);
    host.on("message", (message: HostToHarness) => {
      switch (message.type) {
        case "listening":
          live = options.live!(message.port);
          live.catch(reject);
          return;
        case "running":
          // With tracing on, Jaeger ingests every span on the same cores as everything else.
          if (options.tracing) trackBroker(sampler, "jaeger");
          sampler.track("engine (control plane)", host.pid);
          for (const p of message.pids) sampler.track(`${p.service}[${p.replica}]`, p.pid);
          return;
        case "result":
          clearTimeout(timer);
          resolve(message);
          return;
        case "failed":
          clearTimeout(timer);
          reject(new Error(`Brokerlab run failed: ${message.message}`));
      }
    });
    host.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the engine host exited (code ${code}) before reporting`));
    });
    host.send({ type: "run", scenario: options.scenario, tracing: options.tracing, durationMs: options.durationMs, untilDrained: options.untilDrained, live: Boolean(options.live), runStore: options.runStore === true });
  });
  await live;
  const points = result.timeline.map((p) => ({ at: p.at, count: p.consumed }));
  const latency = Object.values(result.report.consumers)[0]?.latencyMs.endToEnd;
  // Steady state: after the warm-up, until the producer stops; throughput, latency and CPU are measured over it.
  const window = { from: result.runningAt + options.warmupMs, to: result.runningAt + options.durationMs };
  const steady = steadyLatency(result.timeline, window.from, window.to);
  return {
    result,
    measurement: {
      throughput: rateBetween(points, window.from, window.to),
      ...(latency && latency.count > 0 ? { p50Ms: latency.p50, p99Ms: latency.p99 } : {}),
      processes: [],
      window,
      extra: { droppedSpans: result.report.traces.droppedSpans, ...(result.report.traces.sampling?.untraced ? { untraced: result.report.traces.sampling.untraced } : {}), startupMs: result.startupMs, loopLagP99Ms: result.loopLag.p99, ...(steady ? { steadyP50Ms: steady.p50Ms, steadyP99Ms: steady.p99Ms } : {}) },
    },
  };
}

// The Brokerlab server of the classroom benchmark, forked by bench/classroom.ts: the engine, the
// classroom (join, sessions, per-learner brokers) and socket.io in one process, as `npm run
// classroom` serves them, without Next.js pages. The harness asks it for the event-loop delay,
// CPU and memory of this process over a window, and the service processes of the learners' runs.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createApplication } from "../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../server/brokers";
import { createClassroom } from "../server/classroom";
import { loadConfig } from "../server/config";
import { engineContextFrom } from "../server/engine/context";
import { createEngine } from "../server/engine/engine";
import { createTokenAuth } from "../server/http/auth";
import type { HealthMonitor } from "../server/health/monitor";
import { lessonServiceFor } from "../server/realtime/lessons";

export type ClassroomHostMessage =
  | { type: "listening"; port: number; code: string }
  | { type: "window"; lagP50Ms: number; lagP99Ms: number; lagMaxMs: number; cpuCores: number; rssMiB: number; heapMiB: number; servicePids: number[] }
  | { type: "stopped" };
export type ClassroomHarnessMessage = { type: "measure-start" } | { type: "measure-stop" } | { type: "shutdown" };

// The stack's health is not under test; the socket layer only needs something to ask.
const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const send = (message: ClassroomHostMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const token = process.env.BROKERLAB_TOKEN!;
  const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-bench-class-"));
  const config = loadConfig({ ...process.env, BROKERLAB_MODE: "classroom", BROKERLAB_DATA_DIR: dataDir });
  const engine = createEngine(engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }));
  const auth = createTokenAuth(token);
  const classroom = createClassroom({ mode: "classroom", auth, dataDir, classCode: "BENCH-CLASS", activeRunIds: () => engine.list().map((r) => r.id), progressOf: (id) => lessonServiceFor(engine).progressOf(id) });
  const http = createServer();
  const app = createApplication(http, { monitor: quietMonitor, engine, auth, classroom, handleNext: async (_req, res) => void res.end() });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

  const lag = monitorEventLoopDelay({ resolution: 10 });
  let cpuAtStart = process.cpuUsage();
  let startedAt = 0;
  process.on("message", (message: ClassroomHarnessMessage) => {
    if (message.type === "measure-start") {
      lag.reset();
      lag.enable();
      cpuAtStart = process.cpuUsage();
      startedAt = performance.now();
    } else if (message.type === "measure-stop") {
      lag.disable();
      const cpu = process.cpuUsage(cpuAtStart);
      const seconds = (performance.now() - startedAt) / 1000;
      const servicePids = engine.list().flatMap((run) => Object.values(run.frame().services).flatMap((replicas) => replicas.flatMap((r) => (r.pid ? [r.pid] : []))));
      const memory = process.memoryUsage();
      void send({ type: "window", lagP50Ms: ms(lag.percentile(50)), lagP99Ms: ms(lag.percentile(99)), lagMaxMs: ms(lag.max), cpuCores: (cpu.user + cpu.system) / 1e6 / seconds, rssMiB: mib(memory.rss), heapMiB: mib(memory.heapUsed), servicePids });
    } else if (message.type === "shutdown") {
      void (async () => {
        await engine.shutdown();
        app.closeRealtime();
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await classroom.flush();
        await send({ type: "stopped" });
        process.exit(0);
      })();
    }
  });
  await send({ type: "listening", port: (http.address() as AddressInfo).port, code: classroom.code! });
}

main().catch((error: unknown) => {
  console.error("[classroom-host]", error);
  process.exit(1);
});

// Runs one Brokerlab scenario in this process, forked by the benchmark harness: the engine as the
// server runs it, with the service processes it spawns. Reports the frames' counters over time,
// the report, and the event-loop delay; with `live`, serves socket.io and lets a client start the
// run, as a browser does.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { validateScenario, formatProblems } from "../lib/scenario/validate";
import { createApplication } from "../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../server/brokers";
import { loadConfig } from "../server/config";
import { engineContextFrom } from "../server/engine/context";
import { createEngine } from "../server/engine/engine";
import type { Run } from "../server/engine/run";
import type { HealthMonitor } from "../server/health/monitor";
import { createTokenAuth } from "../server/http/auth";
import { createRunRecorder } from "../server/runs/recorder";
import { openRunStore, runStoreFile } from "../server/runs/store";
import type { HostRunRequest, HostToHarness, TimelinePoint } from "./lib/host-protocol";

const send = (message: HostToHarness) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

// The stack's health is not under test; the socket layer only needs something to ask.
const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };

async function host(request: HostRunRequest): Promise<void> {
  const context = { ...engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), tracing: request.tracing };
  // The run store as the server opens it (512 MB, the default limit), in a directory of its own so
  // the benchmark's runs never reach the user's history.
  const storeDir = request.runStore ? mkdtempSync(path.join(tmpdir(), "brokerlab-bench-runs-")) : undefined;
  const store = storeDir ? openRunStore(runStoreFile(storeDir), { maxBytes: 512 * 1_000_000 }) : undefined;
  const recorder = store ? createRunRecorder(store, (message, error) => console.error(`[runs] ${message}`, error ?? "")) : undefined;
  const engine = createEngine(context, { recorder });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const timeline: TimelinePoint[] = [];
  let createdAt = 0;

  const created = new Promise<Run>((resolve) => {
    const create = engine.create;
    engine.create = (scenario, options) => {
      createdAt = Date.now();
      const run = create(scenario, options);
      resolve(run);
      return run;
    };
  });

  let stopServer = async () => {};
  if (request.live) {
    const http = createServer();
    const app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end() });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    stopServer = async () => {
      // Let the report reach the client before the transports close.
      await new Promise((resolve) => setTimeout(resolve, 500));
      app.closeRealtime();
      await new Promise((resolve) => http.close(resolve));
    };
    await send({ type: "listening", port: (http.address() as AddressInfo).port });
  } else {
    const parsed = validateScenario(request.scenario);
    if (!parsed.ok) throw new Error(formatProblems(parsed.problems));
    engine.create(parsed.scenario, request.untilDrained ? { limitMs: request.durationMs } : { durationMs: request.durationMs });
  }

  const run = await created;
  run.events.on("frame", (frame) => {
    const window = Object.values(frame.consumers)[0]?.window.endToEnd;
    timeline.push({
      at: frame.at,
      consumed: Object.values(frame.consumers).reduce((sum, c) => sum + c.acked, 0),
      confirmed: Object.values(frame.producers).reduce((sum, p) => sum + p.confirmed, 0),
      ...(window && window.count > 0 ? { latency: { count: window.count, p50: window.p50, p99: window.p99 } } : {}),
    });
  });
  // A live run is started by the client (run:start); otherwise here.
  const running = new Promise<void>((resolve, reject) => {
    run.events.on("status", (status) => {
      if (status === "running") resolve();
      if (status === "failed") reject(new Error(run.report().errors.join("; ") || "the run failed"));
    });
  });
  if (!request.live) void run.start().catch(() => {});
  await running;
  const runningAt = Date.now();
  lag.enable();
  const pids = Object.entries(run.frame().services).flatMap(([service, replicas]) => replicas.flatMap((r) => (r.pid ? [{ service, replica: r.replica, pid: r.pid }] : [])));
  await send({ type: "running", runId: run.id, pids });
  const report = await run.done();
  lag.disable();
  await recorder?.settled();
  if (store && storeDir) {
    const recorded = store.get(run.id);
    if (!recorded?.report) throw new Error(`the run store did not record run ${run.id}`);
    console.error(`[bench] run store: ${recorded.frames} frames, ${Math.round(recorded.bytes / 1000)} KB recorded`);
    store.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
  await stopServer();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  await send({
    type: "result", runId: run.id, runningAt, startupMs: runningAt - createdAt, timeline, report,
    loopLag: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max) },
  });
}

process.once("message", (request: HostRunRequest) => {
  host(request)
    .catch(async (error: unknown) => send({ type: "failed", message: error instanceof Error ? error.message : String(error) }))
    .finally(() => process.exit(0));
});

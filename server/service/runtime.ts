// The life of a service process once telemetry is up: connect, set up every producer and
// consumer, report `ready`, stream a frame every frameIntervalMs, obey the engine's commands,
// and on stop finish in-flight work (bounded), send a last frame, flush spans and exit.
import { connectionName } from "../../lib/run/ipc";
import type { EngineToService, ServiceLaunch } from "../../lib/run/ipc";
import type { Producer } from "../../lib/scenario/schema";
import { within } from "../brokers/backoff";
import type { Subscription } from "../brokers/messaging";
import { BrokerError } from "../brokers/types";
import { clientDriverFor, loadClientDrivers } from "./client-drivers";
import { launchKinds } from "./client-setups";
import { createServiceClients } from "./clients";
import type { SenderOptions } from "./clients";
import { createFaultNotices } from "./fault-notices";
import type { FaultNotices } from "./fault-notices";
import { createServiceIpc } from "./ipc";
import { createServiceMetrics } from "./metrics";
import { diagnostic, watchParent } from "./orphan-guard";
import { createPatternRuntime } from "./patterns";
import { createProducerRunner } from "./producer";
import type { ProducerRunner } from "./producer";
import type { ServiceTelemetry } from "./telemetry";

const drainBudgetMs = 5_000;
const telemetryBudgetMs = 3_000;

const senderOptions = (producer: Producer): SenderOptions => ({
  confirm: producer.confirm,
  window: producer.confirmWindow,
  acks: producer.acks === "all" ? -1 : producer.acks,
  idempotent: producer.idempotent,
});

export async function runService(launch: ServiceLaunch, telemetry: ServiceTelemetry, notices: FaultNotices = createFaultNotices()): Promise<void> {
  await loadClientDrivers(launchKinds(launch));
  const { service } = launch;
  const instance = `${service.name}-${launch.replica}`;
  const ipc = createServiceIpc();
  const metrics = createServiceMetrics(launch, (delta) => ipc.send(delta));
  const stopping = new AbortController();
  // The run-wide start barrier (ServiceLaunch.awaitGo): released by the engine's `go`, or by stopping.
  let go: () => void = () => {};
  const wentGo = new Promise<void>((resolve) => {
    go = resolve;
    stopping.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  const clients = createServiceClients(launch.brokers, { client: instance, connection: connectionName(launch.runId, service.name, launch.replica) }, {
    state: (broker, state, detail) => void ipc.send({ type: "state", broker, state, ...(detail ? { detail } : {}) }),
    error: (error) => void ipc.send({ type: "error", code: error.code, message: error.message, fatal: false }),
  }, launch.resources);
  const runners: ProducerRunner[] = [];
  const subscriptions: Subscription[] = [];
  // Request/reply, tasks, webhooks and projections (server/service/patterns).
  const patterns = createPatternRuntime({ launch, clients, metrics, send: (message) => void ipc.send(message), stopping: stopping.signal, extraWorkMs: notices.slowMs });
  const usedBrokers = [...new Set([...[...service.producers, ...service.consumers].map((part) => part.broker), ...patterns.brokers])];
  let shuttingDown: Promise<void> | undefined;

  const sendFrame = () => ipc.send({ ...metrics.frame(telemetry.droppedSpans()), ...(telemetry.enabled ? telemetry.sampling() : {}), patterns: patterns.frame() });
  const frames = setInterval(() => void sendFrame(), launch.frameIntervalMs);

  async function exit(code: number): Promise<never> {
    clearInterval(frames);
    await within(sendFrame(), 1_000);
    if (code !== 0) await telemetry.shutdown(1_000);
    process.exit(code);
  }

  async function crash(reason: string): Promise<never> {
    diagnostic(`${instance}: ${reason}`);
    return exit(1);
  }

  // Once failing, later errors (often caused by the first) join the same exit instead of starting
  // another: a fail path that can re-enter itself once spun a process at 100% CPU.
  let failing: Promise<never> | undefined;
  function fail(error: unknown): Promise<never> {
    failing ??= (async () => {
      const code = error instanceof BrokerError ? error.code : "INTERNAL";
      const message = error instanceof Error ? error.message : String(error);
      diagnostic(`${instance}: ${message}`);
      await ipc.send({ type: "error", code, message, fatal: true });
      return exit(1);
    })();
    return failing;
  }

  function shutdown(): Promise<void> {
    shuttingDown ??= (async () => {
      stopping.abort();
      for (const broker of usedBrokers) void ipc.send({ type: "state", broker, state: "stopping" });
      for (const runner of runners) runner.stop();
      const deadline = Date.now() + drainBudgetMs;
      const left = () => Math.max(0, deadline - Date.now());
      // Producers' unconfirmed messages and consumers' in-flight work finish side by side.
      await Promise.all([clients.settleAll(left()), ...subscriptions.map((s) => s.stop(left())), patterns.stop(left())]);
      await clients.settleAll(left()); // forwards and retries issued while draining
      clearInterval(frames);
      await within(sendFrame(), 1_000);
      await telemetry.shutdown(telemetryBudgetMs);
      // Spans the flush could not deliver are counted now: one more frame carries the final count.
      await within(sendFrame(), 1_000);
      await within(clients.close(), 2_000);
      for (const broker of usedBrokers) await within(ipc.send({ type: "state", broker, state: "stopped" }), 200);
      process.exit(0);
    })();
    return shuttingDown;
  }

  process.on("unhandledRejection", (reason) => {
    diagnostic(`${instance}: unhandled rejection: ${String(reason)}`);
    void ipc.send({ type: "error", code: "INTERNAL", message: `unhandled rejection: ${String(reason)}`, fatal: false });
  });
  // A bug must not end the process silently: the engine hears why before it sees the exit.
  process.on("uncaughtException", (error) => void fail(new Error(`uncaught exception: ${error.stack ?? error.message}`)));
  // The engine is gone (IPC closed, or re-parented): stop as on "stop", but bounded.
  watchParent(() => void shutdown());
  ipc.onCommand((command: EngineToService) => {
    switch (command.type) {
      case "stop":
        void shutdown();
        return;
      case "go":
        go();
        return;
      case "log-sampling":
        metrics.setSampling(command.every);
        return;
      case "send": {
        const runner = runners.find((r) => r.name === command.producer);
        if (!runner && patterns.sendNow(command.producer, command.count ?? 1)) return;
        if (!runner) void ipc.send({ type: "error", code: "NOT_FOUND", message: `${service.name} has no producer "${command.producer}"`, fatal: false });
        else runner.sendNow(command.count ?? 1, command.payload, command.headers, { patch: command.patch, fault: command.fault });
        return;
      }
      case "faults":
        notices.set(command.active);
        return;
      default:
        patterns.command(command);
    }
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown());

  try {
    for (const consumer of service.consumers) {
      const start = { launch, consumer, clients, metrics, crash, extraWorkMs: notices.slowMs, stopping: stopping.signal };
      subscriptions.push(await clientDriverFor(launch, consumer.broker).consume(start));
    }
    await patterns.setup();
    for (const producer of service.producers) {
      const sender = await clients.sender(producer.broker, senderOptions(producer), `producer:${producer.name}`);
      runners.push(createProducerRunner({
        launch, producer, sender, metrics, crash,
        onDone: () => void ipc.send({ type: "producer-done", producer: producer.name }),
        onError: (error) => void ipc.send({ type: "error", code: "INTERNAL", message: `${producer.name}: ${error instanceof Error ? error.message : String(error)}`, fatal: false }),
      }));
    }
  } catch (error) {
    await fail(error);
  }
  if (stopping.signal.aborted) return;
  await ipc.send({ type: "ready" });
  if (launch.awaitGo) await wentGo;
  if (stopping.signal.aborted) return;
  for (const runner of runners) runner.start();
  patterns.start();
}

// The pattern parts of one service process (docs/patterns.md): requesters and repliers, task
// producers and workers, an HTTP API, API clients and a webhook receiver, and projections. The
// runtime sets them up with the consumers, starts them with the producers, adds their data to
// every frame, hands them the engine's pattern commands, and drains them on stop.
import type { ServiceLaunch, ServiceToEngine } from "../../../lib/run/ipc";
import type { Endpoints, PatternCommand, PatternFrame } from "../../../lib/run/patterns";
import { hasPatterns, patternBrokers } from "../../../lib/scenario/patterns";
import { createChangeSignal } from "../../brokers/in-flight";
import { BrokerError } from "../../brokers/types";
import type { ServiceClients } from "../clients";
import type { ServiceMetrics } from "../metrics";
import { startApiCalls } from "./api-client";
import { startHttpApi } from "./http-api";
import type { PartContext, PatternPart } from "./part";
import { startProjection } from "./projection";
import type { ProjectionPart } from "./projection";
import { createPatternRecorder } from "./recorder";
import { startReplier } from "./replier";
import { startRequester } from "./requester";
import { startTaskProducer } from "./task-producer";
import { startWebhookReceiver } from "./webhook-receiver";
import { startWorker } from "./worker";

export interface PatternRuntimeOptions {
  launch: ServiceLaunch;
  clients: ServiceClients;
  metrics: ServiceMetrics;
  send(message: ServiceToEngine): void;
  stopping: AbortSignal;
  /** Extra work per message from `slow` faults on this replica. */
  extraWorkMs?: () => number;
}

export type PatternRuntime = ReturnType<typeof createPatternRuntime>;

export function createPatternRuntime(options: PatternRuntimeOptions) {
  const { launch } = options;
  const service = launch.service;
  const recorder = createPatternRecorder();
  const parts: PatternPart[] = [];
  const projections = new Map<string, ProjectionPart>();
  let endpoints: Endpoints = { api: {}, webhook: {} };
  const endpointsChanged = createChangeSignal();
  options.stopping.addEventListener("abort", endpointsChanged.signal, { once: true });
  const reportError = (error: unknown) =>
    options.send({ type: "error", code: error instanceof BrokerError ? error.code : "INTERNAL", message: error instanceof Error ? error.message : String(error), fatal: false });

  const context: PartContext = {
    launch,
    settings: launch.patterns ?? { webhookSecret: "" },
    clients: options.clients,
    metrics: options.metrics,
    recorder,
    stopping: options.stopping,
    extraWorkMs: options.extraWorkMs ?? (() => 0),
    endpoints: () => endpoints,
    async untilEndpoints(check) {
      while (!check(endpoints)) {
        if (options.stopping.aborted) return false;
        await endpointsChanged.changed();
      }
      return true;
    },
    announce: (kind, url) => options.send({ type: "endpoint", kind, url }),
    error: reportError,
  };

  return {
    /** Brokers the pattern parts use (for connection states). */
    brokers: patternBrokers(service),
    active: hasPatterns(service),

    /** Receivers and servers first (repliers, workers, HTTP, projections), senders after. */
    async setup(): Promise<void> {
      for (const replier of service.repliers ?? []) parts.push(await startReplier(context, replier));
      for (const worker of service.workers ?? []) parts.push(await startWorker(context, worker));
      if (service.webhookReceiver) parts.push(await startWebhookReceiver(context, service.webhookReceiver));
      if (service.httpApi) parts.push(await startHttpApi(context, service.httpApi));
      for (const projection of service.projections ?? []) {
        const part = await startProjection(context, projection);
        projections.set(projection.name, part);
        parts.push(part);
      }
      for (const requester of service.requesters ?? []) parts.push(await startRequester(context, requester));
      for (const producer of service.tasks ?? []) parts.push(await startTaskProducer(context, producer));
      for (const call of service.apiCalls ?? []) parts.push(await startApiCalls(context, call));
    },

    start(): void {
      for (const part of parts) part.start();
    },

    frame(): PatternFrame | undefined {
      for (const part of parts) part.done();
      return recorder.frame();
    },

    /** True when every part has done what it was asked. */
    done: () => parts.every((part) => part.done()),

    /** Handles a pattern command of the engine; false when it is not one. */
    command(command: { type: string }): boolean {
      const pattern = command as PatternCommand;
      switch (pattern.type) {
        case "endpoints": {
          endpoints = pattern.endpoints;
          endpointsChanged.signal();
          return true;
        }
        case "replay": {
          const projection = projections.get(pattern.projection);
          if (!projection) reportError(new BrokerError("NOT_FOUND", `${service.name} has no projection "${pattern.projection}"`, false));
          else void projection.replay(pattern.from).catch(reportError);
          return true;
        }
        default:
          return false;
      }
    },

    /** A manual send to a pattern part that sends; false when there is no such part. */
    sendNow(name: string, count: number): boolean {
      const part = parts.find((p) => p.name === name && p.sendNow);
      part?.sendNow?.(count);
      return Boolean(part);
    },

    /** Stops new work, then waits for in-flight work (bounded), then closes servers and channels. */
    async stop(timeoutMs: number): Promise<void> {
      for (const part of parts) part.stop();
      const deadline = Date.now() + timeoutMs;
      await Promise.all(parts.map((part) => part.settle(Math.max(0, deadline - Date.now())).catch(() => {})));
      await Promise.all(parts.map((part) => part.close().catch(() => {})));
    },
  };
}

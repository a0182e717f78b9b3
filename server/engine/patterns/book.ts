// The engine's book of a run's pattern parts (docs/patterns.md): it takes the pattern part of
// every service frame and the HTTP endpoints processes announce, tells every process where the
// APIs and webhook receivers listen, sends replay commands to projections, says whether the
// patterns are drained, and builds `RunFrame.patterns` and `RunReport.patterns`.
import { randomBytes } from "node:crypto";
import type { EngineToService, ServiceToEngine } from "../../../lib/run/ipc";
import type { Endpoints, PatternLaunch, PatternsReport, PatternsView, ProjectionStatus, ProjectionView, ReplayFrom } from "../../../lib/run/patterns";
import { hasPatterns, patternQueues, projectionGroup } from "../../../lib/scenario/patterns";
import type { Scenario } from "../../../lib/scenario/schema";
import { createRequestBook } from "./requests";
import { createTaskBook } from "./tasks";
import { createWebhookBook } from "./webhooks";

export interface PatternBookOptions {
  /** Sends a command to the live replicas of `service` (all services when absent); answers how many got it. */
  send(message: EngineToService, service?: string, replica?: number): number;
}

export function createPatternBook(scenario: Scenario, options: PatternBookOptions) {
  const secret = randomBytes(24).toString("base64url");
  const requests = createRequestBook();
  const tasks = createTaskBook();
  const webhooks = createWebhookBook(tasks);
  const projections = new Map<string, ProjectionStatus>();
  const announced = new Map<string, { service: string; kind: "api" | "webhook"; url: string }>();
  /** Every endpoint ever announced, for the report (live ones leave `announced` when their process exits). */
  const everAnnounced = new Map<string, { service: string; kind: "api" | "webhook"; url: string }>();
  const active = scenario.services.some(hasPatterns);

  function endpoints(from = announced): Endpoints {
    const out: Endpoints = { api: {}, webhook: {} };
    const sorted = [...from.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [, { service, kind, url }] of sorted) (out[kind][service] ??= []).push(url);
    return out;
  }

  const announce = (service?: string, replica?: number) => options.send({ type: "endpoints", endpoints: endpoints() }, service, replica);

  function projectionViews(): Record<string, ProjectionView> {
    const out: Record<string, ProjectionView> = {};
    for (const service of scenario.services) {
      for (const projection of service.projections ?? []) {
        const key = `${service.name}/${projection.name}`;
        const status = projections.get(key) ?? { state: {}, keys: 0, applied: 0, skipped: 0, replayed: 0, partitions: [], version: 0 };
        out[key] = { ...status, service: service.name, name: projection.name, topic: projection.from.topic, group: projectionGroup(service.name, projection) };
      }
    }
    return out;
  }

  function view(live: boolean): PatternsView {
    const out: PatternsView = {};
    const requestViews = requests.view(live);
    if (Object.keys(requestViews).length) out.requests = requestViews;
    const repliers = requests.repliers();
    if (Object.keys(repliers).length) out.repliers = repliers;
    if (tasks.used()) out.tasks = tasks.view(live);
    if (webhooks.used() || everAnnounced.size > 0) out.webhooks = webhooks.view(endpoints(live ? announced : everAnnounced), live);
    const projectionList = projectionViews();
    if (Object.keys(projectionList).length) out.projections = projectionList;
    return out;
  }

  return {
    /** The scenario uses pattern parts at all. */
    active,
    /** Queues pattern parts consume (the drain check watches them). */
    queues: new Set(scenario.services.flatMap(patternQueues)),
    /** The scenario has parts that consume what producers send (so the ledger must balance). */
    consumes: scenario.services.some((s) => s.repliers?.length || s.workers?.length || s.projections?.length),
    launch: (): PatternLaunch => ({ webhookSecret: secret }),

    /** Takes what is meant for the patterns; true when the message is fully handled here. */
    onMessage(service: string, replica: number, message: ServiceToEngine): boolean {
      switch (message.type) {
        case "frame": {
          const frame = message.patterns;
          if (!frame) return false;
          requests.frame(service, replica, frame);
          tasks.frame(service, replica, frame);
          webhooks.frame(service, replica, frame);
          for (const [name, status] of Object.entries(frame.projections ?? {})) projections.set(`${service}/${name}`, status);
          return false;
        }
        case "endpoint":
          announced.set(`${service}#${replica}#${message.kind}`, { service, kind: message.kind, url: message.url });
          everAnnounced.set(`${service}#${replica}#${message.kind}`, { service, kind: message.kind, url: message.url });
          announce();
          return true;
        case "ready":
          // A process that starts (or starts again) learns the current endpoints.
          if (active) announce(service, replica);
          return false;
        default:
          return false;
      }
    },

    exited(service: string, replica: number) {
      requests.exited(service, replica);
      tasks.exited(service, replica);
      webhooks.exited(service, replica);
      let removed = false;
      for (const key of announced.keys()) if (key.startsWith(`${service}#${replica}#`)) removed = announced.delete(key) || removed;
      if (removed) announce();
    },

    /** Nothing pattern-related is still under way: requests answered or timed out, tasks finished, callbacks settled, projections caught up. */
    drained(): boolean {
      if (!active) return true;
      const projectionsCaughtUp = Object.values(projectionViews()).every((p) =>
        p.partitions.length > 0 && !(p.replay && !p.replay.done) && p.partitions.every((part) => part.position >= part.high));
      // Every part that sends has reported, and reported itself done (a missing one has not started).
      const requesters = requests.view(false);
      const taskView = tasks.used() ? tasks.view(false) : undefined;
      const calls = webhooks.used() ? webhooks.view(endpoints(), false).calls : {};
      const sendersDone = scenario.services.every((service) =>
        (service.requesters ?? []).every((r) => requesters[`${service.name}/${r.name}`]?.counters.done === true)
        && (service.tasks ?? []).every((t) => taskView?.producers[`${service.name}/${t.name}`]?.done === true)
        && (service.apiCalls ?? []).every((c) => calls[`${service.name}/${c.name}`]?.done === true));
      return sendersDone && requests.drained() && tasks.drained() && webhooks.drained() && projectionsCaughtUp;
    },

    /** Asks a projection to wipe its state and replay; answers how many processes were asked (0: no such projection). */
    replay(service: string, projection: string, from: ReplayFrom): number {
      const known = scenario.services.find((s) => s.name === service)?.projections?.some((p) => p.name === projection);
      if (!known) return 0;
      return options.send({ type: "replay", projection, from }, service);
    },

    endpoints: () => endpoints(),
    frame: (): PatternsView => view(true),
    report(): PatternsReport {
      const out: PatternsReport = view(false);
      if (out.tasks) out.allTasks = tasks.all();
      if (out.webhooks) out.allCallbacks = webhooks.all();
      return out;
    },
  };
}

export type PatternBook = ReturnType<typeof createPatternBook>;

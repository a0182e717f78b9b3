// The faults of one run: applies a fault (from the scenario's timeline or the socket), keeps the
// active ones until they end (by themselves, by their opposite action, or on request), drives the
// link proxies, signals, broker and stack, tells service processes what is active, and records
// every step on the run's timeline.
import { descriptorOf, hasCapability, hooksOf } from "../../lib/brokers";
import { AppError } from "../../lib/errors";
import type { FaultRequest } from "../../lib/run/events";
import { connectionName, headerNames } from "../../lib/run/ipc";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { ActiveFault } from "../../lib/run/model";
import { describeFault, faultBroker, faultProblems, poisonRoute } from "../../lib/scenario/faults";
import type { FaultSpec } from "../../lib/scenario/faults";
import type { Scenario } from "../../lib/scenario/schema";
import { driverOf } from "../brokers/registry";
import type { BrokerAdmins } from "../engine/broker-stats";
import type { ReplicaSupervisor } from "../engine/supervisor";
import type { BrokerLifecycle } from "./broker-control";
import { linkConditions, noticesFor } from "./effects";
import type { ResolvedFault } from "./effects";
import type { LinkProxies } from "./link-proxies";
import type { Timeline } from "./timeline";

export interface FaultControllerDeps {
  runId: string;
  scenario: Scenario;
  /** The brokers' real endpoints (not the proxies). */
  brokers: Record<string, ResolvedBroker>;
  links?: LinkProxies;
  replicas(): ReplicaSupervisor[];
  admins: BrokerAdmins;
  lifecycle: BrokerLifecycle;
  timeline: Timeline;
  /** Ids of messages a fault published and the broker confirmed (fillQueue), for the ledger. */
  confirmed(ids: string[]): void;
  /** Declares a broker's resources again (its driver says it forgets them on restart). */
  redeclare?(broker: string): Promise<void>;
}

export interface FaultOutcome {
  affected: number;
  /** Set while the fault stays active (frame.activeFaults); end it with { action: "end", faultId }. */
  faultId?: string;
}

type Entry = ResolvedFault & { timer?: NodeJS.Timeout };

/** One-shot faults on a link stay visible to the service's spans this long. */
const echoMs = 3_000;

export function createFaultController(deps: FaultControllerDeps) {
  const { scenario, timeline } = deps;
  const active = new Map<string, Entry>();
  const echoes = new Map<string, Entry>();
  const sentNotices = new Map<string, string>();
  const busyBrokers = new Set<string>();
  let seq = 0;
  let disposed = false;

  const targetsOf = (spec: { service: string; replica?: number }) =>
    deps.replicas().filter((s) => s.service === spec.service && (spec.replica === undefined || s.replica === spec.replica));
  const who = (spec: { service: string; replica?: number }) => `${spec.service}${spec.replica === undefined ? "" : `[${spec.replica}]`}`;
  const targetOf = (spec: FaultSpec, broker?: string) =>
    spec.action === "stopBroker" || spec.action === "startBroker" ? `broker ${spec.broker}` : spec.action === "fillQueue" ? `queue ${spec.queue}` : broker ? `${spec.service}↔${broker}` : who(spec);

  /** Tells each replica the faults that concern it, when that changed (or always, for a fresh process). */
  function broadcast(force?: { service: string; replica: number }): void {
    const current = [...active.values(), ...echoes.values()];
    for (const replica of deps.replicas()) {
      const key = `${replica.service}#${replica.replica}`;
      const notices = noticesFor(scenario, deps.brokers, current, replica.service, replica.replica);
      const text = JSON.stringify(notices);
      if (sentNotices.get(key) === text && !(force && force.service === replica.service && force.replica === replica.replica)) continue;
      if (replica.send({ type: "faults", active: notices })) sentNotices.set(key, text);
    }
  }

  function relink(service: string, broker: string): void {
    deps.links?.setConditions(service, broker, linkConditions([...active.values()], service, broker));
  }

  function activate(spec: FaultSpec, broker?: string): string {
    const id = `${spec.action}-${++seq}`;
    const now = Date.now();
    const lasting = "forMs" in spec ? spec.forMs : undefined;
    const entry: Entry = { id, action: spec.action, target: targetOf(spec, broker), detail: describeFault(spec, broker), since: now, spec, ...(broker ? { broker } : {}) };
    if (lasting) {
      entry.until = now + lasting;
      entry.timer = setTimeout(() => void end(id, "its time is up").catch(() => {}), lasting);
    }
    active.set(id, entry);
    timeline.add("fault", entry.target, entry.detail, now);
    if ("service" in spec && broker) relink(spec.service, broker);
    broadcast();
    return id;
  }

  /** Marks a one-shot fault on the spans of the service for a moment. */
  function echo(spec: FaultSpec, broker: string | undefined): string {
    const id = `${spec.action}-${++seq}`;
    const entry: Entry = { id, action: spec.action, target: targetOf(spec, broker), detail: describeFault(spec, broker), since: Date.now(), spec, ...(broker ? { broker } : {}) };
    echoes.set(id, entry);
    entry.timer = setTimeout(() => { echoes.delete(id); broadcast(); }, echoMs);
    broadcast();
    return id;
  }

  /** Removes active faults the opposite action just undid (start after kill, resume after pause, …). */
  function settle(action: "kill" | "pause" | "stopBroker", matches: (spec: FaultSpec) => boolean, how: string): void {
    for (const entry of [...active.values()]) {
      if (entry.action !== action || !matches(entry.spec)) continue;
      clearTimeout(entry.timer);
      active.delete(entry.id);
      timeline.add("fault-ended", entry.target, `${entry.detail}: ended by ${how}`);
    }
    broadcast();
  }

  const covers = (spec: { service: string; replica?: number }) => (other: FaultSpec) =>
    "service" in other && other.service === spec.service && ("replica" in other ? other.replica === undefined || spec.replica === undefined || other.replica === spec.replica : true);

  async function brokerLifecycle(action: "up" | "down", broker: string): Promise<void> {
    if (busyBrokers.has(broker)) throw new AppError("CONFLICT", `Broker "${broker}" is already being stopped or started; wait for it.`);
    busyBrokers.add(broker);
    const since = Date.now();
    timeline.add("broker", `broker ${broker}`, action === "down" ? "stopping" : "starting");
    try {
      await deps.lifecycle(action, deps.brokers[broker]!, () => {});
      timeline.add("broker", `broker ${broker}`, `${action === "down" ? "stopped" : "up and healthy"} after ${((Date.now() - since) / 1000).toFixed(1)} s`);
      if (action === "up" && driverOf(deps.brokers[broker]!).forgetsOnRestart && deps.redeclare) {
        await deps.redeclare(broker);
        timeline.add("broker", `broker ${broker}`, "its resources declared again: it keeps them in memory and forgot them when it stopped (and what its queues held)");
      }
    } catch (error) {
      timeline.add("error", `broker ${broker}`, (error as Error).message);
      throw error;
    } finally {
      busyBrokers.delete(broker);
    }
  }

  async function apply(spec: FaultSpec): Promise<FaultOutcome> {
    if (disposed) throw new AppError("CONFLICT", "The run is ending; faults no longer apply.");
    const problems = faultProblems(scenario, spec);
    if (problems.length > 0) {
      const unknown = problems.some((p) => /is not a (service|broker) of this scenario/.test(p.message));
      throw new AppError(unknown ? "NOT_FOUND" : "INVALID_INPUT", problems.map((p) => `${p.field}: ${p.message}`).join("; "));
    }
    const broker = spec.action === "stopBroker" || spec.action === "startBroker" ? spec.broker : faultBroker(scenario, spec);
    switch (spec.action) {
      case "kill": case "pause": {
        const targets = targetsOf(spec);
        for (const s of targets) {
          if (spec.action === "kill") s.kill();
          else s.pause();
        }
        return { affected: targets.length, faultId: activate(spec) };
      }
      case "start": case "resume": {
        const targets = targetsOf(spec);
        for (const s of targets) {
          if (spec.action === "start") s.start();
          else s.resume();
        }
        timeline.add("fault", who(spec), spec.action);
        settle(spec.action === "start" ? "kill" : "pause", covers(spec), spec.action);
        return { affected: targets.length };
      }
      case "restart": {
        const targets = targetsOf(spec);
        timeline.add("fault", who(spec), "restart (graceful stop, then start)");
        for (const s of targets) void s.restart(3_000).catch(() => {});
        return { affected: targets.length };
      }
      case "slow": case "latency": case "bandwidth": case "drop": case "cut":
        if (spec.action !== "slow" && !deps.links?.has(spec.service, broker!)) throw new AppError("CONFLICT", `The link ${spec.service}↔${broker} has no fault proxy in this run (a TLS link, or Brokerlab runs with BROKERLAB_LINK_PROXIES=off: restart it with that set to on for link faults).`);
        return { affected: spec.action === "slow" ? targetsOf(spec).length : 1, faultId: activate(spec, spec.action === "slow" ? undefined : broker) };
      case "reset": {
        if (!deps.links?.has(spec.service, broker!)) throw new AppError("CONFLICT", `The link ${spec.service}↔${broker} has no fault proxy in this run (Brokerlab runs with BROKERLAB_LINK_PROXIES=off: restart it with that set to on for link faults).`);
        const reset = deps.links.reset(spec.service, broker!);
        timeline.add("fault", targetOf(spec, broker), `${describeFault(spec, broker)}: ${reset} connection${reset === 1 ? "" : "s"} reset`);
        echo(spec, broker);
        return { affected: reset };
      }
      case "closeConnection": {
        const admin = deps.admins.get(broker!);
        if (!admin?.closeConnections) throw new AppError("NOT_FOUND", `Broker "${broker}" has no admin client in this run that can close connections.`);
        const prefix = spec.replica === undefined ? `brokerlab ${deps.runId} ${spec.service}[` : connectionName(deps.runId, spec.service, spec.replica);
        echo(spec, broker);
        const closed = await admin.closeConnections(prefix, `Brokerlab fault: ${describeFault(spec, broker).replace("↔", " <-> ")}`);
        timeline.add("fault", targetOf(spec, broker), `${describeFault(spec, broker)}: ${closed} connection${closed === 1 ? "" : "s"} closed by ${descriptorOf(scenario.brokers[broker!]!.kind).label}`);
        return { affected: closed };
      }
      case "stopBroker": {
        if ([...active.values()].some((e) => e.action === "stopBroker" && e.broker === broker)) throw new AppError("CONFLICT", `Broker "${broker}" is already stopped by a fault.`);
        await brokerLifecycle("down", broker!);
        return { affected: 1, faultId: activate(spec, broker) };
      }
      case "startBroker":
        await brokerLifecycle("up", broker!);
        settle("stopBroker", (other) => other.action === "stopBroker" && other.broker === broker, "startBroker");
        return { affected: 1 };
      case "fillQueue":
        return { affected: await fillQueue(spec, broker!) };
      case "poison": {
        const route = poisonRoute(scenario, spec)!;
        const id = echo(spec, undefined);
        const sender = deps.replicas().find((s) => s.service === route.service && s.send({ type: "send", producer: route.producer, count: 1, patch: route.patch, fault: id }));
        timeline.add("fault", `${spec.service}/${route.consumer}`, `poison message (${Object.entries(route.patch).map(([k, v]) => `${k} = ${String(v)}`).join(", ")}) published by ${route.service}/${route.producer}${sender ? "" : ": no replica of it is running"}`);
        return { affected: sender ? 1 : 0 };
      }
    }
  }

  async function fillQueue(spec: Extract<FaultSpec, { action: "fillQueue" }>, broker: string): Promise<number> {
    const admin = deps.admins.get(broker);
    const resources = scenario.resources[broker];
    // The descriptor answers for kinds with bounded queues; the admin publishes and reads the depth.
    const queue = resources && hasCapability(resources.kind, "boundedQueues") ? hooksOf(resources.kind).boundedQueue?.(resources, spec.queue) : undefined;
    if (!admin?.queueStats || !admin.publish || !queue) throw new AppError("NOT_FOUND", `Queue "${spec.queue}" is not in this run.`);
    const depth = spec.count === undefined ? ((await admin.queueStats([spec.queue]))[0]?.messages ?? 0) : 0;
    const count = spec.count ?? Math.max(0, queue.maxLength! - depth);
    const id = echo(spec, broker);
    const now = Date.now();
    let confirmed = 0;
    for (let start = 0; start < count; start += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, count - start) }, (_, i) => {
        const messageId = `faults/${id}/${start + i + 1}`;
        return {
          messageId,
          body: Buffer.from(JSON.stringify({ fill: start + i + 1, fault: id })),
          headers: { [headerNames.id]: messageId, [headerNames.runId]: deps.runId, [headerNames.sentAt]: now.toFixed(3), [headerNames.attempt]: 1, [headerNames.fault]: id },
        };
      });
      const ids = await admin.publish(spec.queue, batch);
      deps.confirmed(ids);
      confirmed += ids.length;
    }
    timeline.add("fault", `queue ${spec.queue}`, `filled with ${confirmed} of ${count} messages (depth was ${depth}${queue.maxLength ? `, max-length ${queue.maxLength}${queue.overflow ? `, overflow ${queue.overflow}` : ", overflow drop-head"}` : ""})`);
    return confirmed;
  }

  /** Ends an active fault: undoes it (start, resume, heal the link, start the broker). */
  async function end(id: string, why = "ended on request"): Promise<FaultOutcome> {
    const entry = active.get(id);
    if (!entry) throw new AppError("NOT_FOUND", `There is no active fault "${id}" in this run.`);
    const spec = entry.spec;
    if (spec.action === "stopBroker") await brokerLifecycle("up", spec.broker);
    active.delete(id);
    clearTimeout(entry.timer);
    let affected = 1;
    if (spec.action === "kill" || spec.action === "pause") {
      const targets = targetsOf(spec);
      for (const s of targets) {
        if (spec.action === "kill") s.start();
        else s.resume();
      }
      affected = targets.length;
    }
    if ("service" in spec && entry.broker) relink(spec.service, entry.broker);
    timeline.add("fault-ended", entry.target, `${entry.detail}: ${why}`);
    broadcast();
    return { affected };
  }

  return {
    apply(request: FaultRequest): Promise<FaultOutcome> {
      return request.action === "end" ? end(request.faultId) : apply(request);
    },
    end,
    active: (): ActiveFault[] => [...active.values()].map(({ timer: _timer, broker: _broker, ...fault }) => fault),
    /** A replica (re)started: it gets the current notices even if nothing changed. */
    replicaReady(service: string, replica: number): void {
      broadcast({ service, replica });
    },
    /** At the end of the run: timers stop, and a broker a fault stopped is started again. */
    async dispose(): Promise<void> {
      disposed = true;
      for (const entry of [...active.values(), ...echoes.values()]) clearTimeout(entry.timer);
      echoes.clear();
      for (const entry of [...active.values()]) {
        if (entry.spec.action !== "stopBroker") continue;
        await brokerLifecycle("up", entry.spec.broker).catch(() => {});
        timeline.add("fault-ended", entry.target, `${entry.detail}: the run ended`);
      }
      active.clear();
    },
  };
}

export type FaultController = ReturnType<typeof createFaultController>;

// One run: a validated scenario applied to the stack — resources declared, one process per service
// replica supervised, frames aggregated into live counters, an exact ledger, and a report at the end.
import type { RecordedAs } from "../runs/recorder";
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { FaultRequest } from "../../lib/run/events";
import type { MessageEvent, ResolvedBroker, ServiceLaunch, ServiceToEngine } from "../../lib/run/ipc";
import type { ReplicaStatus, RunFrame, RunReport, RunStatus, TraceSampling } from "../../lib/run/model";
import type { ReplayFrom } from "../../lib/run/patterns";
import { producerLimit, withDerivedResources } from "../../lib/scenario/derived";
import type { ResourceNames } from "../../lib/scenario/isolate";
import type { Scenario } from "../../lib/scenario/schema";
import type { InputProblem } from "../../lib/errors";
import { maskUrlSecrets } from "../../lib/secrets";
import { driverOf } from "../brokers/registry";
import { BrokerError } from "../brokers/types";
import { createRunFaults, type RunFaultOptions } from "../faults/run-faults";
import { createAggregator, type SpanCounts } from "./aggregator";
import { readBrokerSnapshot, type BrokerAdmins, type BrokerSnapshot } from "./broker-stats";
import { resolveBrokers, type EngineContext } from "./context";
import { createRunUsers } from "./run-users";
import { asLearner } from "./learner-brokers";
import { assertScenarioEndpoints, ownStackLifecycle } from "./endpoints";
import { startOnDemandBrokers } from "./on-demand-brokers";
import { createStartCancel, StartCancelled } from "./start-cancel";
import { createDrainWatch } from "./drain";
import { buildFrame, createRateTracker } from "./frame";
import { createLatencyBook } from "./latency";
import { createLedger } from "./ledger";
import { createMessageLog } from "./message-log";
import { buildReport } from "./report";
import { createPatternBook } from "./patterns/book";
import { serviceEntry } from "./service-bundle";
import { createRunResources } from "./run-resources";
import { createReplicaSupervisor, type ReplicaSupervisor } from "./supervisor";

export interface RunOptions extends RunFaultOptions {
  /** Run exactly this long, then stop. Without it, run until drained or `limitMs`. */
  durationMs?: number;
  limitMs?: number;
  keepResources?: boolean;
  frameIntervalMs?: number;
  /** The names the scenario was given for this run (lesson runs), from the names it had (lib/scenario/isolate.ts). */
  resourceNames?: ResourceNames;
  /** Settles once what runs of a dead server left is deleted (orphans.ts): a run declares nothing before, or it could lose a queue it just found. */
  leftoversCleaned?: Promise<unknown>;
  /** How the run history files it (server/runs/): started from the lab, a lesson's step, or the headless runner. */
  recordAs?: RecordedAs;
  /** Who asks for the run (a learner, or one browser connection): its quotas apply (quotas.ts). Without it, only the engine's caps. */
  requester?: string;
  /** The learner whose run this is (classroom mode): the run reaches the brokers as that learner (learner-brokers.ts). */
  learner?: string;
}

export interface RunEvents {
  frame: [RunFrame];
  status: [RunStatus];
  log: [string];
}

export class RunError extends Error {
  constructor(
    readonly code: "BROKER_UNAVAILABLE" | "CONFLICT" | "INVALID_INPUT" | "LIMIT_REACHED" | "INTERNAL",
    message: string,
    /** The scenario fields the refusal is about (`resources.rabbit.queues[0].name`), for the lab to point at. */
    readonly problems?: InputProblem[],
  ) {
    super(message);
    this.name = "RunError";
  }
}

const newRunId = (name: string) => `${name.slice(0, 40)}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type Run = ReturnType<typeof createRun>;

export function createRun(input: Scenario, context: EngineContext, options: RunOptions = {}) {
  const scenario = withDerivedResources(input);
  const id = newRunId(scenario.name);
  const emitter = new EventEmitter<RunEvents>();
  const logsDir = path.resolve(context.dataDir, id);
  const { learnerBrokers } = context;
  const learner = learnerBrokers && options.learner !== undefined ? { id: options.learner, access: learnerBrokers } : undefined;
  // A learner's run: the engine reaches the learner's namespaces (a vhost) with its own credentials.
  const brokers = learner ? learner.access.place(learner.id, resolveBrokers(scenario, context)) : resolveBrokers(scenario, context);
  /** The brokers as the learner's service processes reach them (their credentials), once made. */
  let learnerFacing: Record<string, ResolvedBroker> | undefined;
  assertScenarioEndpoints(scenario, brokers, context);
  const lifecycle = ownStackLifecycle(context, options.lifecycle);
  const admins: BrokerAdmins = new Map();
  const aggregator = createAggregator();
  const ledger = createLedger();
  const latency = createLatencyBook();
  const messages = createMessageLog();
  const rates = createRateTracker();
  const supervisors: ReplicaSupervisor[] = [];
  // Request/reply, tasks, webhooks, projections (docs/patterns.md).
  const patterns = createPatternBook(scenario, {
    send: (message, service, replica) => supervisors.filter((s) => (service === undefined || s.service === service) && (replica === undefined || s.replica === replica) && s.send(message)).length,
  });
  const faults = createRunFaults({
    runId: id, scenario, brokers, admins, replicas: () => supervisors,
    confirmed: (ids) => ledger.confirm(ids), record: (events) => messages.add(events),
    // Called only once the run is under way (a broker fault), when `owned` exists.
    // A broker that forgot everything (Redis) forgot the learner's ACL user too: made again first.
    redeclare: async (broker) => {
      if (learner) learnerFacing = await learner.access.ensure(learner.id, brokers, scenario);
      await owned.redeclare(broker);
    },
  }, { ...options, linkProxies: options.linkProxies ?? context.linkProxies, lifecycle });
  const { timeline } = faults;
  const tellBroker = (broker: string, detail: string) => {
    timeline.add("broker", broker, detail);
    emitter.emit("log", `${broker}: ${detail}`);
  };
  const owned = createRunResources({ runId: id, scenario, brokers, admins, context, runDir: logsDir, tell: tellBroker });
  const users = createRunUsers({ runId: id, scenario, brokers, tell: tellBroker });
  const errors: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let tail: MessageEvent[] = [];
  let status: RunStatus = "starting";
  let startedAt = Date.now();
  let runningSince = 0;
  let snapshot: BrokerSnapshot | undefined;
  let logSampleEvery = 1;
  let lastFrame: RunFrame | undefined;
  let finished: Promise<RunReport> | undefined;
  let resolveDone: (report: RunReport) => void = () => {};
  const done = new Promise<RunReport>((resolve) => (resolveDone = resolve));
  const startCancel = createStartCancel();

  const setStatus = (next: RunStatus) => {
    status = next;
    emitter.emit("status", next);
  };
  const note = (raw: string) => {
    const line = maskUrlSecrets(raw);
    errors.push(line);
    emitter.emit("log", line);
  };

  function onMessage(service: string, replica: number, message: ServiceToEngine) {
    if (patterns.onMessage(service, replica, message)) return;
    switch (message.type) {
      case "ledger":
        if (message.consumers) aggregator.consumerCounters(service, replica, message.consumers);
        ledger.confirm(message.confirmedIds);
        faults.confirmed(message.confirmedIds);
        for (const [consumer, ids] of Object.entries(message.consumedIds)) ledger.consume(`${service}/${consumer}`, ids);
        return;
      case "frame": {
        aggregator.frame(service, replica, message);
        ledger.confirm(message.confirmedIds);
        for (const [consumer, ids] of Object.entries(message.consumedIds)) ledger.consume(`${service}/${consumer}`, ids);
        for (const [consumer, histograms] of Object.entries(message.histograms)) latency.add(`${service}/${consumer}`, histograms);
        messages.add(message.events);
        tail.push(...message.events);
        if (tail.length > 200) tail = tail.slice(-200);
        return;
      }
      case "producer-done":
        aggregator.producerDone(service, replica, message.producer);
        return;
      case "error":
        note(`${service}[${replica}]: ${message.message}`);
        return;
      case "state":
        timeline.connection(service, replica, message.broker, message.state, message.detail);
        return;
      case "ready":
        faults.replicaReady(service, replica);
        return;
    }
  }

  const forLearner = (reached: Record<string, ResolvedBroker>) => (learnerFacing ? asLearner(reached, brokers, learnerFacing) : reached);

  function launchFor(service: Scenario["services"][number], replica: number): ServiceLaunch {
    return {
      runId: id, scenarioName: scenario.name, service, replica, replicas: service.replicas, brokers: users.forService(service.name, forLearner(faults.brokersFor(service.name))), ledgerWriteAhead: true,
      resume: faults.resumeFor(service.name, replica),
      // The first start waits for every replica (spawnServices sends go); a restart mid-run starts at once.
      awaitGo: status === "starting",
      resources: scenario.resources, propagation: scenario.tracing.propagation,
      tracing: { enabled: context.tracing, otlpEndpoint: context.otlpEndpoint, maxPerSecond: context.traceLimit },
      frameIntervalMs: 100, logSampleEvery, patterns: patterns.launch(), dataDir: logsDir,
    };
  }

  async function spawnServices(): Promise<void> {
    const entry = await serviceEntry();
    // Stopped meanwhile: teardown has already run, so no process may start after it.
    startCancel.check();
    if (entry.fallback) note(entry.fallback);
    const ready: Promise<void>[] = [];
    // Consumers first, so that messages published at once have someone to go to.
    const ordered = [...scenario.services].sort((a, b) => Number(b.consumers.length > 0) - Number(a.consumers.length > 0));
    for (const service of ordered) {
      for (let replica = 0; replica < service.replicas; replica++) {
        let markReady: () => void = () => {};
        let failReady: (error: Error) => void = () => {};
        ready.push(new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject))));
        const supervisor = createReplicaSupervisor(() => launchFor(service, replica), logsDir, {
          message(message) {
            if (message.type === "ready") markReady();
            onMessage(service.name, replica, message);
          },
          started: (s) => void timeline.add("replica", `${service.name}[${replica}]`, `started (pid ${s.pid}${s.restarts > 0 ? `, restart ${s.restarts}` : ""})`),
          exit(replicaStatus) {
            aggregator.exited(service.name, replica);
            patterns.exited(service.name, replica);
            timeline.add("replica", `${service.name}[${replica}]`, `${replicaStatus.state} (exit ${replicaStatus.exitCode ?? "signal"})`);
            if (status === "starting") failReady(new RunError("INTERNAL", `${service.name}[${replica}] exited during start-up (code ${replicaStatus.exitCode}); see ${path.join(logsDir, `${service.name}-${replica}.log`)}`));
            else if (replicaStatus.state === "crashed") note(`${service.name}[${replica}] crashed with exit code ${replicaStatus.exitCode}`);
          },
        }, entry);
        supervisors.push(supervisor);
        supervisor.start();
      }
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new RunError("INTERNAL", "service processes did not become ready within 60 s")), 60_000).unref());
    // Only once every replica has subscribed may any produce: a consumer a second late would
    // otherwise miss a share of the first messages (round-robin) or all of them (fire-and-forget).
    const goAll = () => void supervisors.forEach((s) => s.send({ type: "go" }));
    return Promise.race([Promise.all(ready).then(goAll), timeout]);
  }

  function servicesStatus(): Record<string, ReplicaStatus[]> {
    const out: Record<string, ReplicaStatus[]> = {};
    for (const s of supervisors) (out[s.service] ??= []).push(s.status());
    return out;
  }

  // Queues someone in the scenario consumes (and their retry queues) must empty before a run is
  // drained; a dead-letter queue nobody reads keeps its messages by design.
  const consumedQueues = new Set([
    ...Object.entries(scenario.brokers).flatMap(([name, broker]) => driverOf(broker).usedResources(scenario, name).flatMap((r) => (r.kind === "queue" && r.consumed ? [r.name] : []))),
    ...patterns.queues,
  ]);
  const watchedQueue = (name: string) => consumedQueues.has(name) || [...consumedQueues].some((queue) => name.startsWith(`${queue}.retry.`));

  const published = (service: string, producer: string) => aggregator.producers()[`${service}/${producer}`]?.published ?? 0;

  // A manual producer with a count is finished once that many were sent by hand. Without a count,
  // manual and steady producers never finish: the run goes on until it is stopped (so there is
  // time to press Send), its duration or its limit.
  const producersUnfinished = (): string[] =>
    scenario.services.flatMap((service) =>
      service.producers.flatMap((p) => {
        const limit = producerLimit(p);
        const progress = `${service.name}/${p.name} (${published(service.name, p.name)}${limit === undefined ? "" : ` of ${limit}`} sent)`;
        if ("manual" in p.rate) return p.count !== undefined && published(service.name, p.name) >= p.count ? [] : [progress];
        if ("burst" in p.rate || p.count !== undefined) return aggregator.producerFinished(service.name, p.name, service.replicas) ? [] : [progress];
        return [progress];
      }),
    );
  const drainWatch = createDrainWatch();
  const replicasStarting = () => supervisors.filter((s) => s.status().state === "starting").map((s) => `${s.service}/${s.replica}`);
  /** What a run that ends when drained still waits for (in frames, and in the log every few seconds). */
  let waitingFor: string[] = [];
  let waitingLoggedAt = 0;

  function frame(): RunFrame {
    const producers = aggregator.producers();
    const consumers = aggregator.consumers();
    const spans = aggregator.spans();
    const out = buildFrame({
      runId: id, status, elapsedMs: runningSince ? Date.now() - runningSince : 0,
      producers, consumers, rates: rates.sample(producers, consumers), windows: latency.takeWindow(Object.keys(consumers)),
      services: servicesStatus(), snapshot, ledger: ledger.summary(), tail, droppedSpans: spans.dropped,
    });
    tail = [];
    const sampled = sampling(spans);
    const waiting = status === "running" && waitingFor.length > 0 ? { waitingFor } : {};
    return { ...out, ...(sampled ? { tracing: sampled } : {}), ...faults.frameFields(), ...(patterns.active ? { patterns: patterns.frame() } : {}), ...waiting };
  }

  /** How many messages the trace limit left untraced (with tracing on). */
  function sampling({ traced, untraced }: SpanCounts): TraceSampling | undefined {
    return context.tracing ? { traced, untraced, limitPerSecond: context.traceLimit } : undefined;
  }

  // The timeline changes rarely: it rides only in frames where it changed. Viewers keep the last
  // one they saw; a late subscriber gets the full latest frame (latestFrame) first.
  let sentTimeline = "";
  function withoutUnchangedTimeline(full: RunFrame): RunFrame {
    const last = full.timeline?.at(-1);
    const key = `${full.timeline?.length ?? 0}:${last?.at ?? 0}:${last?.kind ?? ""}:${last?.detail ?? ""}`;
    if (key !== sentTimeline) {
      sentTimeline = key;
      return full;
    }
    const { timeline: _unchanged, ...rest } = full;
    return rest;
  }

  function adaptSampling(frameOut: RunFrame) {
    const rate = Object.values(frameOut.producers).reduce((sum, p) => sum + p.ratePerSec, 0);
    const every = rate > 200 ? Math.min(1000, 2 ** Math.ceil(Math.log2(rate / 200))) : 1;
    if (every !== logSampleEvery) {
      logSampleEvery = every;
      for (const s of supervisors) s.send({ type: "log-sampling", every });
    }
  }

  // One read of the brokers at a time: on a busy machine the management API can take seconds, and
  // the frame poll and the drain check then share the read in flight instead of piling up.
  let reading: Promise<BrokerSnapshot> | undefined;
  function readSnapshot(): Promise<BrokerSnapshot> {
    reading ??= readBrokerSnapshot(scenario, admins).finally(() => { reading = undefined; });
    return reading;
  }

  function schedule(fn: () => void | Promise<void>, ms: number, repeat: boolean) {
    const wrapped = () => void Promise.resolve().then(fn).catch((error) => note(`internal: ${String(error)}`));
    timers.push(repeat ? setInterval(wrapped, ms) : setTimeout(wrapped, ms));
  }

  /** The earlier, synchronous form: a process fault on a service or replica; returns how many replicas it targets. */
  function fault(action: "kill" | "start" | "restart" | "pause" | "resume", service: string, replica?: number) {
    void faults.scheduled({ action, service, ...(replica === undefined ? {} : { replica }) }, note);
    return supervisors.filter((s) => s.service === service && (replica === undefined || s.replica === replica)).length;
  }

  async function start(): Promise<void> {
    startedAt = Date.now();
    mkdirSync(logsDir, { recursive: true });
    try {
      await options.leftoversCleaned;
      await startCancel.race(startOnDemandBrokers(brokers, context, lifecycle, (broker, line) => {
        timeline.add("broker", broker, line);
        emitter.emit("log", `${broker}: ${line}`);
      }));
      startCancel.check();
      if (learner) learnerFacing = await learner.access.ensure(learner.id, brokers, scenario);
      startCancel.check();
      await owned.apply();
      startCancel.check();
      await users.apply();
      startCancel.check();
      for (const [name, admin] of admins) await admin.beforeConsumers?.(scenario, name, note);
      startCancel.check();
      await faults.prepare();
      startCancel.check();
      await startCancel.race(spawnServices());
      startCancel.check();
    } catch (error) {
      const stoppedBy = startCancel.reason();
      if (stoppedBy === undefined) setStatus("failed");
      const wrapped = error instanceof StartCancelled ? new RunError("CONFLICT", error.message) : error instanceof BrokerError ? new RunError(error.code === "NOT_FOUND" ? "CONFLICT" : error.code, error.message) : error instanceof RunError ? error : new RunError("INTERNAL", (error as Error).message);
      note(wrapped.message);
      await teardown();
      if (stoppedBy !== undefined) setStatus("finished");
      resolveDone(report());
      throw wrapped;
    }
    runningSince = Date.now();
    setStatus("running");
    schedule(() => {
      const out = frame();
      adaptSampling(out);
      lastFrame = out;
      emitter.emit("frame", withoutUnchangedTimeline(out));
    }, options.frameIntervalMs ?? 100, true);
    schedule(async () => {
      snapshot = await readSnapshot();
      await faults.pollDeadLetters();
    }, 1000, true);
    for (const { at, ...spec } of scenario.faults) schedule(() => void faults.scheduled(spec, note), at, false);
    if (options.durationMs !== undefined) schedule(() => void stop(), options.durationMs, false);
    else {
      schedule(() => void stop(`no drain within ${Math.round((options.limitMs ?? 120_000) / 1000)} s`), options.limitMs ?? 120_000, false);
      let streak = 0;
      schedule(async () => {
        if (status !== "running") return;
        const fresh = await readSnapshot();
        snapshot = fresh;
        const watched = { ...fresh, queues: fresh.queues.filter((q) => watchedQueue(q.name)) };
        const unfinished = producersUnfinished();
        const state = drainWatch({ producersUnfinished: unfinished, ledger: ledger.summary(), consumers: aggregator.consumers(), snapshot: watched, hasConsumers: scenario.services.some((s) => s.consumers.length > 0) || Boolean(patterns.consumes), replicasStarting: replicasStarting() });
        const patternsDone = patterns.drained();
        ledger.settle(state.settled);
        waitingFor = [...state.waitingFor, ...(patternsDone ? [] : ["requests, tasks, webhooks or projections still in progress"])];
        // Said in the log (the CLI shows it) once producing is over and the run still waits.
        if (unfinished.length === 0 && waitingFor.length > 0 && Date.now() - waitingLoggedAt >= 5_000) {
          waitingLoggedAt = Date.now();
          emitter.emit("log", `waiting for: ${waitingFor.join("; ")}`);
        }
        const drained = state.drained && patternsDone;
        streak = drained ? streak + 1 : 0;
        if (streak >= 2) void stop();
      }, 500, true);
    }
  }

  async function teardown() {
    for (const timer of timers) clearInterval(timer);
    await faults.dispose();
    await Promise.all(supervisors.map((s) => s.stop()));
    supervisors.forEach((s) => s.dispose());
    await faults.closeLinks();
    snapshot = await readBrokerSnapshot(scenario, admins).catch(() => snapshot);
    // Only what the run created is deleted; what already existed is kept (run-resources.ts).
    await owned.teardown(options.keepResources ?? false, note);
    await users.teardown(note);
    for (const admin of admins.values()) await admin.close().catch(() => {});
    // Every process has stopped and sent its last counters: what was not consumed now is lost.
    ledger.end();
    waitingFor = [];
  }

  function stop(reason?: string): Promise<RunReport> {
    if (finished) return finished;
    // Stopped while starting: start() skips its remaining steps, tears down and resolves done.
    if (status === "starting" || startCancel.reason() !== undefined) {
      startCancel.cancel(reason ?? "stop requested");
      if (status === "starting") setStatus("stopping");
      return done;
    }
    if (reason) note(`stopped: ${reason}`);
    setStatus("stopping");
    finished = (async () => {
      await teardown();
      const final = frame();
      setStatus(errors.some((e) => e.startsWith("internal")) ? "failed" : "finished");
      lastFrame = { ...final, status };
      emitter.emit("frame", lastFrame);
      const out = report();
      resolveDone(out);
      return out;
    })();
    return finished;
  }

  function report(): RunReport {
    const spans = aggregator.spans();
    const sampled = sampling(spans);
    const built = buildReport({
      runId: id, scenario, status, startedAt, durationMs: (runningSince ? Date.now() - runningSince : Date.now() - startedAt),
      producers: aggregator.producers(), consumers: aggregator.consumers(), consumersByReplica: aggregator.consumersByReplica(), latency, ledger: ledger.summary(),
      snapshot, services: servicesStatus(), messages, droppedSpans: spans.dropped, ...(sampled ? { sampling: sampled } : {}), errors, logsDir,
      jaegerUiUrl: context.jaegerUiUrl,
    });
    return { ...built, timeline: timeline.entries(), ...(patterns.active ? { patterns: patterns.report() } : {}), resources: owned.summary() };
  }

  return {
    id,
    scenario,
    logsDir,
    resourceNames: (): ResourceNames | undefined => options.resourceNames,
    /** The run's brokers as the engine reaches them (a learner's: in the learner's vhost), for lesson checks and broker views. */
    brokers: () => brokers,
    events: emitter,
    status: () => status,
    start,
    stop,
    done: () => done,
    frame,
    /** The last frame sent to watchers (a fresh one before the first), without side effects. */
    latestFrame: (): RunFrame => lastFrame ?? { ...frame(), status },
    startedAt: () => startedAt,
    report,
    messages,
    fault,
    /** Applies a fault (any kind) or ends one; see lib/scenario/faults.ts. */
    applyFault: (request: FaultRequest) => faults.apply(request),
    activeFaults: () => faults.active(),
    /** Connections and bytes through a link's fault proxy (undefined without one). */
    linkStats: (service: string, broker: string) => faults.linkStats(service, broker),
    timeline: () => timeline.entries(),
    missing: (limit?: number) => ledger.missing(limit),
    /** Wipes a projection's state and replays its event log; answers how many processes were asked (0: no such projection). */
    replay: (service: string, projection: string, from: ReplayFrom = { offset: 0 }) => patterns.replay(service, projection, from),
    /** Where the run's HTTP APIs and webhook receivers listen. */
    endpoints: () => patterns.endpoints(),
    send(service: string, producer: string, count = 1, payload?: unknown): number {
      // A producer with a count (or a burst) sends no more than that, manual sends included: say
      // so rather than answer a send that the service process would quietly skip.
      const spec = scenario.services.find((s) => s.name === service)?.producers.find((p) => p.name === producer);
      const limit = spec && producerLimit(spec);
      let allowed = count;
      if (limit !== undefined) {
        const sent = published(service, producer);
        if (sent >= limit) throw new RunError("CONFLICT", `${service}/${producer} has sent its whole count (${limit}); raise its count in the scenario, or remove it, to send more.`);
        allowed = Math.min(count, limit - sent);
      }
      const target = supervisors.filter((s) => s.service === service);
      const first = target.find((s) => s.send({ type: "send", producer, count: allowed, payload }));
      return first ? allowed : 0;
    },
  };
}

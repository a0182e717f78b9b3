// Gathers what a step's check needs from the live system: the run (engine), queue depths (each
// broker's admin, through its driver), x-death headers (the brokers whose driver points at a
// dead-letter history: RabbitMQ's management API), and the run's traces (Jaeger's query API, by run id).
import type { CheckNeeds, TraceNeed } from "../../lib/lessons/needs";
import type { AttemptView, CheckSnapshot, ConnectionView, Reading, RunView, TraceView } from "../../lib/lessons/snapshot";
import type { QueueDepth } from "../../lib/run/model";
import { descriptorOf } from "../../lib/brokers";
import { brokerDrivers, driverOf } from "../brokers/registry";
import { resolveBrokers } from "../engine/context";
import type { Engine } from "../engine/engine";
import type { Run } from "../engine/run";
import type { JaegerQueryClient, JaegerTrace } from "../jaeger/query-client";
import type { DeadLetterReader, RabbitEndpoints } from "./dead-letters";

export interface SnapshotSources {
  engine: Engine;
  jaeger: JaegerQueryClient;
  readDeadLetters: DeadLetterReader;
  now?: () => number;
}

export function runView(run: Run, needs: Pick<CheckNeeds, "replicas" | "events" | "notes">): RunView {
  const frame = run.latestFrame();
  const report = needs.replicas || needs.notes ? run.report() : undefined;
  const replicas = Object.fromEntries(Object.entries(report?.consumers ?? {}).map(([key, c]) => [key, c.replicas]));
  const events = needs.events ? run.messages.recent(2000).flatMap((m) => m.events).sort((a, b) => a.at - b.at) : [];
  return { id: run.id, status: run.status(), scenario: run.scenario, frame, replicas, events, ...(needs.notes ? { notes: report?.errors ?? [] } : {}) };
}

export function traceViews(traces: JaegerTrace[]): TraceView[] {
  return traces.map((trace) => ({
    traceId: trace.traceID,
    spans: trace.spans.map((span) => {
      const attributes = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
      const links = span.references.filter((r) => r.refType === "FOLLOWS_FROM").map((r) => r.traceID);
      return { service: trace.processes[span.processID]?.serviceName ?? "?", kind: String(attributes["span.kind"] ?? ""), operation: span.operationName, attributes, links };
    }),
    gradable: trace,
  }));
}

/** The run's brokers as the engine reaches them (a learner's run: in the learner's vhost), each with its driver. */
function brokersOf(run: Run, engine: Engine) {
  return Object.entries(run.brokers?.() ?? resolveBrokers(run.scenario, engine.context)).map(([name, broker]) => ({ name, broker, driver: driverOf(broker) }));
}

/** The first broker of the run whose messages keep a dead-letter history the reader can peek at. */
function deadLetterSourceOf(run: Run, engine: Engine): RabbitEndpoints | undefined {
  for (const { broker, driver } of brokersOf(run, engine)) {
    const source = driver.deadLetterHistory?.(broker);
    if (source) return source;
  }
  return undefined;
}

/** The kinds whose messages keep a dead-letter history, in words ("RabbitMQ"), for the reading a run without one gets. */
const deadLetterKinds = () => brokerDrivers().filter((driver) => driver.deadLetterHistory).map((driver) => descriptorOf(driver.kind).label).join(" or ");

export function createSnapshotReader(sources: SnapshotSources) {
  const now = sources.now ?? Date.now;
  const traceCache = new Map<string, { at: number; reading: Reading<TraceView[]> }>();

  /**
   * Queues the frame does not show (a run that ended, a queue outside the scenario), asked of each
   * broker of the run whose admin reads queue depth. null: every broker that answered has no such
   * queue; left out: none could answer.
   */
  async function readQueues(run: Run, names: string[]): Promise<Record<string, QueueDepth | null>> {
    const found: Record<string, QueueDepth | null> = {};
    if (names.length === 0) return found;
    await Promise.all(brokersOf(run, sources.engine).map(async ({ name, broker, driver }) => {
      const admin = driver.createAdmin(broker, sources.engine.context, `brokerlab-lessons-${run.id}`);
      try {
        if (!admin.queueStats) return;
        const stats = await admin.queueStats(names).catch(() => undefined);
        if (!stats) return;
        for (const queue of names) found[queue] ??= null;
        for (const stat of stats) found[stat.name] = { broker: name, ...stat };
      } finally {
        await admin.close().catch(() => {});
      }
    }));
    return found;
  }

  async function readTraces(run: Run, need: TraceNeed): Promise<Reading<TraceView[]>> {
    const key = `${run.id}|${need.key}`;
    const cached = traceCache.get(key);
    if (cached && now() - cached.at < 3_000) return cached.reading;
    let reading: Reading<TraceView[]>;
    try {
      const traces = await sources.jaeger.searchTraces({ service: need.service, tags: { "brokerlab.run.id": run.id, ...need.tags }, limit: 20, lookback: "1h" });
      reading = { value: traceViews(traces) };
    } catch (error) {
      reading = { error: `Jaeger could not be asked: ${(error as Error).message}` };
    }
    traceCache.set(key, { at: now(), reading });
    if (traceCache.size > 200) traceCache.delete(traceCache.keys().next().value as string);
    return reading;
  }

  async function readConnections(run: Run, name: string): Promise<Reading<ConnectionView[]>> {
    const found = brokersOf(run, sources.engine).find((b) => b.name === name);
    if (!found) return { error: `this run has no broker ${name}` };
    if (!found.driver.connections) return { error: `Brokerlab cannot list the connections of ${descriptorOf(found.broker.kind).label}` };
    try {
      return { value: await found.driver.connections(found.broker) };
    } catch (error) {
      return { error: `${name}'s connections could not be read: ${(error as Error).message}` };
    }
  }

  return async function read(run: Run | undefined, needs: CheckNeeds, attempt: AttemptView | undefined): Promise<CheckSnapshot> {
    const snapshot: CheckSnapshot = { queues: {}, deadLetters: {}, traces: {}, ...(attempt ? { attempt } : {}) };
    if (!run) return snapshot;
    snapshot.run = runView(run, needs);
    const deadLetterSource = deadLetterSourceOf(run, sources.engine);
    const known = new Set(snapshot.run.frame.queues.map((q) => q.name));
    await Promise.all([
      readQueues(run, needs.queues.filter((name) => !known.has(name))).then((found) => void Object.assign(snapshot.queues, found)),
      ...needs.deadLetters.map(async (name) => {
        snapshot.deadLetters[name] = deadLetterSource ? await sources.readDeadLetters(deadLetterSource, name) : { error: `this run uses no ${deadLetterKinds()} broker` };
      }),
      ...needs.traces.map(async (need) => {
        snapshot.traces[need.key] = await readTraces(run, need);
      }),
      ...(needs.connections ?? []).map(async (name) => {
        (snapshot.connections ??= {})[name] = await readConnections(run, name);
      }),
    ]);
    return snapshot;
  };
}

export type SnapshotReader = ReturnType<typeof createSnapshotReader>;

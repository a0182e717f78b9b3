// Gathers what a step's check needs from the live system: the run (engine), queues and x-death
// headers (RabbitMQ's management API), and the run's traces (Jaeger's query API, by run id).
import type { CheckNeeds, TraceNeed } from "../../lib/lessons/needs";
import type { AttemptView, CheckSnapshot, Reading, RunView, TraceView } from "../../lib/lessons/snapshot";
import type { QueueDepth } from "../../lib/run/model";
import { createManagementClient, vhostOf } from "../brokers/rabbitmq/management";
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

export function runView(run: Run, needs: Pick<CheckNeeds, "replicas" | "events">): RunView {
  const frame = run.latestFrame();
  const report = needs.replicas ? run.report() : undefined;
  const replicas = Object.fromEntries(Object.entries(report?.consumers ?? {}).map(([key, c]) => [key, c.replicas]));
  const events = needs.events ? run.messages.recent(2000).flatMap((m) => m.events).sort((a, b) => a.at - b.at) : [];
  return { id: run.id, status: run.status(), scenario: run.scenario, frame, replicas, events };
}

export function traceViews(traces: JaegerTrace[]): TraceView[] {
  return traces.map((trace) => ({
    traceId: trace.traceID,
    spans: trace.spans.map((span) => {
      const attributes = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
      return { service: trace.processes[span.processID]?.serviceName ?? "?", kind: String(attributes["span.kind"] ?? ""), operation: span.operationName, attributes };
    }),
  }));
}

/** The first RabbitMQ broker of the run's scenario, with its endpoints resolved from configuration. */
function rabbitOf(run: Run, engine: Engine): RabbitEndpoints | undefined {
  const resolved = Object.values(resolveBrokers(run.scenario, engine.context)).find((b) => b.kind === "rabbitmq");
  return resolved?.kind === "rabbitmq" ? { url: resolved.url, managementUrl: resolved.managementUrl } : undefined;
}

export function createSnapshotReader(sources: SnapshotSources) {
  const now = sources.now ?? Date.now;
  const traceCache = new Map<string, { at: number; reading: Reading<TraceView[]> }>();

  async function readQueue(broker: RabbitEndpoints, name: string): Promise<QueueDepth | null> {
    const queue = await createManagementClient({ managementUrl: broker.managementUrl, vhost: vhostOf(broker.url) }).queue(name);
    if (!queue) return null;
    return { broker: "rabbit", name, messages: queue.messages, ready: queue.messages_ready, unacked: queue.messages_unacknowledged, consumers: queue.consumers };
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

  return async function read(run: Run | undefined, needs: CheckNeeds, attempt: AttemptView | undefined): Promise<CheckSnapshot> {
    const snapshot: CheckSnapshot = { queues: {}, deadLetters: {}, traces: {}, ...(attempt ? { attempt } : {}) };
    if (!run) return snapshot;
    snapshot.run = runView(run, needs);
    const broker = rabbitOf(run, sources.engine);
    const known = new Set(snapshot.run.frame.queues.map((q) => q.name));
    await Promise.all([
      ...(broker ? needs.queues.filter((name) => !known.has(name)).map(async (name) => {
        const queue = await readQueue(broker, name).catch(() => undefined);
        if (queue !== undefined) snapshot.queues[name] = queue;
      }) : []),
      ...(broker ? needs.deadLetters.map(async (name) => {
        snapshot.deadLetters[name] = await sources.readDeadLetters(broker, name);
      }) : needs.deadLetters.map(async (name) => void (snapshot.deadLetters[name] = { error: "this run uses no RabbitMQ broker" }))),
      ...needs.traces.map(async (need) => {
        snapshot.traces[need.key] = await readTraces(run, need);
      }),
    ]);
    return snapshot;
  };
}

export type SnapshotReader = ReturnType<typeof createSnapshotReader>;

// Fake snapshots for pure check evaluation: a run's frame, replicas, message log and scenario,
// shaped like what the engine, the brokers and Jaeger give the lesson service.
import type { RunView } from "../../../lib/lessons/snapshot";
import type { ConsumerCounters, MessageEvent, ProducerCounters } from "../../../lib/run/ipc";
import type { RunFrame } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import { parseScenarioText } from "../../../lib/scenario/validate";

export const scenarioText = `version: 1
name: fixture
brokers:
  rabbit: { kind: rabbitmq }
resources:
  rabbit:
    queues:
      - { name: order_queue }
services:
  - name: order-service
    producers:
      - { name: new-orders, broker: rabbit, to: { queue: order_queue }, count: 10 }
  - name: worker
    replicas: 3
    consumers:
      - { name: process, broker: rabbit, from: { queue: order_queue }, ack: manual, prefetch: 1 }
`;

export function fixtureScenario(): Scenario {
  const parsed = parseScenarioText(scenarioText);
  if (!parsed.ok) throw new Error("the fixture scenario is invalid");
  return parsed.scenario;
}

const latency = { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };

export function consumer(counters: Partial<ConsumerCounters> = {}): RunFrame["consumers"][string] {
  return {
    received: 0, acked: 0, nacked: 0, requeued: 0, redelivered: 0, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, inFlight: 0,
    ...counters,
    ratePerSec: 0,
    window: { endToEnd: latency, queueWait: latency, processing: latency },
  };
}

export function producer(counters: Partial<ProducerCounters> = {}): RunFrame["producers"][string] {
  return { published: 0, confirmed: 0, returned: 0, failed: 0, inFlight: 0, done: false, ...counters, ratePerSec: 0 };
}

export function frame(change: Partial<RunFrame> = {}): RunFrame {
  return {
    runId: "fixture-1",
    at: 0,
    status: "running",
    elapsedMs: 1000,
    producers: { "order-service/new-orders": producer() },
    consumers: { "worker/process": consumer() },
    services: {
      "order-service": [{ replica: 0, state: "running", restarts: 0, connections: { rabbit: "connected" } }],
      worker: [0, 1, 2].map((replica) => ({ replica, state: "running" as const, restarts: 0, connections: { rabbit: "connected" as const } })),
    },
    queues: [{ broker: "rabbit", name: "order_queue", messages: 0, ready: 0, unacked: 0, consumers: 3 }],
    lag: [],
    ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 },
    tail: [],
    droppedSpans: 0,
    ...change,
  };
}

export function fakeRun(change: Partial<RunView> = {}): RunView {
  return { id: "fixture-1", status: "running", scenario: fixtureScenario(), frame: frame(), replicas: {}, events: [], ...change };
}

/** Message events of one consumer, for the given ids (`<service>/<producer>/<seq>`), one ms apart. */
export function events(kind: MessageEvent["kind"], consumerKey: string, seqs: number[], extra: (seq: number) => Partial<MessageEvent> = () => ({})): MessageEvent[] {
  const [service, actor] = consumerKey.split("/") as [string, string];
  return seqs.map((seq, i) => ({ id: `order-service/new-orders/${seq}`, kind, at: 1000 + i, service, replica: 0, actor, ...extra(seq) }));
}

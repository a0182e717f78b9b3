// GET /metrics: Prometheus text for the control plane's own process, and for each run the engine
// keeps (live or recently finished): counters, latency quantiles of the last window, depth, lag, ledger.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { RunFrame } from "../../lib/run/model";

/** What the metrics read from the engine: its runs' latest frames and scenario names. */
export interface RunsSource {
  list(): { id: string; scenario: { name: string }; latestFrame(): RunFrame }[];
}

export interface Metrics {
  contentType: string;
  render(): Promise<string>;
}

const producerOutcomes = ["published", "confirmed", "failed", "returned"] as const;
const consumerOutcomes = ["received", "acked", "nacked", "requeued", "redelivered", "retried", "deadLettered", "dropped", "duplicates", "failed", "forwarded"] as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const split = (key: string) => {
  const slash = key.indexOf("/");
  return slash < 0 ? { service: "", name: key } : { service: key.slice(0, slash), name: key.slice(slash + 1) };
};

export function createMetrics(runs?: RunsSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "brokerlab_server_" });
  const frames = () => (runs?.list() ?? []).map((run) => ({ run: run.id, scenario: run.scenario.name, frame: run.latestFrame() }));

  // Counters that mirror the engine's cumulative totals: reset, then set from the latest frame on each scrape.
  new Counter({
    name: "brokerlab_producer_messages_total",
    help: "Messages per producer and outcome (published, confirmed, failed, returned), per run.",
    labelNames: ["run", "scenario", "service", "producer", "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, scenario, frame } of frames()) {
        for (const [key, counters] of Object.entries(frame.producers)) {
          const { service, name } = split(key);
          for (const outcome of producerOutcomes) this.inc({ run, scenario, service, producer: name, outcome }, counters[outcome]);
        }
      }
    },
  });
  new Counter({
    name: "brokerlab_consumer_messages_total",
    help: "Deliveries per consumer and outcome (received, acked, nacked, requeued, redelivered, retried, dead_lettered, …), per run.",
    labelNames: ["run", "scenario", "service", "consumer", "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, scenario, frame } of frames()) {
        for (const [key, counters] of Object.entries(frame.consumers)) {
          const { service, name } = split(key);
          for (const outcome of consumerOutcomes) this.inc({ run, scenario, service, consumer: name, outcome: snake(outcome) }, counters[outcome]);
        }
      }
    },
  });
  new Gauge({
    name: "brokerlab_consumer_latency_seconds",
    help: "Latency quantiles of the last frame window per consumer: end_to_end, queue_wait and processing.",
    labelNames: ["run", "service", "consumer", "kind", "quantile"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, frame } of frames()) {
        for (const [key, counters] of Object.entries(frame.consumers)) {
          const { service, name } = split(key);
          for (const kind of ["endToEnd", "queueWait", "processing"] as const) {
            const summary = counters.window[kind];
            if (summary.count === 0) continue;
            for (const [quantile, value] of [["0.5", summary.p50], ["0.9", summary.p90], ["0.99", summary.p99]] as const) {
              this.set({ run, service, consumer: name, kind: snake(kind), quantile }, value / 1000);
            }
          }
        }
      }
    },
  });
  new Gauge({
    name: "brokerlab_queue_messages",
    help: "RabbitMQ queue depth (ready + unacknowledged) as the management API last reported it, per run.",
    labelNames: ["run", "broker", "queue", "state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, frame } of frames()) {
        for (const queue of frame.queues) {
          this.set({ run, broker: queue.broker, queue: queue.name, state: "ready" }, queue.ready);
          this.set({ run, broker: queue.broker, queue: queue.name, state: "unacked" }, queue.unacked);
        }
      }
    },
  });
  new Gauge({
    name: "brokerlab_kafka_consumer_lag_messages",
    help: "Kafka consumer-group lag per partition (high watermark minus committed offset), per run.",
    labelNames: ["run", "broker", "group", "topic", "partition"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, frame } of frames()) {
        for (const lag of frame.lag) {
          for (const p of lag.partitions) this.set({ run, broker: lag.broker, group: lag.group, topic: lag.topic, partition: String(p.partition) }, p.lag);
        }
      }
    },
  });
  new Gauge({
    name: "brokerlab_ledger_messages",
    help: "The run's ledger: confirmed, consumed, lost (confirmed, not consumed yet), duplicated, recovered.",
    labelNames: ["run", "scenario", "kind"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, scenario, frame } of frames()) {
        for (const [kind, value] of Object.entries(frame.ledger)) this.set({ run, scenario, kind }, value);
      }
    },
  });
  new Gauge({
    name: "brokerlab_dropped_spans",
    help: "Spans the service processes' exporters dropped so far (tracing never blocks message flow), per run.",
    labelNames: ["run"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { run, frame } of frames()) this.set({ run }, frame.droppedSpans);
    },
  });
  new Gauge({
    name: "brokerlab_runs",
    help: "Runs the engine keeps, by status.",
    labelNames: ["status"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { frame } of frames()) this.inc({ status: frame.status });
    },
  });

  return { contentType: registry.contentType, render: () => registry.metrics() };
}

// Scenarios for the code generator tests: every example, and small variations of one setting.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Scenario } from "../../../lib/scenario/schema";
import { formatProblems, parseScenarioText, validateScenario } from "../../../lib/scenario/validate";
import type { CodegenSelection } from "../../../lib/codegen/plan";

const examplesDir = path.resolve(__dirname, "../../../examples");

export function example(name: string): Scenario {
  const result = parseScenarioText(readFileSync(path.join(examplesDir, `${name}.yaml`), "utf8"));
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.scenario;
}

export function scenario(input: unknown): Scenario {
  const result = validateScenario(input);
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.scenario;
}

/** Every producer and consumer of every example, as [label, scenario, selection]. */
export function everyRole(): [string, Scenario, CodegenSelection][] {
  const out: [string, Scenario, CodegenSelection][] = [];
  for (const file of readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).sort()) {
    const parsed = example(file.replace(/\.yaml$/, ""));
    // The kinds every language speaks (Java too); Redis and Pub/Sub have tests of their own (redis-pubsub.test.ts).
    const generated = (broker: string) => ["rabbitmq", "kafka", "aws"].includes(parsed.brokers[broker]?.kind ?? "");
    for (const service of parsed.services) {
      for (const producer of service.producers.filter((p) => generated(p.broker))) out.push([`${parsed.name}: ${service.name}/${producer.name}`, parsed, { service: service.name, producer: producer.name }]);
      for (const consumer of service.consumers.filter((c) => generated(c.broker) && (!c.forward || generated(c.forward.broker)))) out.push([`${parsed.name}: ${service.name}/${consumer.name}`, parsed, { service: service.name, consumer: consumer.name }]);
    }
  }
  return out;
}

/** A scenario with one RabbitMQ flow and one Kafka flow whose settings the tests vary. */
export function variant(change: VariantChange = {}): Scenario {
  return scenario(variantInput(change));
}

type VariantChange = { producer?: Record<string, unknown>; consumer?: Record<string, unknown>; kafkaProducer?: Record<string, unknown>; kafkaConsumer?: Record<string, unknown> };

/** The document behind `variant()`, before validation. */
export function variantInput(change: VariantChange = {}): Record<string, unknown> {
  return {
    version: 1,
    name: "variant",
    brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
    resources: {
      rabbit: {
        exchanges: [{ name: "events", type: "topic" }, { name: "events.dlx", type: "fanout" }],
        queues: [{ name: "audit", deadLetter: { exchange: "events.dlx" }, messageTtl: "30s" }, { name: "audit.dead" }],
        bindings: [{ exchange: "events", queue: "audit", routingKey: "order.#" }, { exchange: "events.dlx", queue: "audit.dead" }],
      },
      kafka: { topics: [{ name: "clicks", partitions: 4, retention: "10m" }, { name: "clicks.enriched", partitions: 2 }] },
    },
    services: [
      {
        name: "source",
        producers: [
          { name: "events", broker: "rabbit", to: { exchange: "events", routingKey: "order.{{pick created paid}}" }, headers: { tenant: "acme", region: "{{pick eu us}}" }, payload: { id: "{{uuid}}", at: "{{now}}", note: "order {{seq}} of {{service}}" }, ...change.producer },
          { name: "clicks", broker: "kafka", to: { topic: "clicks", key: "{{user}}" }, payload: { user: "u{{randomInt 1 9}}", ts: "{{timestamp}}" }, ...change.kafkaProducer },
        ],
      },
      {
        name: "sink",
        consumers: [
          { name: "audit", broker: "rabbit", from: { queue: "audit" }, ...change.consumer },
          { name: "enrich", broker: "kafka", from: { topic: "clicks", group: "enrichers" }, forward: { broker: "kafka", to: { topic: "clicks.enriched", key: "{{user}}" }, payload: { user: "{{user}}", enrichedAt: "{{now}}" } }, ...change.kafkaConsumer },
        ],
      },
    ],
  };
}

/** Pattern parts with the settings the examples leave at their defaults: a declared reply queue and
 * an exchange, expiring requests, a burst, unsigned and wrongly signed callbacks, set/max/min folds. */
export function patternVariant(): Scenario {
  return scenario(patternVariantInput());
}

/** The document behind `patternVariant()`, before validation. */
export function patternVariantInput(): Record<string, unknown> {
  return {
    version: 1,
    name: "pattern-variant",
    brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
    resources: {
      rabbit: {
        exchanges: [{ name: "rpc", type: "direct" }],
        queues: [{ name: "rpc.lookups" }, { name: "rpc.replies" }, { name: "chores" }],
        bindings: [{ exchange: "rpc", queue: "rpc.lookups", routingKey: "lookup" }],
      },
      kafka: { topics: [{ name: "account-events", partitions: 2 }] },
    },
    services: [
      {
        name: "client",
        requesters: [{ name: "lookups", broker: "rabbit", to: { exchange: "rpc", routingKey: "lookup" }, replyTo: { queue: "rpc.replies" }, expire: true, timeout: "800ms", rate: { burst: 5 }, payload: { id: "{{uuid}}" } }],
        tasks: [{ name: "chores", broker: "rabbit", to: { queue: "chores" }, job: "sweep", rate: { manual: true }, args: { room: "{{pick hall attic}}" } }],
        apiCalls: [{ name: "fire-and-forget", api: "api", body: { n: "{{seq}}" }, rate: { burst: 2 } }],
        webhookReceiver: { path: "/hooks", errorRate: 0.1, failStatus: 500 },
      },
      { name: "api", httpApi: { path: "/chores", broker: "rabbit", to: { queue: "chores" }, job: "sweep" } },
      {
        name: "helpers",
        workers: [
          { name: "unsigned", broker: "rabbit", from: { queue: "chores" }, retries: 1, backoffMs: [100], jobs: { sweep: { failures: { errorRate: 0.5, poison: { field: "room", equals: "attic" } }, result: { at: "{{now}}", id: "{{uuid}}" } } }, callbacks: { signature: "missing" } },
          { name: "wrong-secret", broker: "rabbit", from: { queue: "chores" }, jobs: { sweep: {} }, callbacks: { signature: "wrong-secret", backoffMs: [] } },
        ],
      },
      {
        name: "accounts",
        projections: [{ name: "balances", broker: "kafka", from: { topic: "account-events", group: "balances" }, key: "account", fold: { opened: { owner: { set: "owner" }, open: { set: true } }, deposited: { largest: { max: "amount" }, smallest: { min: "amount" } } } }],
      },
    ],
  };
}

/**
 * One document that reaches every branch of the producer and consumer generators with a string in
 * it: producers to a queue, an exchange and a topic; consumers with poison, retries, dead-letter
 * exchanges with a routing key, auto-ack, requeue and drop, and forwards across brokers. Its
 * templates use awkward but valid forms ({{pick}} words with quotes, {{randomInt 01 09}}, a
 * payload field whose name holds quotes and a backslash).
 */
export function everyFieldInput(): Record<string, unknown> {
  const oddField = 'k"\'\\`$x';
  return {
    version: 1,
    name: "every-field",
    description: "a scenario that exercises every string the generators write",
    brokers: { rabbit: { kind: "rabbitmq", url: "amqp://guest:guest@127.0.0.1:5672" }, kafka: { kind: "kafka", brokers: ["127.0.0.1:9092"] } },
    resources: {
      rabbit: {
        exchanges: [{ name: "orders", type: "topic" }, { name: "orders.dlx", type: "direct" }, { name: "matching", type: "headers" }, { name: "legacy", existing: true }],
        queues: [
          { name: "work", deadLetter: { exchange: "orders.dlx", routingKey: "dead.work" }, messageTtl: "1m" },
          { name: "work.dead" },
          { name: "plain" },
          { name: "matched" },
          { name: "borrowed", existing: true },
        ],
        bindings: [
          { exchange: "orders", queue: "work", routingKey: "order.*" },
          { exchange: "orders.dlx", queue: "work.dead", routingKey: "dead.work" },
          { exchange: "matching", queue: "matched", arguments: { "x-match": "any", region: "eu west" } },
        ],
      },
      kafka: { topics: [{ name: "events", partitions: 3 }, { name: "events.out" }] },
    },
    services: [
      {
        name: "source",
        description: "sends to every kind of target",
        producers: [
          {
            name: "to-exchange", broker: "rabbit", to: { exchange: "orders", routingKey: "order.{{pick paid 'shipped' \"held\" a\\b c*/d e`f}}" },
            headers: { tenant: "acme corp", attempt: 3, urgent: true, region: "{{pick eu us}}", odd: `{{${oddField}}}` },
            payload: { [oddField]: "odd value", note: "order {{seq}} of {{service}}", count: "{{randomInt 01 09}}", price: "{{randomFloat 0.5 2e1}}", nested: { list: ["one", 2, true, null] } },
            mandatory: true, confirm: false,
          },
          { name: "to-queue", broker: "rabbit", to: { queue: "plain" }, rate: { burst: 5 }, payload: { text: "plain text" } },
          { name: "to-headers", broker: "rabbit", to: { exchange: "matching", routingKey: "" }, headers: { region: "eu west" }, rate: { manual: true } },
          { name: "to-topic", broker: "kafka", to: { topic: "events", key: "key {{seq}}", partition: 1 }, headers: { source: "source text" }, payload: { user: "user {{seq}}" }, idempotent: true },
        ],
      },
      {
        name: "sink",
        consumers: [
          {
            name: "dead-letters", broker: "rabbit", from: { queue: "work" }, onError: { retries: 2, backoffMs: [100, 200], then: "dead-letter" }, idempotent: true,
            failures: { errorRate: 0.1, crashAfter: 50, poison: { field: "poison field", equals: "poison value" } },
            forward: { broker: "rabbit", to: { exchange: "orders", routingKey: "forwarded {{user}}" }, headers: { via: "sink text" }, payload: { from: "{{user}}", text: "forwarded text" } },
          },
          { name: "auto", broker: "rabbit", from: { queue: "plain" }, ack: "auto", concurrency: 4, forward: { broker: "kafka", to: { topic: "events.out", key: "key {{user}}" }, headers: { via: "auto text" } } },
          { name: "dropper", broker: "rabbit", from: { queue: "work.dead" }, onError: "drop" },
          { name: "borrower", broker: "rabbit", from: { queue: "borrowed" }, onError: "requeue" },
          {
            name: "topic-reader", broker: "kafka", from: { topic: "events", group: "readers" }, onError: { retries: 1, backoffMs: [50], then: "dead-letter" },
            failures: { poison: { field: "kind of event", equals: "poison text" } },
            forward: { broker: "rabbit", to: { queue: "matched" }, headers: { via: "reader text" }, payload: { copied: "{{user}} copied" } },
          },
          { name: "topic-requeue", broker: "kafka", from: { topic: "events", group: "requeuers" }, onError: "requeue", forward: { broker: "kafka", to: { topic: "events.out" } } },
        ],
      },
    ],
  };
}

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
    for (const service of parsed.services) {
      for (const producer of service.producers) out.push([`${parsed.name}: ${service.name}/${producer.name}`, parsed, { service: service.name, producer: producer.name }]);
      for (const consumer of service.consumers) out.push([`${parsed.name}: ${service.name}/${consumer.name}`, parsed, { service: service.name, consumer: consumer.name }]);
    }
  }
  return out;
}

/** A scenario with one RabbitMQ flow and one Kafka flow whose settings the tests vary. */
export function variant(change: { producer?: Record<string, unknown>; consumer?: Record<string, unknown>; kafkaProducer?: Record<string, unknown>; kafkaConsumer?: Record<string, unknown> } = {}): Scenario {
  return scenario({
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
  });
}

// Resources a scenario needs but does not spell out, derived from its consumers' onError:
// RabbitMQ delayed-retry queues and Kafka retry / dead-letter topics; and how many messages a
// producer sends at most. Pure: no broker is touched.
import type { BrokerResources, Consumer, OnError, Producer, Queue, Scenario, Topic } from "./schema";

/** The most messages a producer sends, manual sends included: its burst or its count; none without either. */
export function producerLimit(producer: Pick<Producer, "rate" | "count">): number | undefined {
  const { rate, count } = producer;
  return "burst" in rate ? Math.min(rate.burst, count ?? rate.burst) : count;
}

/** `<queue>.retry.<delayMs>`: messages wait there `delayMs`, then dead-letter back to `<queue>`. */
export const rabbitRetryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`;
export const kafkaRetryTopicName = (topic: string, group: string) => `${topic}.${group}.retry`;
export const kafkaDeadLetterTopicName = (topic: string, group: string) => `${topic}.${group}.dlt`;

/** The delay before the retry that follows failed attempt `attempt` (1-based); the last backoff value repeats. */
export function retryDelay(onError: OnError, attempt: number): number {
  const { backoffMs } = onError;
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(attempt - 1, backoffMs.length - 1)]!;
}

/** The distinct non-zero delays a policy uses over its retries. */
export function retryDelays(onError: OnError): number[] {
  const delays = Array.from({ length: onError.retries }, (_, i) => retryDelay(onError, i + 1)).filter((ms) => ms > 0);
  return [...new Set(delays)].sort((a, b) => a - b);
}

const consumersOn = (scenario: Scenario, broker: string): Consumer[] =>
  scenario.services.flatMap((service) => service.consumers).filter((consumer) => consumer.broker === broker);

function rabbitRetryQueues(queues: Queue[], consumers: Consumer[]): Queue[] {
  const declared = new Set(queues.map((q) => q.name));
  const derived: Queue[] = [];
  for (const consumer of consumers) {
    if (!("queue" in consumer.from)) continue;
    const source = consumer.from.queue;
    const sourceQueue = queues.find((q) => q.name === source);
    for (const delayMs of retryDelays(consumer.onError)) {
      const name = rabbitRetryQueueName(source, delayMs);
      if (declared.has(name)) continue;
      declared.add(name);
      derived.push({
        name,
        type: "classic",
        durable: sourceQueue?.durable ?? true,
        autoDelete: false,
        messageTtl: delayMs,
        // Expired messages go through the default exchange straight back to the source queue.
        deadLetter: { exchange: "", routingKey: source },
        existing: false,
      });
    }
  }
  return derived;
}

function kafkaRetryTopics(topics: Topic[], consumers: Consumer[]): Topic[] {
  const declared = new Set(topics.map((t) => t.name));
  const derived: Topic[] = [];
  const add = (name: string, like: Topic | undefined) => {
    if (declared.has(name)) return;
    declared.add(name);
    derived.push({
      name,
      partitions: like?.partitions ?? 1,
      replicationFactor: like?.replicationFactor ?? 1,
      cleanupPolicy: "delete",
      existing: false,
    });
  };
  for (const consumer of consumers) {
    if (!("topic" in consumer.from)) continue;
    const { topic, group } = consumer.from;
    const source = topics.find((t) => t.name === topic);
    if (consumer.onError.retries > 0) add(kafkaRetryTopicName(topic, group), source);
    if (consumer.onError.then === "dead-letter") add(kafkaDeadLetterTopicName(topic, group), source);
  }
  return derived;
}

/** The scenario with derived resources added to each broker's resources (declared ones win). */
export function withDerivedResources(scenario: Scenario): Scenario {
  const resources: Record<string, BrokerResources> = { ...scenario.resources };
  for (const [broker, definition] of Object.entries(scenario.brokers)) {
    const consumers = consumersOn(scenario, broker);
    if (definition.kind === "rabbitmq") {
      const current = resources[broker]?.kind === "rabbitmq" ? resources[broker] : { kind: "rabbitmq" as const, exchanges: [], queues: [], bindings: [] };
      const extra = rabbitRetryQueues(current.queues, consumers);
      if (extra.length > 0) resources[broker] = { ...current, queues: [...current.queues, ...extra] };
    } else if (definition.kind === "kafka") {
      const current = resources[broker]?.kind === "kafka" ? resources[broker] : { kind: "kafka" as const, topics: [] };
      const extra = kafkaRetryTopics(current.topics, consumers);
      if (extra.length > 0) resources[broker] = { ...current, topics: [...current.topics, ...extra] };
    }
  }
  return { ...scenario, resources };
}

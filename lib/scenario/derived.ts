// Resources a scenario needs but does not spell out, derived from its consumers' onError by each
// broker kind's descriptor (RabbitMQ delayed-retry queues, Kafka retry / dead-letter topics); and
// how many messages a producer sends at most. Pure: no broker is touched.
import { hooksOf } from "../brokers";
import type { BrokerResources, Consumer, Producer, Scenario } from "./schema";

/** The most messages a producer sends, manual sends included: its burst or its count; none without either. */
export function producerLimit(producer: Pick<Producer, "rate" | "count">): number | undefined {
  const { rate, count } = producer;
  return "burst" in rate ? Math.min(rate.burst, count ?? rate.burst) : count;
}

export { rabbitRetryQueueName } from "../brokers/rabbitmq-hooks";
export { kafkaDeadLetterTopicName, kafkaRetryTopicName } from "../brokers/kafka-hooks";
export { retryDelay, retryDelays } from "./retry";

const consumersOn = (scenario: Scenario, broker: string): Consumer[] =>
  scenario.services.flatMap((service) => service.consumers).filter((consumer) => consumer.broker === broker);

/** The scenario with derived resources added to each broker's resources (declared ones win). */
export function withDerivedResources(scenario: Scenario): Scenario {
  const resources: Record<string, BrokerResources> = { ...scenario.resources };
  for (const [broker, definition] of Object.entries(scenario.brokers)) {
    const current = resources[broker]?.kind === definition.kind ? resources[broker] : undefined;
    const extended = hooksOf(definition.kind).derivedResources?.(current, consumersOn(scenario, broker));
    if (extended) resources[broker] = { ...(extended as object), kind: definition.kind } as BrokerResources;
  }
  return { ...scenario, resources };
}

// What scenario code asks of a Kafka broker's resources: whether a producer reaches a consumer's
// topic, the retry and dead-letter topics a consumer group's onError needs, and the renames of a
// lesson run.
import type { z } from "zod";
import type { kafkaResourcesSchema, topicSchema } from "./kafka";
import type { BrokerIsolation, HookConsumer } from "./types";

type KafkaResources = z.output<typeof kafkaResourcesSchema>;
type Topic = z.output<typeof topicSchema>;

export const kafkaRetryTopicName = (topic: string, group: string) => `${topic}.${group}.retry`;
export const kafkaDeadLetterTopicName = (topic: string, group: string) => `${topic}.${group}.dlt`;

export function kafkaRoutesTo(_resources: KafkaResources | undefined, to: object, from: object): boolean {
  const topic = (from as { topic?: unknown }).topic;
  return typeof topic === "string" && (to as { topic?: unknown }).topic === topic;
}

function retryTopics(topics: readonly Topic[], consumers: readonly HookConsumer[]): Topic[] {
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
    const { topic, group } = consumer.from as { topic?: unknown; group?: unknown };
    if (typeof topic !== "string" || typeof group !== "string") continue;
    const source = topics.find((t) => t.name === topic);
    if (consumer.onError.retries > 0) add(kafkaRetryTopicName(topic, group), source);
    if (consumer.onError.then === "dead-letter") add(kafkaDeadLetterTopicName(topic, group), source);
  }
  return derived;
}

export function kafkaDerivedResources(resources: KafkaResources | undefined, consumers: readonly HookConsumer[]): KafkaResources | undefined {
  const current = resources ?? { topics: [] };
  const extra = retryTopics(current.topics, consumers);
  return extra.length > 0 ? { ...current, topics: [...current.topics, ...extra] } : undefined;
}

export const kafkaIsolation: BrokerIsolation<KafkaResources> = {
  names: (resources, suffix) => resources.topics.map((t) => ["topic", t.name, `${t.name}-${suffix}`]),
  rename: (resources, actual) => ({ ...resources, topics: resources.topics.map((t) => ({ ...t, name: actual("topic", t.name) })) }),
  renameRef: (ref, actual) => ({
    ...(typeof ref.topic === "string" ? { topic: actual("topic", ref.topic) } : {}),
    ...(typeof ref.group === "string" ? { group: actual("group", ref.group) } : {}),
  }),
};

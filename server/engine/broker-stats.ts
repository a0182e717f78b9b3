// Reads the brokers' own view of a run: queue depth and consumers (RabbitMQ management API)
// and consumer-group lag per partition (Kafka admin), for frames, reports and drain checks.
import type { KafkaAdmin, RabbitAdmin } from "../brokers/types";
import type { GroupLag, QueueDepth } from "../../lib/run/model";
import { kafkaRetryTopicName } from "../../lib/scenario/derived";
import type { Scenario } from "../../lib/scenario/schema";

export interface BrokerAdmins {
  rabbit: Map<string, RabbitAdmin>;
  kafka: Map<string, KafkaAdmin>;
}

export interface BrokerSnapshot {
  queues: QueueDepth[];
  lag: GroupLag[];
  at: number;
  errors: string[];
}

/** Consumer groups of the scenario per Kafka broker: group → topics (with its retry topic). */
export function kafkaGroups(scenario: Scenario): { broker: string; group: string; topics: string[] }[] {
  const groups = new Map<string, { broker: string; group: string; topics: Set<string> }>();
  for (const service of scenario.services) {
    for (const consumer of service.consumers) {
      if (!("topic" in consumer.from)) continue;
      const key = `${consumer.broker}\u0000${consumer.from.group}`;
      const entry = groups.get(key) ?? { broker: consumer.broker, group: consumer.from.group, topics: new Set<string>() };
      entry.topics.add(consumer.from.topic);
      // Retries wait in the group's retry topic: they are lag too, not yet consumed.
      if (consumer.onError.retries > 0) entry.topics.add(kafkaRetryTopicName(consumer.from.topic, consumer.from.group));
      groups.set(key, entry);
    }
  }
  return [...groups.values()].map((g) => ({ ...g, topics: [...g.topics] }));
}

export async function readBrokerSnapshot(scenario: Scenario, admins: BrokerAdmins): Promise<BrokerSnapshot> {
  const errors: string[] = [];
  const queues: QueueDepth[] = [];
  const lag: GroupLag[] = [];
  const rabbitReads = [...admins.rabbit].map(async ([broker, admin]) => {
    const resources = scenario.resources[broker];
    if (resources?.kind !== "rabbitmq" || resources.queues.length === 0) return;
    try {
      const stats = await admin.queueStats(resources.queues.map((q) => q.name));
      for (const s of stats) queues.push({ broker, ...s });
    } catch (error) {
      errors.push(`${broker}: ${(error as Error).message}`);
    }
  });
  const kafkaReads = kafkaGroups(scenario).map(async ({ broker, group, topics }) => {
    const admin = admins.kafka.get(broker);
    if (!admin) return;
    try {
      const partitions = await admin.groupLag(group, topics);
      for (const topic of topics) {
        const own = partitions.filter((p) => p.topic === topic);
        lag.push({ broker, group, topic, partitions: own.map(({ partition, committed, high, lag: l }) => ({ partition, committed, high, lag: l })), total: own.reduce((sum, p) => sum + p.lag, 0) });
      }
    } catch (error) {
      errors.push(`${broker}/${group}: ${(error as Error).message}`);
    }
  });
  await Promise.all([...rabbitReads, ...kafkaReads]);
  queues.sort((a, b) => a.name.localeCompare(b.name));
  return { queues, lag, at: Date.now(), errors };
}

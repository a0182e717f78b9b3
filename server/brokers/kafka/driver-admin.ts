// The Kafka driver's admin: the adapter's admin (topics, groups, offsets) with what the engine asks
// of every broker — apply a scenario's topics (its consumer groups become the run's), group lag in messages and in seconds.
import { ageSeconds, createLagRates } from "../../../lib/run/lag";
import type { GroupLag, RunResource } from "../../../lib/run/model";
import { kafkaRetryTopicName } from "../../../lib/scenario/derived";
import type { Scenario, Topic } from "../../../lib/scenario/schema";
import type { DriverAdmin, UsedResource } from "../driver";
import type { KafkaAdmin } from "../types";
import { positionKey } from "./record-timestamps";

export interface CreatedKafka { topics: Topic[]; groups: string[] }

/** The consumer groups a scenario's consumers of one Kafka broker join. */
export const scenarioGroups = (scenario: Scenario, broker: string): string[] =>
  [...new Set(scenario.services.flatMap((s) => s.consumers).flatMap((c) => (c.broker === broker && "topic" in c.from ? [c.from.group] : [])))];

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

export function kafkaUsedResources(scenario: Scenario, name: string): UsedResource[] {
  const resources = scenario.resources[name];
  if (resources?.kind !== "kafka") return [];
  return [
    ...resources.topics.map((t) => ({ kind: "topic" as const, name: t.name, attachOnly: t.existing })),
    ...scenarioGroups(scenario, name).map((g) => ({ kind: "group" as const, name: g, attachOnly: false })),
  ];
}

/**
 * A consumer group that starts "from now" (fromBeginning: false) gets that starting point fixed
 * before its first member joins. Kafka's own rule, "no committed offset: start at the latest",
 * is applied lazily by each member: records written before a member's first fetch, or before a
 * killed member's first commit, were skipped by the next one (a kill/restart run lost them).
 * broker → group → the topics it reads "from now", including its retry topic.
 */
export function groupsStartingNow(scenario: Scenario): { broker: string; group: string; topics: string[] }[] {
  const out = new Map<string, { broker: string; group: string; topics: Set<string> }>();
  for (const consumer of scenario.services.flatMap((s) => s.consumers)) {
    if (!("topic" in consumer.from) || consumer.from.fromBeginning) continue;
    const { topic, group } = consumer.from;
    const key = `${consumer.broker}\u0000${group}`;
    const entry = out.get(key) ?? { broker: consumer.broker, group, topics: new Set<string>() };
    entry.topics.add(topic);
    if (consumer.onError.retries > 0) entry.topics.add(kafkaRetryTopicName(topic, group));
    out.set(key, entry);
  }
  return [...out.values()].map((g) => ({ ...g, topics: [...g.topics] }));
}

export const kafkaRefs = (broker: string, topics: Topic[], groups: string[]): RunResource[] => [
  ...topics.map((t) => ({ broker, kind: "topic" as const, name: t.name })),
  ...groups.map((g) => ({ broker, kind: "group" as const, name: g })),
];

/**
 * Adds each partition's and group's lag in seconds: the age of the record at the group's position
 * (the first one it has not consumed, `high − lag`, which is the log start when nothing was
 * committed). Unknown ages stay absent; the lag in messages is read either way.
 */
export async function withLagSeconds(admin: KafkaAdmin, groups: GroupLag[], now: number): Promise<GroupLag[]> {
  const positions = groups.flatMap((g) => g.partitions.filter((p) => p.lag > 0).map((p) => ({ topic: g.topic, partition: p.partition, offset: p.high - p.lag })));
  const read = positions.length > 0 && admin.recordTimestamps ? await admin.recordTimestamps(positions).catch(() => undefined) : new Map<string, number>();
  if (!read) return groups;
  return groups.map((group) => {
    const partitions = group.partitions.map((p) => {
      const timestamp = read.get(positionKey(group.topic, p.partition));
      return p.lag === 0 ? { ...p, seconds: 0 } : timestamp === undefined ? p : { ...p, seconds: ageSeconds(timestamp, now) };
    });
    const lagging = partitions.filter((p) => p.lag > 0);
    // The group's age is its oldest partition's, known only when every lagging partition's is.
    const known = lagging.every((p) => p.seconds !== undefined);
    return { ...group, partitions, ...(known ? { seconds: Math.max(0, ...lagging.map((p) => p.seconds!)) } : {}) };
  });
}

export function kafkaDriverAdmin(admin: KafkaAdmin): DriverAdmin {
  const lagRates = createLagRates();
  return {
    kind: "kafka",
    noneCreated: (): CreatedKafka => ({ topics: [], groups: [] }),
    async apply(scenario, name, onCreated) {
      const resources = scenario.resources[name];
      if (resources?.kind !== "kafka") return { existed: [] };
      const created: CreatedKafka = { topics: [], groups: [] };
      const groups = scenarioGroups(scenario, name);
      const applied = await admin.apply(resources.topics, {
        groups,
        onCreated: (topics) => {
          created.topics.push(...topics);
          onCreated(created);
        },
      });
      // The groups the run's consumers will create are the run's as soon as it starts them.
      created.groups = groups.filter((g) => !applied.groupsExisting.includes(g));
      if (created.groups.length > 0) onCreated(created);
      return { existed: kafkaRefs(name, applied.existed, applied.groupsExisting) };
    },
    teardown: (created) => admin.teardown((created as CreatedKafka).topics, (created as CreatedKafka).groups),
    createdRefs: (name, created) => kafkaRefs(name, (created as CreatedKafka).topics, (created as CreatedKafka).groups),
    async snapshot(scenario, name) {
      const lag: GroupLag[] = [];
      const errors: string[] = [];
      await Promise.all(kafkaGroups(scenario).filter((g) => g.broker === name).map(async ({ group, topics }) => {
        try {
          const partitions = await admin.groupLag(group, topics);
          for (const topic of topics) {
            const own = partitions.filter((p) => p.topic === topic);
            lag.push({ broker: name, group, topic, partitions: own.map(({ partition, committed, high, lag: l }) => ({ partition, committed, high, lag: l })), total: own.reduce((sum, p) => sum + p.lag, 0) });
          }
        } catch (error) {
          errors.push(`${name}/${group}: ${(error as Error).message}`);
        }
      }));
      const now = Date.now();
      return { queues: [], lag: lagRates(await withLagSeconds(admin, lag, now), now), errors };
    },
    close: () => admin.close(),
    advertisedAddresses: () => admin.clusterAddresses(),
    async beforeConsumers(scenario, name, note) {
      for (const { broker, group, topics } of groupsStartingNow(scenario)) {
        if (broker !== name) continue;
        await admin.pinStartOffsets(group, topics).catch((error: unknown) =>
          note(`${broker}: could not fix where group "${group}" starts (${(error as Error).message}); a member killed before its first commit may skip records`));
      }
    },
  };
}

// Kafka administration for runs: create a scenario's missing topics (and wait for their leaders),
// say which topics and groups were already there, delete what a run created, and compute a
// consumer group's lag per partition (and how old its oldest unconsumed record is). Auto topic
// creation stays off.
import type { Admin } from "kafkajs";
import type { Topic } from "../../../lib/scenario/schema";
import { BrokerError } from "../types";
import type { KafkaAdmin, PartitionLag } from "../types";
import { createKafkaClient, toKafkaError } from "./client";
import type { BrokerLogger } from "./client";
import { backoffDelay, delay } from "../backoff";
import { createRecordTimestamps } from "./record-timestamps";

/** NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS and the like, also when kafkajs gave up retrying them. */
export function coordinatorBusy(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const type = (error as { type?: unknown }).type;
  if (error.name === "KafkaJSGroupCoordinatorNotFound") return true;
  if (typeof type === "string" && /^(NOT_COORDINATOR|COORDINATOR_NOT_AVAILABLE|COORDINATOR_LOAD_IN_PROGRESS|REBALANCE_IN_PROGRESS)/.test(type)) return true;
  return coordinatorBusy((error as { cause?: unknown }).cause, depth + 1);
}

export function topicConfigEntries(topic: Topic): { name: string; value: string }[] {
  const entries: { name: string; value: string }[] = [{ name: "cleanup.policy", value: topic.cleanupPolicy }];
  if (topic.retention !== undefined) entries.push({ name: "retention.ms", value: String(Math.round(topic.retention)) });
  return entries;
}

export function createKafkaAdmin(options: { brokers: string[]; clientId?: string; logger?: BrokerLogger }): KafkaAdmin {
  const { brokers } = options;
  const kafka = createKafkaClient({ brokers, clientId: options.clientId ?? "brokerlab-admin", logger: options.logger });
  let admin: Promise<Admin> | undefined;
  const timestamps = createRecordTimestamps(kafka);

  function connected(): Promise<Admin> {
    admin ??= (async () => {
      const created = kafka.admin({ retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 } });
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      admin = undefined;
      throw toKafkaError(error, brokers, "connect");
    });
    return admin;
  }

  async function run<T>(what: string, operation: (a: Admin) => Promise<T>): Promise<T> {
    const a = await connected();
    try {
      return await operation(a);
    } catch (error) {
      throw toKafkaError(error, brokers, what);
    }
  }

  async function existingGroups(groups: string[]): Promise<string[]> {
    const listed = new Set((await run("list consumer groups", (a) => a.listGroups())).groups.map((g) => g.groupId));
    return groups.filter((group) => listed.has(group));
  }

  /** Sets the group's offset to the end of every partition it has no committed offset on. */
  async function pinOnce(group: string, topics: string[]): Promise<void> {
    const committed = await run(`read offsets of group "${group}"`, (a) => a.fetchOffsets({ groupId: group, topics }));
    for (const topic of topics) {
      const known = new Set(committed.find((c) => c.topic === topic)?.partitions.filter((p) => Number(p.offset) >= 0).map((p) => p.partition) ?? []);
      const ends = await run(`read offsets of topic "${topic}"`, (a) => a.fetchTopicOffsets(topic));
      const partitions = ends.filter((end) => !known.has(end.partition)).map((end) => ({ partition: end.partition, offset: end.high }));
      if (partitions.length > 0) await run(`set the start offsets of group "${group}" on "${topic}"`, (a) => a.setOffsets({ groupId: group, topic, partitions }));
    }
  }

  return {
    async apply(topics, { groups = [], onCreated } = {}) {
      const groupsExisting = groups.length === 0 ? [] : await existingGroups(groups);
      if (topics.length === 0) return { created: [], existed: [], groupsExisting };
      const present = new Set(await run("list topics", (a) => a.listTopics()));
      const missing = topics.filter((t) => !present.has(t.name));
      const missingExisting = missing.find((t) => t.existing);
      if (missingExisting) {
        throw new BrokerError("NOT_FOUND", `topic "${missingExisting.name}" is marked existing but Kafka has no such topic; declare it in the scenario or create it first`, false);
      }
      const found = topics.filter((t) => present.has(t.name));
      if (found.length > 0) {
        const metadata = await run("read topic metadata", (a) => a.fetchTopicMetadata({ topics: found.map((t) => t.name) }));
        for (const topic of found) {
          const partitions = metadata.topics.find((m) => m.name === topic.name)?.partitions.length ?? 0;
          if (!topic.existing && partitions < topic.partitions) {
            throw new BrokerError(
              "CONFLICT",
              `topic "${topic.name}" already exists with ${partitions} partition${partitions === 1 ? "" : "s"}, the scenario asks for ${topic.partitions}; delete the topic or change the scenario`,
              false,
            );
          }
        }
      }
      if (missing.length > 0) {
        // Recorded only once created: after a failure a topic may be someone else's (created meanwhile).
        await run(`create topics ${missing.map((t) => `"${t.name}"`).join(", ")}`, (a) =>
          a.createTopics({
            waitForLeaders: true,
            timeout: 10_000,
            topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configEntries: topicConfigEntries(t) })),
          }),
        );
        onCreated?.(missing);
      }
      return { created: missing, existed: found, groupsExisting };
    },

    async teardown(topics, groups = []) {
      const owned = topics.filter((t) => !t.existing).map((t) => t.name);
      if (owned.length > 0) {
        const present = new Set(await run("list topics", (a) => a.listTopics()));
        const toDelete = owned.filter((name) => present.has(name));
        if (toDelete.length > 0) await run(`delete topics ${toDelete.join(", ")}`, (a) => a.deleteTopics({ topics: toDelete, timeout: 10_000 }));
      }
      const present = groups.length === 0 ? [] : await existingGroups(groups);
      // A group whose members are still leaving refuses deletion; left alone, Kafka expires it.
      if (present.length > 0) await run(`delete groups ${present.join(", ")}`, (a) => a.deleteGroups(present)).catch(() => {});
    },

    async groupLag(group, topics) {
      const lags: PartitionLag[] = [];
      const committed = await run(`read offsets of group "${group}"`, (a) => a.fetchOffsets({ groupId: group, topics }));
      for (const topic of topics) {
        const ends = await run(`read offsets of topic "${topic}"`, (a) => a.fetchTopicOffsets(topic));
        const byPartition = new Map(committed.find((c) => c.topic === topic)?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
        for (const end of ends) {
          const high = Number(end.high);
          const offset = byPartition.get(end.partition) ?? -1;
          // No committed offset yet: everything retained is still to be consumed.
          const lag = offset < 0 ? high - Number(end.low) : Math.max(0, high - offset);
          lags.push({ topic, partition: end.partition, committed: offset, high, lag });
        }
      }
      return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    },

    async pinStartOffsets(group, topics) {
      // The group's coordinator may be loading or moving (a broker that just started, or one
      // under load answers NOT_COORDINATOR for a while). Without the pin a member killed before
      // its first commit makes the next one skip records, so a coordinator error is waited out.
      for (let attempt = 1; ; attempt++) {
        try {
          return await pinOnce(group, topics);
        } catch (error) {
          if (attempt >= 8 || !coordinatorBusy(error)) throw error;
          await delay(backoffDelay(attempt, { initialMs: 250, maxMs: 3_000 }));
        }
      }
    },

    async recordTimestamps(positions) {
      try {
        return await timestamps.read(positions);
      } catch (error) {
        throw toKafkaError(error, brokers, "read the timestamps of unconsumed records");
      }
    },

    async clusterAddresses() {
      const cluster = await run("describe the cluster", (a) => a.describeCluster());
      return cluster.brokers.map((b) => `${b.host}:${b.port}`);
    },

    async close() {
      const current = admin;
      admin = undefined;
      await timestamps.close();
      if (current) await current.then((a) => a.disconnect()).catch(() => {});
    },
  };
}

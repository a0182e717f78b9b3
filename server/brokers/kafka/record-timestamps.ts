// The timestamp of the record at a given offset, for consumer lag in seconds: the age of the oldest
// record a group has not consumed is "now − the timestamp of the record at its committed offset".
// Kafka's admin API has no "read one record"; a consumer would have to join a group. A plain Fetch
// request to each partition's leader does it, through kafkajs' cluster (not part of its public
// API: reached through the client's own factory, so it shares the client's brokers, TLS and
// logging; tests/unit/brokers/kafka-record-timestamps.test.ts fails if an upgrade removes it).
import type { Cluster, Kafka } from "kafkajs";

export interface RecordPosition { topic: string; partition: number; offset: number }

export interface RecordTimestamps {
  /** Each position's record timestamp (epoch ms), by `positionKey`; a position without a readable record is left out. */
  read(positions: RecordPosition[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export const positionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** A partition is read again at most this often, even when its committed offset moves on. */
export const rereadAfterMs = 1_000;
/** Small: a broker returns the first record batch of a fetch whole, however large, and that batch holds the offset. */
const partitionMaxBytes = 1_024;

type ClusterFactory = (options: Record<string, unknown>) => Cluster;

/** kafkajs' own cluster factory of this client, or undefined when this kafkajs has none. */
export function clusterFactory(kafka: Kafka): ClusterFactory | undefined {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === "private:Kafka:createCluster");
  const factory = key ? (kafka as unknown as Record<symbol, unknown>)[key] : undefined;
  return typeof factory === "function" ? (factory as ClusterFactory) : undefined;
}

interface FetchedPartition { partition: number; errorCode: number; messages: { offset: string; timestamp: string; isControlRecord?: boolean }[] }

export function createRecordTimestamps(kafka: Kafka): RecordTimestamps {
  // What each partition's last read found (no timestamp: no readable record there), so a read
  // is repeated only when the offset moved, and not more than once a second.
  const known = new Map<string, { offset: number; timestamp?: number; readAt: number }>();
  let cluster: Promise<Cluster> | undefined;

  function connected(): Promise<Cluster> {
    cluster ??= (async () => {
      const create = clusterFactory(kafka);
      if (!create) throw new Error("this kafkajs has no cluster factory: record timestamps are unavailable");
      const created = create({ allowAutoTopicCreation: false });
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      cluster = undefined;
      throw error;
    });
    return cluster;
  }

  /**
   * One Fetch per partition, to its leader: a broker returns a record batch larger than the size
   * asked for only to the first partition of a request (the others get a cut batch, no records),
   * and a producer's batch easily outgrows a small limit. The first data record at or after the
   * offset gives the timestamp.
   */
  async function fetchFrom(c: Cluster, topic: string, positions: RecordPosition[], now: number): Promise<void> {
    await c.addMultipleTargetTopics([topic]);
    const leaders = c.findLeaderForPartitions(topic, positions.map((p) => p.partition));
    const leaderOf = new Map(Object.entries(leaders).flatMap(([nodeId, partitions]) => partitions.map((partition) => [partition, nodeId] as const)));
    await Promise.all(positions.map(async (position) => {
      const key = positionKey(topic, position.partition);
      known.set(key, { offset: position.offset, readAt: now });
      const nodeId = leaderOf.get(position.partition);
      if (nodeId === undefined) return;
      // An offset gone with retention, or a leader moving, fails this read: the age is unknown
      // until the next one (with fresh metadata), and the lag in messages is unaffected.
      const response = await c.findBroker({ nodeId }).then((broker) => broker.fetch({
        maxWaitTime: 0, minBytes: 1, maxBytes: partitionMaxBytes,
        topics: [{ topic, partitions: [{ partition: position.partition, fetchOffset: String(position.offset), maxBytes: partitionMaxBytes }] }],
      }) as Promise<{ responses: { partitions: FetchedPartition[] }[] }>).catch(() => {
        void c.refreshMetadata().catch(() => {});
        return { responses: [] };
      });
      const fetched = response.responses.flatMap((r) => r.partitions).find((p) => p.partition === position.partition && p.errorCode === 0);
      // A batch comes whole: skip its records before the offset, and transaction markers.
      const record = fetched?.messages.find((m) => Number(m.offset) >= position.offset && !m.isControlRecord);
      if (record) known.set(key, { offset: position.offset, timestamp: Number(record.timestamp), readAt: now });
    }));
  }

  return {
    async read(positions) {
      const now = Date.now();
      const stale = positions.filter((p) => {
        const last = known.get(positionKey(p.topic, p.partition));
        // The same offset is the same record; a moved offset is read again once a second at most.
        return !last || (last.offset !== p.offset && now - last.readAt >= rereadAfterMs);
      });
      if (stale.length > 0) {
        const c = await connected();
        const topics = [...new Set(stale.map((p) => p.topic))];
        await Promise.all(topics.map((topic) => fetchFrom(c, topic, stale.filter((p) => p.topic === topic), now)));
      }
      const out = new Map<string, number>();
      for (const p of positions) {
        const last = known.get(positionKey(p.topic, p.partition));
        if (last?.timestamp !== undefined) out.set(positionKey(p.topic, p.partition), last.timestamp);
      }
      return out;
    },
    async close() {
      const current = cluster;
      cluster = undefined;
      known.clear();
      if (current) await current.then((c) => c.disconnect()).catch(() => {});
    },
  };
}

// Reading an event log from Kafka for a projection: the whole topic from its oldest record, in
// a consumer group that never commits (the state lives in memory, so every start rebuilds it),
// and seeks to any offset or time on request, which is how a replay starts.
import { SpanStatusCode, context } from "@opentelemetry/api";
import type { Admin, EachMessagePayload, Kafka } from "kafkajs";
import { within } from "../backoff";
import type { Delivery, StateListener } from "../messaging";
import type { BrokerError } from "../types";
import { toKafkaError } from "./client";
import { kafkaDelivery } from "./consumer";

export interface Watermark { partition: number; low: number; high: number }

export interface ReplayReader {
  /** Each partition's oldest retained offset and its end (the offset the next record gets). */
  watermarks(): Promise<Watermark[]>;
  /** Per partition, the offset of the first record at or after `time` (epoch ms); the end when none is. */
  offsetsAt(time: number): Promise<{ partition: number; offset: number }[]>;
  /** Reads on from these offsets; records already fetched from the old position are not handed out. */
  seek(positions: { partition: number; offset: number }[]): void;
  stop(timeoutMs: number): Promise<void>;
}

export interface ReplayReaderOptions {
  kafka: Kafka;
  brokers: string[];
  groupId: string;
  topic: string;
  /** Runs inside the record's CONSUMER span; a throw is reported and the record skipped. */
  handler: (delivery: Delivery) => Promise<void>;
  linkSpans: boolean;
  joinTimeoutMs?: number;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

export async function readEventLog(options: ReplayReaderOptions): Promise<ReplayReader> {
  const { brokers, topic } = options;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 250,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000, restartOnFailure: async () => true },
  });
  const report = (error: unknown, what: string) => options.onError?.(toKafkaError(error, brokers, what));
  let admin: Promise<Admin> | undefined;
  let joined: () => void = () => {};
  const firstJoin = new Promise<void>((resolve) => { joined = resolve; });

  const connectedAdmin = () => {
    admin ??= (async () => {
      const created = options.kafka.admin();
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      admin = undefined;
      throw toKafkaError(error, brokers, "connect an admin client");
    });
    return admin;
  };

  consumer.on(consumer.events.GROUP_JOIN, () => { options.onState?.("connected"); joined(); });
  consumer.on(consumer.events.CRASH, (event) => {
    const error = toKafkaError(event.payload.error, brokers, `read the event log "${topic}"`);
    options.onState?.(event.payload.restart ? "reconnecting" : "crashed", error.message);
  });

  async function eachMessage(payload: EachMessagePayload): Promise<void> {
    const { delivery, span } = kafkaDelivery(payload, options.groupId, options.linkSpans);
    try {
      await context.with(delivery.context, () => options.handler(delivery));
    } catch (error) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      report(error, `apply offset ${payload.message.offset} of ${topic}[${payload.partition}]`);
    } finally {
      span?.end();
    }
  }

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // Never committed: a restarted projection has lost its state and must read from the start.
    await consumer.run({ autoCommit: false, eachMessage });
  } catch (error) {
    await consumer.disconnect().catch(() => {});
    throw toKafkaError(error, brokers, `read the event log "${topic}" as group "${options.groupId}"`);
  }
  await within(firstJoin, options.joinTimeoutMs ?? 30_000);

  return {
    async watermarks() {
      const a = await connectedAdmin();
      try {
        const offsets = await a.fetchTopicOffsets(topic);
        return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })).sort((x, y) => x.partition - y.partition);
      } catch (error) {
        throw toKafkaError(error, brokers, `read the offsets of "${topic}"`);
      }
    },
    async offsetsAt(time) {
      const a = await connectedAdmin();
      try {
        const [ends, found] = await Promise.all([a.fetchTopicOffsets(topic), a.fetchTopicOffsetsByTimestamp(topic, time)]);
        return found.map((o) => {
          const offset = Number(o.offset);
          const high = Number(ends.find((e) => e.partition === o.partition)?.high ?? 0);
          return { partition: o.partition, offset: offset < 0 ? high : offset };
        });
      } catch (error) {
        throw toKafkaError(error, brokers, `find the offsets of "${topic}" at ${new Date(time).toISOString()}`);
      }
    },
    seek(positions) {
      for (const { partition, offset } of positions) {
        try {
          consumer.seek({ topic, partition, offset: String(offset) });
        } catch (error) {
          report(error, `seek ${topic}[${partition}] to ${offset}`);
        }
      }
    },
    async stop(timeoutMs) {
      await within(consumer.stop().catch(() => {}), timeoutMs);
      await consumer.disconnect().catch(() => {});
      const a = admin;
      admin = undefined;
      if (a) await a.then((x) => x.disconnect()).catch(() => {});
    },
  };
}

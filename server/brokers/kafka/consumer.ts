// Consuming Kafka topics in a consumer group: up to `concurrency` partitions processed at once
// (order is kept within a partition), offsets committed after processing (manual) or by kafkajs
// (auto). In link mode the CONSUMER span is started here, linked to the producer's span, because
// the kafkajs instrumentation can only make it a child for eachMessage.
import { ROOT_CONTEXT, context, trace } from "@opentelemetry/api";
import type { Span, SpanContext } from "@opentelemetry/api";
import type { EachMessagePayload, Kafka } from "kafkajs";
import { within } from "../backoff";
import { textHeaders } from "../messaging";
import type { Delivery, DeliveryHandler, StateListener, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import { toKafkaError } from "./client";
import { createOffsetCommitter } from "./commits";
import { markFailed } from "../messaging-spans";
import { kafkaProcessSpan } from "./spans";

export interface KafkaConsumerOptions {
  kafka: Kafka;
  brokers: string[];
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** kafkajs auto-commit; otherwise each processed offset is committed by us. */
  autoCommit: boolean;
  concurrency: number;
  handler: DeliveryHandler;
  /** Start CONSUMER spans here with a link to the producer span instead of a parent. */
  linkSpans: boolean;
  /** How long to wait for the first group join before resolving anyway. */
  joinTimeoutMs?: number;
  /**
   * How long the group waits for a silent member before giving its partitions to others (a
   * killed consumer). kafkajs heartbeats between messages, so it must exceed the longest message.
   */
  sessionTimeoutMs?: number;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

/**
 * A record as a Delivery, in the context it is processed in: the instrumentation's process span (a
 * child of the send span), or in link mode one started here (the caller ends it). See spans.ts.
 */
export function kafkaDelivery(payload: EachMessagePayload, group: string, linkSpans: boolean | undefined): { delivery: Delivery; span?: Span; creation?: SpanContext } {
  const raw = (payload.message.headers ?? {}) as Record<string, unknown>;
  const headers = textHeaders(raw);
  const { span, started, creation } = kafkaProcessSpan(payload, headers, group, Boolean(linkSpans));
  const delivery: Delivery = {
    body: payload.message.value ?? Buffer.alloc(0),
    headers,
    rawHeaders: raw,
    redelivered: false,
    source: payload.topic,
    ...(payload.message.key ? { key: payload.message.key.toString() } : {}),
    partition: payload.partition,
    offset: payload.message.offset,
    context: started && span ? trace.setSpan(ROOT_CONTEXT, span) : context.active(),
    heartbeat: () => payload.heartbeat(),
  };
  return { delivery, ...(started && span ? { span } : {}), ...(creation ? { creation } : {}) };
}

/** Joins the group and starts consuming; resolves after the first group join (or the join timeout). */
export async function consumeKafkaTopics(options: KafkaConsumerOptions): Promise<Subscription> {
  const { brokers } = options;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: Math.max(1_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
    // An idle fetch returns after this long; it bounds how long stop() waits.
    maxWaitTimeInMs: 500,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000, restartOnFailure: async () => true },
  });
  const report = (error: unknown, what: string) => options.onError?.(toKafkaError(error, brokers, what));
  const committer = createOffsetCommitter(consumer, options.groupId, (error) => report(error, "commit offsets"));
  let active = 0;
  /** Offset marks waiting for their settlement's `after`. */
  const settling = new Set<Promise<void>>();
  let joined: () => void = () => {};
  const firstJoin = new Promise<void>((resolve) => { joined = resolve; });

  consumer.on(consumer.events.GROUP_JOIN, () => { options.onState?.("connected"); joined(); });
  consumer.on(consumer.events.CRASH, (event) => {
    const error = toKafkaError(event.payload.error, brokers, `consume as group "${options.groupId}"`);
    options.onState?.(event.payload.restart ? "reconnecting" : "crashed", error.message);
  });
  consumer.on(consumer.events.REBALANCING, () => options.onState?.("reconnecting", "the consumer group is rebalancing"));

  async function eachMessage(payload: EachMessagePayload): Promise<void> {
    active += 1;
    const { delivery, span, creation } = kafkaDelivery(payload, options.groupId, options.linkSpans);
    try {
      const settlement = await context.with(delivery.context, () => options.handler(delivery));
      if (options.autoCommit) {
        // kafkajs commits what eachMessage has returned: only once the settlement may apply.
        await settlement.after;
      } else if (settlement.after) {
        // The next record is processed meanwhile; marks still land in offset order (FIFO).
        const mark = settlement.after.then(() => committer.mark(payload.topic, payload.partition, payload.message.offset, creation));
        settling.add(mark);
        void mark.finally(() => settling.delete(mark));
      } else {
        committer.mark(payload.topic, payload.partition, payload.message.offset, creation);
      }
    } catch (error) {
      if (span) markFailed(span, error instanceof Error ? error.name : "_OTHER", error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      span?.end();
      active -= 1;
    }
  }

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
    await consumer.run({ autoCommit: options.autoCommit, partitionsConsumedConcurrently: options.concurrency, eachMessage });
  } catch (error) {
    await consumer.disconnect().catch(() => {});
    throw toKafkaError(error, brokers, `consume ${options.topics.join(", ")} as group "${options.groupId}"`);
  }
  await within(firstJoin, options.joinTimeoutMs ?? 30_000);

  return {
    inFlight: () => active + settling.size,
    async stop(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // stop() lets the message in hand finish; bounded so a stuck handler cannot hold the exit.
      await within(consumer.stop().catch(() => {}), timeoutMs);
      await within(Promise.all(settling), deadline - Date.now());
      await within(committer.flush(), deadline - Date.now());
      await consumer.disconnect().catch(() => {});
    },
  };
}

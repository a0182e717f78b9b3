// Producing to Kafka with a bounded window: messages queue for one event-loop turn and go out as
// one sendBatch per trace context, so a burst costs a few requests, not one per message. An
// idempotent producer keeps a single batch in flight (kafkajs needs that for its sequences).
import { context } from "@opentelemetry/api";
import type { Context } from "@opentelemetry/api";
import { Partitioners } from "kafkajs";
import type { Kafka, Message, Producer } from "kafkajs";
import { createChangeSignal, settleInFlight } from "../in-flight";
import { traceIdOf } from "../messaging";
import type { KafkaOutgoing, Publisher, SendOutcome, StateListener } from "../messaging";
import type { BrokerError } from "../types";
import { toKafkaError } from "./client";

export interface KafkaPublisherOptions {
  kafka: Kafka;
  brokers: string[];
  acks: -1 | 0 | 1;
  idempotent: boolean;
  /** The most unconfirmed messages in flight. */
  window: number;
  maxBatch?: number;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

interface Queued { message: KafkaOutgoing; record: Message & { headers: Record<string, string> }; context: Context; resolve: (outcome: SendOutcome) => void }

export async function createKafkaPublisher(options: KafkaPublisherOptions): Promise<Publisher<KafkaOutgoing>> {
  const { brokers } = options;
  const acks = options.idempotent ? -1 : options.acks;
  const producer: Producer = options.kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: options.idempotent,
    // An idempotent producer retries with the same sequence numbers, which the broker deduplicates:
    // it keeps retrying through a broker outage instead of failing sends that would then be repeated
    // as new records (kafkajs warns that limited retries void its guarantees).
    ...(options.idempotent ? { maxInFlightRequests: 1, retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 } } : {}),
  });
  producer.on(producer.events.CONNECT, () => options.onState?.("connected"));
  producer.on(producer.events.DISCONNECT, () => { if (!closed) options.onState?.("reconnecting", "disconnected from Kafka"); });
  try {
    await producer.connect();
  } catch (error) {
    throw toKafkaError(error, brokers, "connect a producer");
  }

  const maxBatch = options.maxBatch ?? 500;
  const maxBatchesInFlight = options.idempotent ? 1 : 4;
  let queue: Queued[] = [];
  let inFlight = 0;
  let batchesInFlight = 0;
  let scheduled = false;
  let closed = false;
  let failing = false;
  const { signal, changed } = createChangeSignal();

  function schedule(): void {
    if (scheduled || queue.length === 0 || batchesInFlight >= maxBatchesInFlight) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && batchesInFlight < maxBatchesInFlight) {
      // One batch = consecutive messages that share a trace context (all root, or one forward's parent).
      const ctx = queue[0]!.context;
      let end = 1;
      while (end < queue.length && end < maxBatch && queue[end]!.context === ctx) end++;
      const batch = queue.slice(0, end);
      queue = queue.slice(end);
      void send(batch, ctx);
    }
  }

  // A send that hangs (retrying through an outage) is a link in trouble even before it fails.
  const stalledAfterMs = 3_000;
  const stallWatch = setInterval(() => {
    if (failing || closed || oldestSendAt === undefined || Date.now() - oldestSendAt < stalledAfterMs) return;
    failing = true;
    options.onState?.("reconnecting", `Kafka has not acknowledged a send for ${Math.round((Date.now() - oldestSendAt) / 1000)} s; retrying`);
  }, 1_000);
  stallWatch.unref();
  const sending = new Set<{ at: number }>();
  let oldestSendAt: number | undefined;
  const oldest = () => (sending.size > 0 ? Math.min(...[...sending].map((s) => s.at)) : undefined);

  async function send(batch: Queued[], ctx: Context): Promise<void> {
    batchesInFlight += 1;
    const started = { at: Date.now() };
    sending.add(started);
    oldestSendAt = oldest();
    const byTopic = new Map<string, Message[]>();
    for (const item of batch) {
      const messages = byTopic.get(item.message.topic);
      if (messages) messages.push(item.record);
      else byTopic.set(item.message.topic, [item.record]);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    let failure: BrokerError | undefined;
    try {
      // The instrumentation starts a PRODUCER span per message here and injects it into its headers.
      await context.with(ctx, () => producer.sendBatch({ topicMessages, acks }));
      if (failing) { failing = false; options.onState?.("connected"); }
    } catch (error) {
      failure = toKafkaError(error, brokers, "send");
      if (failure.code === "BROKER_UNAVAILABLE" && !failing) { failing = true; options.onState?.("reconnecting", failure.message); }
      options.onError?.(failure);
    }
    for (const item of batch) {
      const traceId = traceIdOf(item.record.headers);
      item.resolve(failure ? { ok: false, traceId, error: failure } : { ok: true, traceId });
    }
    inFlight -= batch.length;
    batchesInFlight -= 1;
    sending.delete(started);
    oldestSendAt = oldest();
    signal();
    schedule();
  }

  return {
    async writable() {
      while (!closed && inFlight >= options.window) await changed();
      return !closed;
    },

    publish(message) {
      inFlight += 1;
      const record = {
        value: message.value,
        headers: { ...message.headers },
        ...(message.key !== undefined ? { key: message.key } : {}),
        ...(message.partition !== undefined ? { partition: message.partition } : {}),
      };
      return new Promise<SendOutcome>((resolve) => {
        queue.push({ message, record, context: context.active(), resolve });
        if (queue.length >= maxBatch) flush();
        else schedule();
      });
    },

    inFlight: () => inFlight,

    settle: (timeoutMs) => settleInFlight(() => inFlight, { changed }, timeoutMs),

    async close() {
      closed = true;
      clearInterval(stallWatch);
      signal();
      await producer.disconnect().catch(() => {});
    },
  };
}

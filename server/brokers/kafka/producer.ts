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
import { BrokerError } from "../types";
import { toKafkaError } from "./client";

/** The broker's answers that end an idempotent producer's session (kafkajs does not recover). */
const sessionErrors = new Set(["UNKNOWN_PRODUCER_ID", "OUT_OF_ORDER_SEQUENCE_NUMBER", "INVALID_PRODUCER_EPOCH", "INVALID_PRODUCER_ID_MAPPING"]);

export function lostSession(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const { type, cause } = error as { type?: unknown; cause?: unknown };
  return (typeof type === "string" && sessionErrors.has(type)) || lostSession(cause, depth + 1);
}

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
  const newProducer = (): Producer => {
    const created = options.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: options.idempotent,
      // An idempotent producer retries with the same sequence numbers, which the broker deduplicates:
      // it keeps retrying through a broker outage instead of failing sends that would then be repeated
      // as new records (kafkajs warns that limited retries void its guarantees).
      ...(options.idempotent ? { maxInFlightRequests: 1, retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 } } : {}),
    });
    created.on(created.events.CONNECT, () => options.onState?.("connected"));
    created.on(created.events.DISCONNECT, () => { if (!closed && created === producer) options.onState?.("reconnecting", "disconnected from Kafka"); });
    return created;
  };
  let closed = false;
  let producer = newProducer();
  try {
    await producer.connect();
  } catch (error) {
    throw toKafkaError(error, brokers, "connect a producer");
  }

  /**
   * After a broker restart the broker may no longer know the idempotent producer's id or its
   * sequence numbers (UNKNOWN_PRODUCER_ID, OUT_OF_ORDER_SEQUENCE_NUMBER): kafkajs gives up on that
   * producer for good. As the Java client does, start a new idempotence session (a new producer
   * id) and let the sends be made again: a record the broker did keep then arrives twice, which
   * the consumers count as a duplicate rather than the ledger as a loss.
   */
  async function newSession(): Promise<void> {
    const old = producer;
    producer = newProducer();
    await old.disconnect().catch(() => {});
    await producer.connect().catch(() => {}); // a broker still down: sendBatch connects later
  }

  const maxBatch = options.maxBatch ?? 500;
  const maxBatchesInFlight = options.idempotent ? 1 : 4;
  let queue: Queued[] = [];
  let inFlight = 0;
  let batchesInFlight = 0;
  let scheduled = false;
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
      if (options.idempotent && !closed && lostSession(error)) {
        await newSession();
        failure = new BrokerError(failure.code, `${failure.message}; Kafka no longer knew this producer's idempotence session, so a new one was started`, true, { cause: error });
      }
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

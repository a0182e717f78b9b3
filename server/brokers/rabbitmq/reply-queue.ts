// The reply side of request/reply on RabbitMQ: a queue the client consumes its replies from.
// `exclusive` declares a private, server-named queue that dies with the connection (after a
// reconnection a new one is declared under a new name); otherwise a declared queue is consumed.
import type { Channel, ConsumeMessage } from "amqplib";
import { backoffDelay, delay } from "../backoff";
import { modelRabbitProcess } from "./spans";
import { textHeaders } from "../messaging";
import type { Delivery } from "../messaging";
import type { BrokerError } from "../types";
import type { RabbitConnection } from "./connection";
import { toBrokerError } from "./errors";

export interface ReplyQueue {
  /** Where replies go now; undefined while the connection is down. */
  name(): string | undefined;
  stop(): Promise<void>;
}

export interface ReplyQueueOptions {
  connection: RabbitConnection;
  /** A declared queue; without it, an exclusive server-named queue. */
  queue?: string;
  /** Runs inside the reply's CONSUMER span; replies are auto-acked (they are worthless once late). */
  handler: (delivery: Delivery) => void;
  onError?: (error: BrokerError) => void;
}

/** Declares (or checks) the reply queue and consumes it; resolves once replies can arrive. */
export async function consumeReplyQueue(options: ReplyQueueOptions): Promise<ReplyQueue> {
  const { connection } = options;
  let channel: Channel | undefined;
  let current: string | undefined;
  let opening = false;
  let stopping = false;
  let failures = 0;
  const stopped = new AbortController();
  let settleFirst: ((error?: BrokerError) => void) | undefined;
  const first = new Promise<BrokerError | undefined>((resolve) => { settleFirst = resolve; });

  function onMessage(message: ConsumeMessage | null): void {
    if (!message) return;
    const raw = (message.properties.headers ?? {}) as Record<string, unknown>;
    const delivery: Delivery = {
      body: message.content,
      headers: textHeaders(raw),
      rawHeaders: raw,
      redelivered: message.fields.redelivered,
      source: current ?? message.fields.routingKey,
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
      ...(message.properties.correlationId ? { correlationId: String(message.properties.correlationId) } : {}),
      context: modelRabbitProcess(message, current ?? message.fields.routingKey),
    };
    try {
      options.handler(delivery);
    } catch (error) {
      options.onError?.(toBrokerError(error, connection.url, "handle a reply"));
    }
  }

  async function open(): Promise<void> {
    const model = connection.current();
    if (stopping || opening || channel || !model) return;
    opening = true;
    let created: Channel | undefined;
    try {
      created = await model.createChannel();
      const ch = created;
      ch.on("error", (error: Error) => options.onError?.(toBrokerError(error, connection.url, "consume replies")));
      ch.on("close", () => {
        if (channel !== ch) return;
        channel = undefined;
        current = undefined;
        void reopen();
      });
      const name = options.queue
        ? (await ch.checkQueue(options.queue)).queue
        : (await ch.assertQueue("", { exclusive: true, autoDelete: true, durable: false })).queue;
      await ch.consume(name, onMessage, { noAck: true });
      channel = ch;
      current = name;
      failures = 0;
      settleFirst?.();
    } catch (error) {
      const failure = toBrokerError(error, connection.url, options.queue ? `consume replies from queue "${options.queue}"` : "declare an exclusive reply queue");
      if (settleFirst) settleFirst(failure);
      else options.onError?.(failure);
      if (created) await created.close().catch(() => {});
      void reopen();
    } finally {
      opening = false;
    }
  }

  async function reopen(): Promise<void> {
    if (stopping || !connection.current()) return;
    failures += 1;
    await delay(backoffDelay(failures, { initialMs: 200, maxMs: 5_000 }), stopped.signal);
    await open();
  }

  // Each new connection gets a fresh channel; an exclusive queue gets a new name with it.
  const unsubscribe = connection.onConnect(() => {
    channel = undefined;
    current = undefined;
    return open();
  });
  const error = await Promise.race([first, connection.ready().then(() => first, (failure: BrokerError) => failure)]);
  settleFirst = undefined;
  if (error) {
    stopping = true;
    stopped.abort();
    unsubscribe();
    throw error;
  }

  return {
    name: () => current,
    async stop() {
      stopping = true;
      stopped.abort();
      unsubscribe();
      const ch = channel;
      channel = undefined;
      current = undefined;
      if (ch) await ch.close().catch(() => {});
    },
  };
}

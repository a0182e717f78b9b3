// Consuming a RabbitMQ queue: basic.qos prefetch, up to `concurrency` deliveries processed at
// once, each settled on the channel it arrived on. After a reconnection or a channel error the
// channel is rebuilt and the consumer subscribed again; unsettled deliveries return to the queue.
import { context } from "@opentelemetry/api";
import type { Channel, ConsumeMessage } from "amqplib";
import { backoffDelay, delay } from "../backoff";
import { textHeaders } from "../messaging";
import type { Delivery, DeliveryHandler, Settlement, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import type { RabbitConnection } from "./connection";
import { toBrokerError } from "./errors";
import { modelRabbitProcess, settleRabbit } from "./spans";

export interface RabbitConsumerOptions {
  connection: RabbitConnection;
  queue: string;
  prefetch: number;
  /** Auto-ack: the broker forgets a message as soon as it is sent. */
  noAck: boolean;
  concurrency: number;
  handler: DeliveryHandler;
  onError?: (error: BrokerError) => void;
  /** A settle span (ack, nack) per message under its process span: scenario consumers; pattern parts keep their request/reply traces as they were. */
  settleSpans?: boolean;
}

interface Pending { message: ConsumeMessage; channel: Channel; delivery: Delivery }

/** Subscribes; resolves once the first subscription is in place (a BrokerError when the queue is missing). */
export async function consumeRabbitQueue(options: RabbitConsumerOptions): Promise<Subscription> {
  const { connection, queue } = options;
  const open = new Set<Channel>();
  const backlog: Pending[] = [];
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let opening = false;
  let stopping = false;
  let active = 0;
  /** Processed deliveries whose ack or nack is not sent yet. */
  let settling = 0;
  let failures = 0;
  const stopped = new AbortController();
  let firstResult: ((error?: BrokerError) => void) | undefined;
  const first = new Promise<BrokerError | undefined>((resolve) => { firstResult = resolve; });

  function onMessage(ch: Channel, message: ConsumeMessage | null): void {
    if (!message) return; // cancelled by the broker (queue deleted); the channel stays open
    const raw = (message.properties.headers ?? {}) as Record<string, unknown>;
    const delivery: Delivery = {
      body: message.content,
      headers: textHeaders(raw),
      rawHeaders: raw,
      redelivered: message.fields.redelivered,
      source: queue,
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
      ...(message.properties.replyTo ? { replyTo: String(message.properties.replyTo) } : {}),
      ...(message.properties.correlationId ? { correlationId: String(message.properties.correlationId) } : {}),
      // The instrumentation made the CONSUMER span active for this callback only.
      context: modelRabbitProcess(message, queue),
    };
    backlog.push({ message, channel: ch, delivery });
    pump();
  }

  function pump(): void {
    while (active < options.concurrency && backlog.length > 0) {
      const next = backlog.shift()!;
      if (!open.has(next.channel)) continue; // its channel died: the broker redelivers it
      active += 1;
      void process(next);
    }
  }

  async function process({ message, channel: ch, delivery }: Pending): Promise<void> {
    const settlement: Settlement = await context.with(delivery.context, () => options.handler(delivery)).catch(
      () => ({ kind: "nack", requeue: true }) as const,
    );
    // The slot is free once processing is done; the settlement may still wait (settlement.after).
    active -= 1;
    settling += 1;
    pump();
    try {
      await settlement.after;
      if (options.noAck || !open.has(ch)) return;
      const traced = options.settleSpans ? delivery.context : undefined;
      if (settlement.kind === "ack") settleRabbit(traced, message, queue, "ack", undefined, () => ch.ack(message));
      else settleRabbit(traced, message, queue, "nack", settlement.requeue, () => ch.nack(message, false, settlement.requeue));
    } catch (error) {
      options.onError?.(toBrokerError(error, connection.url, `settle a message from "${queue}"`));
    } finally {
      settling -= 1;
    }
  }

  async function subscribe(): Promise<void> {
    const model = connection.current();
    if (stopping || opening || channel || !model) return;
    opening = true;
    let created: Channel | undefined;
    try {
      created = await model.createChannel();
      const ch = created;
      ch.on("error", (error: Error) => options.onError?.(toBrokerError(error, connection.url, `consume from "${queue}"`)));
      ch.on("close", () => {
        open.delete(ch);
        if (channel !== ch) return;
        channel = undefined;
        consumerTag = undefined;
        void resubscribe();
      });
      open.add(ch);
      channel = ch;
      if (options.prefetch > 0) await ch.prefetch(options.prefetch);
      const reply = await ch.consume(queue, (message) => onMessage(ch, message), { noAck: options.noAck });
      consumerTag = reply.consumerTag;
      failures = 0;
      firstResult?.();
    } catch (error) {
      const failure = toBrokerError(error, connection.url, `consume from queue "${queue}"`);
      if (firstResult) firstResult(failure);
      else options.onError?.(failure);
      // A refused consume closes the channel, whose 'close' handler subscribes again.
      if (created) await created.close().catch(() => {});
      else void resubscribe();
    } finally {
      opening = false;
    }
  }

  async function resubscribe(): Promise<void> {
    if (stopping || !connection.current()) return;
    failures += 1;
    await delay(backoffDelay(failures, { initialMs: 200, maxMs: 5_000 }), stopped.signal);
    await subscribe();
  }

  const unsubscribe = connection.onConnect(() => subscribe());
  const error = await Promise.race([first, connection.ready().then(() => first, (failure: BrokerError) => failure)]);
  firstResult = undefined;
  if (error) {
    stopping = true;
    stopped.abort();
    unsubscribe();
    throw error;
  }

  return {
    inFlight: () => active + backlog.length + settling,
    async stop(timeoutMs) {
      stopping = true;
      stopped.abort();
      unsubscribe();
      const ch = channel;
      // Cancel first so the broker sends nothing more; deliveries already here are still settled.
      if (ch && consumerTag) await ch.cancel(consumerTag).catch(() => {});
      const deadline = Date.now() + timeoutMs;
      while (active + backlog.length + settling > 0 && Date.now() < deadline) await delay(20);
      channel = undefined;
      if (ch) await ch.close().catch(() => {});
    },
  };
}

// Publishing to RabbitMQ on a confirm channel with a bounded window of unconfirmed messages.
// When publish() returns false the channel's buffer is full: nothing is republished, the next
// publish waits for 'drain'. The channel is rebuilt after a reconnection or a channel error.
import type { Channel, ConfirmChannel, Message } from "amqplib";
import { backoffDelay, delay } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import { traceIdOf } from "../messaging";
import type { Publisher, RabbitOutgoing, SendOutcome } from "../messaging";
import { BrokerError } from "../types";
import type { RabbitConnection } from "./connection";
import { toBrokerError } from "./errors";

export interface RabbitPublisherOptions {
  connection: RabbitConnection;
  /** Publisher confirms; without them a message counts as confirmed once written. */
  confirm: boolean;
  /** The most unconfirmed messages in flight. */
  window: number;
  onError?: (error: BrokerError) => void;
}

export function createRabbitPublisher(options: RabbitPublisherOptions): Publisher<RabbitOutgoing> {
  const { connection } = options;
  let channel: (Channel | ConfirmChannel) | undefined;
  let opening = false;
  let draining = false;
  let closed = false;
  let inFlight = 0;
  let failures = 0;
  const returned = new Set<string>();
  const stopped = new AbortController();
  const { signal, changed } = createChangeSignal();

  async function open(): Promise<void> {
    const model = connection.current();
    if (closed || opening || channel || !model) return;
    opening = true;
    try {
      const created = options.confirm ? await model.createConfirmChannel() : await model.createChannel();
      created.on("error", (error: Error) => options.onError?.(toBrokerError(error, connection.url, "publish")));
      created.on("drain", () => { draining = false; signal(); });
      // A return precedes the confirm of the same message; without confirms there is nothing to pair it with.
      if (options.confirm) created.on("return", (message: Message) => { returned.add(String(message.properties.messageId)); });
      created.on("close", () => {
        if (channel !== created) return;
        channel = undefined;
        draining = false;
        signal();
        void reopen();
      });
      channel = created;
      failures = 0;
    } catch (error) {
      options.onError?.(toBrokerError(error, connection.url, "open a publishing channel"));
      void reopen();
    } finally {
      opening = false;
      signal();
    }
  }

  // After a channel error on a live connection: back off, then open again. A lost connection
  // is handled by onConnect instead.
  async function reopen(): Promise<void> {
    if (closed || !connection.current()) return;
    failures += 1;
    await delay(backoffDelay(failures, { initialMs: 100, maxMs: 5_000 }), stopped.signal);
    await open();
  }

  const unsubscribe = connection.onConnect(() => open());

  return {
    async writable() {
      while (!closed && (!channel || draining || inFlight >= options.window)) await changed();
      return !closed;
    },

    publish(message) {
      const current = channel;
      if (!current || closed) {
        return Promise.resolve({ ok: false, error: new BrokerError("BROKER_UNAVAILABLE", "not connected to RabbitMQ; the message was not published", true) });
      }
      const publishOptions = {
        headers: message.headers,
        messageId: message.messageId,
        persistent: message.persistent,
        mandatory: message.mandatory,
        contentType: "application/json",
        timestamp: Math.floor(Date.now() / 1000),
        ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
        ...(message.correlationId !== undefined ? { correlationId: message.correlationId } : {}),
        ...(message.expiration !== undefined ? { expiration: String(Math.max(0, Math.round(message.expiration))) } : {}),
      };
      inFlight += 1;
      return new Promise<SendOutcome>((resolve) => {
        let traceId: string | undefined;
        const settle = (error: unknown) => {
          inFlight -= 1;
          signal();
          const wasReturned = returned.delete(message.messageId);
          if (error) resolve({ ok: false, traceId, error: toBrokerError(error, connection.url, "publish (negatively confirmed)") });
          else resolve({ ok: true, traceId, ...(wasReturned ? { returned: true } : {}) });
        };
        try {
          const written = options.confirm
            ? (current as ConfirmChannel).publish(message.exchange, message.routingKey, message.body, publishOptions, (error) => settle(error))
            : current.publish(message.exchange, message.routingKey, message.body, publishOptions);
          // The instrumentation injects the trace context into the headers object we passed.
          traceId = traceIdOf(publishOptions.headers);
          if (!written) draining = true;
          if (!options.confirm) settle(undefined);
        } catch (error) {
          settle(error);
        }
      });
    },

    inFlight: () => inFlight,

    settle: (timeoutMs) => settleInFlight(() => inFlight, { changed }, timeoutMs),

    async close() {
      closed = true;
      stopped.abort();
      unsubscribe();
      signal();
      const current = channel;
      channel = undefined;
      if (current) await current.close().catch(() => {});
    },
  };
}

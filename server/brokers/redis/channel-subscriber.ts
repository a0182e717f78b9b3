// Consuming Redis Pub/Sub: SUBSCRIBE to a channel or PSUBSCRIBE to a pattern on a connection of its
// own. Fire-and-forget: there is no ack and nothing to requeue; what arrives while this subscriber
// is down or disconnected is never delivered to it. Messages are processed up to `concurrency` at
// once; beyond that they wait here, in memory (Redis drops a client whose output buffer overflows).
import { ROOT_CONTEXT, context, trace } from "@opentelemetry/api";
import { within } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import type { Delivery, Settlement, StateListener, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import { toRedisError, type RedisConnection } from "./connection";
import { startRedisProcessSpan } from "./spans";
import { readEnvelope } from "./wire";

export interface ChannelSubscriberOptions {
  /** A connection in subscriber mode: used for nothing else. */
  subscriber: RedisConnection;
  url: string;
  from: { channel: string } | { channelPattern: string };
  concurrency: number;
  linkSpans: boolean;
  handler: (delivery: Delivery) => Promise<Settlement>;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

export async function subscribeRedisChannel(options: ChannelSubscriberOptions): Promise<Subscription> {
  let active = 0;
  let running = 0;
  const { signal, changed } = createChangeSignal();

  async function take(message: string, channel: string): Promise<void> {
    const { body, headers } = readEnvelope(message);
    while (running >= options.concurrency) await changed();
    running += 1;
    const span = startRedisProcessSpan(channel, headers, !options.linkSpans);
    const delivery: Delivery = { body, headers, rawHeaders: headers, source: channel, redelivered: false, context: trace.setSpan(ROOT_CONTEXT, span) };
    try {
      // Nothing to settle with Redis: an ack or a nack only ends the handler's bookkeeping.
      await context.with(delivery.context, () => options.handler(delivery));
    } catch (error) {
      options.onError?.(toRedisError(error, options.url, `process a message from ${channel}`));
    } finally {
      span.end();
      running -= 1;
      active -= 1;
      signal();
    }
  }
  const listener = (message: string, channel: string) => {
    active += 1;
    void take(message, channel);
  };
  const { from, subscriber } = options;
  try {
    if ("channel" in from) await subscriber.subscribe(from.channel, listener);
    else await subscriber.pSubscribe(from.channelPattern, listener);
  } catch (error) {
    throw toRedisError(error, options.url, `subscribe to ${"channel" in from ? from.channel : from.channelPattern}`);
  }
  options.onState?.("connected");
  return {
    inFlight: () => active,
    async stop(timeoutMs) {
      const unsubscribe = "channel" in from ? subscriber.unsubscribe(from.channel) : subscriber.pUnsubscribe(from.channelPattern);
      await within(unsubscribe.catch(() => undefined), timeoutMs);
      await settleInFlight(() => active, { changed }, timeoutMs);
    },
  };
}

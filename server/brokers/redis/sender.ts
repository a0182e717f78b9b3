// Sending to Redis: XADD to a stream (trimmed to about its MAXLEN; the confirm is the entry id) or
// PUBLISH to a channel (the confirm is Redis's count of subscribers that got it: 0 means nobody was
// listening and the message is gone, which the outcome's note says). A PRODUCER span per message
// injects `traceparent` into the headers the message carries.
import { context, propagation, trace } from "@opentelemetry/api";
import { markFailed } from "../messaging-spans";
import { traceIdOf } from "../messaging";
import type { HeaderValue, Publisher, SendOutcome, StateListener } from "../messaging";
import { createWindowedPublisher } from "../in-flight";
import type { BrokerError } from "../types";
import { toRedisError, type RedisConnection } from "./connection";
import { startRedisSendSpan } from "./spans";
import { channelEnvelope, streamFields } from "./wire";

export type RedisDestination = { stream: string } | { channel: string };

export interface RedisOutgoing {
  destination: RedisDestination;
  body: Buffer;
  headers: Record<string, HeaderValue>;
}

export interface RedisSenderOptions {
  client: RedisConnection;
  url: string;
  window: number;
  /** A stream's MAXLEN, from the scenario's resources. */
  maxLenOf?: (stream: string) => number | undefined;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

export const destinationName = (to: RedisDestination): string => ("stream" in to ? to.stream : to.channel);

export function createRedisSender(options: RedisSenderOptions): Publisher<RedisOutgoing> {
  const { client } = options;
  let failing = false;

  async function call(message: RedisOutgoing, headers: Record<string, string>): Promise<string | undefined> {
    const to = message.destination;
    if ("stream" in to) {
      const maxLen = options.maxLenOf?.(to.stream);
      const trim = maxLen === undefined ? {} : { TRIM: { strategy: "MAXLEN" as const, strategyModifier: "~" as const, threshold: maxLen } };
      await client.xAdd(to.stream, "*", streamFields(message.body, headers), trim);
      return undefined;
    }
    const receivers = await client.publish(to.channel, channelEnvelope(message.body, headers));
    return receivers === 0 ? `no subscriber was listening on channel ${to.channel}: Redis Pub/Sub keeps nothing, so this message is lost` : undefined;
  }

  async function publish(message: RedisOutgoing): Promise<SendOutcome> {
    const name = destinationName(message.destination);
    const span = startRedisSendSpan(name, message.headers);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    // The caller reads the injected traceparent from the message it passed.
    Object.assign(message.headers, carrier);
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
    const traceId = traceIdOf(carrier);
    try {
      const note = await context.with(trace.setSpan(context.active(), span), () => call(message, headers));
      if (failing) { failing = false; options.onState?.("connected"); }
      if (note) span.addEvent("brokerlab.no_subscriber", { "brokerlab.reason": note });
      return note ? { ok: true, traceId, note } : { ok: true, traceId };
    } catch (error) {
      const failure = toRedisError(error, options.url, `send to ${name}`);
      markFailed(span, failure.code, failure.message);
      if (failure.retriable && !failing) { failing = true; options.onState?.("reconnecting", failure.message); }
      options.onError?.(failure);
      return { ok: false, traceId, error: failure };
    } finally {
      span.end();
    }
  }

  return createWindowedPublisher({ window: options.window, send: publish, ready: () => client.isReady });
}

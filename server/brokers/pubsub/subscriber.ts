// Consuming a Pub/Sub subscription, by streaming pull (the library's subscriber: flow control, and
// ack deadlines extended while a message is worked on) or by pull (one Pull call at a time, the
// deadline extended only when the consumer asks: slow work past it gets the message delivered
// again). Up to `concurrency` messages are processed at once; messages of one ordering key one
// after another. The ack comes after the work; a nack makes Pub/Sub deliver the message again at
// once, and with a dead-letter policy it counts an attempt.
import type { Message, PubSub } from "@google-cloud/pubsub";
import { ROOT_CONTEXT, SpanStatusCode, context, trace, type Span } from "@opentelemetry/api";
import { backoffDelay, delay, within } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import type { Delivery, Settlement, StateListener, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import { createKeyedChains } from "../aws/sequencing";
import { createPullClient, subscriptionPath, toPubsubError, type PubsubTarget } from "./clients";
import { libraryTraceAttribute, startProcessSpan } from "./spans";

/** A delivery from Pub/Sub: `redeliverAfter` hides it for `seconds` (its ack deadline) instead of acking it. */
export interface PubsubDelivery extends Delivery {
  /** Pub/Sub's count of deliveries (1 on the first); 0 when the subscription has no dead-letter policy, which is what makes Pub/Sub count. */
  deliveryAttempt: number;
  redeliverAfter(seconds: number): Promise<boolean>;
}

export interface PubsubSubscriberOptions {
  pubsub: PubSub;
  target: PubsubTarget;
  subscription: string;
  mode: "streaming" | "pull";
  concurrency: number;
  /** Pull mode: the subscription's ack deadline, and whether to extend it while the work runs. */
  ackDeadlineSeconds: number;
  extendDeadline: boolean;
  autoAck: boolean;
  linkSpans: boolean;
  handler: (delivery: PubsubDelivery) => Promise<Settlement>;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

/** One received message, whichever way it came. */
interface Received {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
  deliveryAttempt: number;
  librarySpan?: Span;
  ack(): Promise<void>;
  /** Deliver again after `seconds` (0: at once). */
  release(seconds: number): Promise<void>;
  /** Pull mode: keeps the deadline from lapsing while the work runs; returns the stop. */
  keepAlive(): () => void;
}

export async function subscribePubsub(options: PubsubSubscriberOptions): Promise<Subscription> {
  const { subscription: name } = options;
  let active = 0;
  let running = 0;
  let settling = 0;
  const { signal, changed } = createChangeSignal();
  const chains = createKeyedChains();
  const report = (error: unknown, action: string) => options.onError?.(toPubsubError(error, `${action} on subscription "${name}"`));

  async function take(message: Received): Promise<void> {
    if (options.autoAck) await message.ack().catch((error: unknown) => report(error, "ack"));
    while (running >= options.concurrency) await changed();
    running += 1;
    const headers = Object.fromEntries(Object.entries(message.attributes).filter(([key]) => key !== libraryTraceAttribute));
    const span = startProcessSpan(name, message.attributes, message.librarySpan, options.linkSpans);
    const stopKeepAlive = options.autoAck ? () => {} : message.keepAlive();
    let keep = false;
    const delivery: PubsubDelivery = {
      body: message.data, headers, rawHeaders: headers, source: name,
      deliveryAttempt: message.deliveryAttempt,
      redelivered: message.deliveryAttempt > 1,
      ...(message.orderingKey ? { key: message.orderingKey } : {}),
      context: trace.setSpan(ROOT_CONTEXT, span),
      async redeliverAfter(seconds) {
        keep = true;
        stopKeepAlive();
        return message.release(seconds).then(() => true, (error: unknown) => { report(error, "delay a message"); return false; });
      },
    };
    let settlement: Settlement | undefined;
    try {
      settlement = await context.with(delivery.context, () => options.handler(delivery));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    } finally {
      span.end();
      running -= 1;
      signal();
    }
    stopKeepAlive();
    settling += 1;
    active -= 1;
    try {
      if (options.autoAck || keep) return;
      // A nack (or a throw) hands the message back at once: Pub/Sub delivers it again (a dead-letter policy counts it).
      if (!settlement || settlement.kind !== "ack") return await message.release(0).catch((error: unknown) => report(error, "nack"));
      await settlement.after;
      await message.ack().catch((error: unknown) => report(error, "ack"));
    } finally {
      settling -= 1;
      signal();
    }
  }
  const dispatch = (message: Received) => {
    active += 1;
    void (message.orderingKey ? chains(message.orderingKey, () => take(message)) : take(message));
  };

  const stopReceiving = options.mode === "streaming" ? streaming(options, dispatch) : await pulling(options, dispatch, () => active, changed);
  options.onState?.("connected");
  return {
    inFlight: () => active + settling,
    async stop(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const closing = stopReceiving.pause();
      await settleInFlight(() => active + settling, { changed }, timeoutMs);
      await within(closing, Math.max(0, deadline - Date.now()));
      await within(stopReceiving.close(), Math.max(0, deadline - Date.now()));
    },
  };
}

interface Receiving {
  /** Stops taking new messages. */
  pause(): Promise<void>;
  /** Lets go of the connection once the messages in work are settled. */
  close(): Promise<void>;
}

function streaming(options: PubsubSubscriberOptions, dispatch: (message: Received) => void): Receiving {
  // The library may hold a few more than are worked on (a prefetch); `take` keeps the work to `concurrency`.
  const subscription = options.pubsub.subscription(options.subscription, { flowControl: { maxMessages: Math.max(10, options.concurrency * 2) }, batching: { maxMilliseconds: 10 } });
  let failing = false;
  subscription.on("message", (message: Message) => {
    if (failing) { failing = false; options.onState?.("connected"); }
    dispatch({
      data: message.data,
      attributes: { ...message.attributes },
      orderingKey: message.orderingKey || undefined,
      deliveryAttempt: message.deliveryAttempt ?? 0,
      librarySpan: message.parentSpan,
      ack: () => Promise.resolve(message.ack()),
      // The library extends the deadline until the message is settled; a delayed release is a nack later.
      release: (seconds) => new Promise<void>((resolve) => { setTimeout(() => { message.nack(); resolve(); }, seconds * 1000); }),
      keepAlive: () => () => {},
    });
  });
  subscription.on("error", (error: unknown) => {
    const failure = toPubsubError(error, `stream from subscription "${options.subscription}"`);
    if (!failing) { failing = true; options.onState?.("reconnecting", failure.message); }
    options.onError?.(failure);
  });
  return {
    pause: async () => { subscription.removeAllListeners("message"); },
    close: () => subscription.close(),
  };
}

async function pulling(options: PubsubSubscriberOptions, dispatch: (message: Received) => void, active: () => number, changed: () => Promise<void>): Promise<Receiving> {
  const client = await createPullClient(options.pubsub);
  const subscription = subscriptionPath(options.target, options.subscription);
  const stopping = new AbortController();
  const modify = (ackId: string, seconds: number) => client.modifyAckDeadline({ subscription, ackIds: [ackId], ackDeadlineSeconds: Math.max(0, Math.min(600, Math.round(seconds))) }).then(() => undefined);
  let failing = false;

  async function loop(): Promise<void> {
    for (let failures = 0; !stopping.signal.aborted;) {
      while (active() >= options.concurrency && !stopping.signal.aborted) await changed();
      if (stopping.signal.aborted) return;
      try {
        const [answer] = await client.pull({ subscription, maxMessages: options.concurrency - active(), returnImmediately: true }, { timeout: 10_000 });
        failures = 0;
        if (failing) { failing = false; options.onState?.("connected"); }
        const received = answer.receivedMessages ?? [];
        for (const { ackId, message, deliveryAttempt } of received) {
          if (!ackId || !message) continue;
          dispatch({
            data: Buffer.from(message.data ?? ""),
            attributes: { ...(message.attributes ?? {}) },
            orderingKey: message.orderingKey || undefined,
            deliveryAttempt: deliveryAttempt ?? 0,
            ack: () => client.acknowledge({ subscription, ackIds: [ackId] }).then(() => undefined),
            release: (seconds) => modify(ackId, seconds),
            keepAlive: () => {
              if (!options.extendDeadline) return () => {};
              // Extend at half the deadline, so one late call does not let it lapse.
              const timer = setInterval(() => void modify(ackId, options.ackDeadlineSeconds).catch(() => undefined), (options.ackDeadlineSeconds * 1000) / 2);
              return () => clearInterval(timer);
            },
          });
        }
        if (received.length === 0) await delay(200, stopping.signal);
      } catch (error) {
        if (stopping.signal.aborted) return;
        const failure = toPubsubError(error, `pull from subscription "${options.subscription}"`);
        if (!failing) { failing = true; options.onState?.("reconnecting", failure.message); }
        options.onError?.(failure);
        await delay(backoffDelay(++failures, { initialMs: 200, maxMs: 5_000 }), stopping.signal);
      }
    }
  }
  const running = loop();
  return {
    pause: () => { stopping.abort(); return running; },
    close: () => client.close(),
  };
}

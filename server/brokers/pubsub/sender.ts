// Publishing to Pub/Sub topics: Brokerlab's headers travel as message attributes, an ordering key
// when the producer gives one. The confirm is the message id the service returns. A publish that
// failed pauses its ordering key in the library; it is resumed so later messages of the key go on.
import type { PubSub, Topic } from "@google-cloud/pubsub";
import { SpanStatusCode, context } from "@opentelemetry/api";
import { headerNames } from "../../../lib/run/ipc";
import { createWindowedPublisher } from "../in-flight";
import { traceIdOf } from "../messaging";
import type { HeaderValue, Publisher, SendOutcome, StateListener } from "../messaging";
import type { BrokerError } from "../types";
import { toPubsubError } from "./clients";
import { startSendSpan } from "./spans";

export interface PubsubDestination {
  pubsubTopic: string;
  orderingKey?: string;
}

export interface PubsubOutgoing {
  destination: PubsubDestination;
  body: Buffer;
  headers: Record<string, HeaderValue>;
}

export interface PubsubSenderOptions {
  pubsub: PubSub;
  window: number;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

/** Headers as Pub/Sub attributes (strings only). */
export const toAttributes = (headers: Record<string, HeaderValue>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

export function createPubsubSender(options: PubsubSenderOptions): Publisher<PubsubOutgoing> {
  const topics = new Map<string, Topic>();
  // Ordering keys need the publisher's message ordering on; a topic object serves both kinds of message.
  const topicOf = (name: string) => {
    let topic = topics.get(name);
    if (!topic) {
      topic = options.pubsub.topic(name, { messageOrdering: true, batching: { maxMilliseconds: 5 } });
      topics.set(name, topic);
    }
    return topic;
  };
  let failing = false;

  async function publish(message: PubsubOutgoing): Promise<SendOutcome> {
    const { pubsubTopic, orderingKey } = message.destination;
    const id = message.headers[headerNames.id];
    const { span, context: spanContext, carrier } = startSendSpan(pubsubTopic, id === undefined ? undefined : String(id));
    // The caller reads the injected traceparent from the message it passed (as amqplib's instrumentation does).
    Object.assign(message.headers, carrier);
    const traceId = traceIdOf(carrier);
    const topic = topicOf(pubsubTopic);
    try {
      const messageId = await context.with(spanContext, () => topic.publishMessage({ data: message.body, attributes: toAttributes(message.headers), ...(orderingKey ? { orderingKey } : {}) }));
      span.setAttribute("gcp.pubsub.message_id", messageId);
      if (failing) { failing = false; options.onState?.("connected"); }
      return { ok: true, traceId };
    } catch (error) {
      if (orderingKey) topic.resumePublishing(orderingKey);
      const failure = toPubsubError(error, `publish to topic "${pubsubTopic}"`);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      if (failure.retriable && !failing) { failing = true; options.onState?.("reconnecting", failure.message); }
      options.onError?.(failure);
      return { ok: false, traceId, error: failure };
    } finally {
      span.end();
    }
  }

  return createWindowedPublisher({
    window: options.window,
    send: publish,
    onClose: async () => { await Promise.all([...topics.values()].map((topic) => topic.flush().catch(() => undefined))); },
  });
}

// The plain-language header's words for Redis and Google Cloud Pub/Sub parts (describe.ts asks here
// first): where a message goes, where a consumer reads, and what an ack and a failure mean there.
import { quotedName } from "./escape";
import type { ConsumerPlan } from "./plan";
import type { PubsubRoute, RedisRoute } from "./redis-pubsub-plan";
import { streamDecl, subscriptionDecl } from "./redis-pubsub-plan";

export function redisPubsubRouteText(route: RedisRoute | PubsubRoute): string {
  if (route.kind === "pubsub") return `the topic ${quotedName(route.topic)}`;
  return "stream" in route ? `the stream ${quotedName(route.stream)}` : `the channel ${quotedName(route.channel)}`;
}

export function redisPubsubProducerSettings(route: RedisRoute | PubsubRoute): string[] {
  if (route.kind === "pubsub") {
    return [route.orderingKey ? "an ordering key (ordered per key for subscriptions with message ordering)" : "no ordering key", `${route.attributes.length} fixed attribute(s) beside the headers`];
  }
  if ("channel" in route) return ["PUBLISH: fire and forget (a subscriber that is not listening now never gets the message)"];
  return [route.maxLen !== undefined ? `XADD with MAXLEN ~ ${route.maxLen} (the oldest entries are trimmed, read or not)` : "XADD without trimming"];
}

/** "the stream "orders" in the group "fulfilment"", or undefined for a source of another kind. */
export function redisPubsubFrom(from: object): string | undefined {
  if ("stream" in from && "group" in from) return `the stream ${quotedName(String(from.stream))} in the consumer group ${quotedName(String(from.group))}`;
  if ("channelPattern" in from) return `the channels matching ${quotedName(String(from.channelPattern))}`;
  if ("channel" in from) return `the channel ${quotedName(String(from.channel))}`;
  if ("subscription" in from) return `the subscription ${quotedName(String(from.subscription))}`;
  return undefined;
}

/** What a failed message becomes at last, and the ack settings; undefined for the other kinds. */
export function redisPubsubConsumerTerms(plan: ConsumerPlan): { finally: string; settings: string[] } | undefined {
  const { consumer, endpoint } = plan;
  const manual = consumer.ack === "manual";
  if (endpoint.kind === "redis") {
    if (!("stream" in consumer.from)) return { finally: "lost (a channel keeps nothing to deliver again)", settings: ["no acknowledgements (Pub/Sub channels have none)"] };
    const stream = streamDecl(endpoint, String(consumer.from.stream));
    const deadLetter = stream.deadLetter ? `, moved to ${quotedName(stream.deadLetter.stream)} after ${stream.deadLetter.maxDeliveries} deliveries` : "";
    return {
      finally: plan.onError.then === "drop" ? "acknowledged without processing (dropped)" : `left pending and claimed again (XAUTOCLAIM) after ${stream.claimIdle} ms idle${deadLetter}`,
      settings: [manual ? "XACK after processing (manual)" : "NOACK reads: acknowledged on delivery (auto)"],
    };
  }
  if (endpoint.kind !== "pubsub" || !("subscription" in consumer.from)) return undefined;
  const subscription = subscriptionDecl(endpoint, consumer.from.subscription);
  const deadLetter = subscription?.deadLetter ? `, dead-lettered to ${quotedName(subscription.deadLetter.topic)} by Pub/Sub after ${subscription.deadLetter.maxDeliveryAttempts} attempts` : "";
  const mode = consumer.from.mode === "pull" ? "pull (one Pull call at a time)" : "streaming pull (the library extends ack deadlines)";
  return {
    finally: plan.onError.then === "drop" ? "acked without processing (dropped)" : `nacked: Pub/Sub delivers it again${deadLetter}`,
    settings: [mode, manual ? "ack after processing (manual)" : "ack on receipt (auto)"],
  };
}

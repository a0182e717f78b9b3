// What scenario code asks of a Pub/Sub broker's resources: whether a producer's topic reaches a
// consumer's subscription, and the renames of a lesson run.
import type { z } from "zod";
import type { pubsubResourcesSchema } from "./pubsub";
import type { BrokerIsolation } from "./types";

type PubsubResources = z.output<typeof pubsubResourcesSchema>;

export function pubsubRoutesTo(resources: PubsubResources | undefined, to: object, from: object): boolean {
  const topic = (to as { pubsubTopic?: unknown }).pubsubTopic;
  const subscription = (from as { subscription?: unknown }).subscription;
  return typeof topic === "string" && (resources?.subscriptions ?? []).some((s) => s.name === subscription && s.topic === topic);
}

export const pubsubIsolation: BrokerIsolation<PubsubResources> = {
  // A subscription is renamed in the queue table: consumers read it as they read a queue.
  names: (resources, suffix) => [
    ...resources.topics.map((t): ["topic", string, string] => ["topic", t.name, `${t.name}-${suffix}`]),
    ...resources.subscriptions.map((s): ["queue", string, string] => ["queue", s.name, `${s.name}-${suffix}`]),
  ],
  rename: (resources, actual) => ({
    topics: resources.topics.map((t) => ({ ...t, name: actual("topic", t.name) })),
    subscriptions: resources.subscriptions.map((s) => ({
      ...s,
      name: actual("queue", s.name),
      topic: actual("topic", s.topic),
      ...(s.deadLetter ? { deadLetter: { ...s.deadLetter, topic: actual("topic", s.deadLetter.topic) } } : {}),
    })),
  }),
  renameRef: (ref, actual) => ({
    ...(typeof ref.pubsubTopic === "string" ? { pubsubTopic: actual("topic", ref.pubsubTopic) } : {}),
    ...(typeof ref.subscription === "string" ? { subscription: actual("queue", ref.subscription) } : {}),
  }),
};

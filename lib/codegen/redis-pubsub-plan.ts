// What a Redis or Google Cloud Pub/Sub producer or consumer relies on, resolved from the scenario:
// where the server is, the streams, topics and subscriptions it declares, and where a message goes.
// Messages travel as Brokerlab's own drivers send them (server/brokers/redis/wire.ts, and Pub/Sub
// attributes), so a generated program and a Brokerlab run read each other's messages and traces.
import type { z } from "zod";
import type { pubsubSubscriptionSchema, pubsubTargetSchema, pubsubTopicSchema, pubsubSourceSchema } from "../brokers/pubsub";
import type { channelPatternSourceSchema, channelSourceSchema, channelTargetSchema, streamSchema, streamSourceSchema, streamTargetSchema } from "../brokers/redis";
import type { Scenario } from "../scenario/schema";
import type { Expr } from "./expression";
import type { ConsumerPlan } from "./plan";

export const defaultRedisUrl = "redis://127.0.0.1:6379";
export const defaultEmulatorHost = "127.0.0.1:8085";
export const defaultPubsubProject = "brokerlab";
/** The fields of a stream entry and the keys of a channel message's JSON envelope. */
export const redisWire = { body: "body", headers: "headers" } as const;

export type RedisStreamDecl = z.output<typeof streamSchema>;
export type PubsubTopicDecl = z.output<typeof pubsubTopicSchema>;
export type PubsubSubscriptionDecl = z.output<typeof pubsubSubscriptionSchema>;

export interface RedisEndpoint {
  kind: "redis";
  broker: string;
  url: string;
  /** The streams the program writes or reads, and a read stream's dead-letter stream. */
  streams: RedisStreamDecl[];
}

export interface PubsubEndpoint {
  kind: "pubsub";
  broker: string;
  emulatorHost: string;
  project: string;
  /** Dead-letter topics first, so a subscription can name them when it is created. */
  topics: PubsubTopicDecl[];
  subscriptions: PubsubSubscriptionDecl[];
}

export type RedisRoute = { kind: "redis"; stream: string; maxLen?: number } | { kind: "redis"; channel: string };
export type PubsubRoute = { kind: "pubsub"; topic: string; orderingKey?: Expr; attributes: [string, Expr][] };

type RedisTarget = z.output<typeof streamTargetSchema> | z.output<typeof channelTargetSchema>;
type PubsubTarget = z.output<typeof pubsubTargetSchema>;
export type RedisSource = z.output<typeof streamSourceSchema> | z.output<typeof channelSourceSchema> | z.output<typeof channelPatternSourceSchema>;
export type PubsubSource = z.output<typeof pubsubSourceSchema>;

export const brokerKind = (scenario: Scenario, broker: string): string | undefined => scenario.brokers[broker]?.kind;

export function redisEndpoint(scenario: Scenario, broker: string, streams: string[]): RedisEndpoint {
  const definition = scenario.brokers[broker];
  const resources = scenario.resources[broker];
  const declared = resources?.kind === "redis" ? resources.streams : [];
  const read = declared.filter((s) => streams.includes(s.name));
  const deadLetters = read.flatMap((s) => (s.deadLetter ? declared.filter((d) => d.name === s.deadLetter?.stream) : []));
  return {
    kind: "redis",
    broker,
    url: definition?.kind === "redis" && definition.url ? definition.url : defaultRedisUrl,
    streams: [...new Set([...deadLetters, ...read])],
  };
}

export function pubsubEndpoint(scenario: Scenario, broker: string, uses: { topics?: string[]; subscriptions?: string[] }): PubsubEndpoint {
  const definition = scenario.brokers[broker];
  const resources = scenario.resources[broker];
  const declared = resources?.kind === "pubsub" ? resources : { topics: [], subscriptions: [] };
  const subscriptions = declared.subscriptions.filter((s) => (uses.subscriptions ?? []).includes(s.name));
  const deadLetterTopics = subscriptions.flatMap((s) => (s.deadLetter ? [s.deadLetter.topic] : []));
  const topicNames = [...deadLetterTopics, ...(uses.topics ?? []), ...subscriptions.map((s) => s.topic)];
  const topics = [...new Set(topicNames)].flatMap((name) => declared.topics.filter((t) => t.name === name));
  return {
    kind: "pubsub",
    broker,
    emulatorHost: definition?.kind === "pubsub" && definition.emulatorHost ? definition.emulatorHost : defaultEmulatorHost,
    project: definition?.kind === "pubsub" && definition.project ? definition.project : defaultPubsubProject,
    topics,
    subscriptions,
  };
}

/** Where a Redis or Pub/Sub producer sends, with the endpoint; undefined for the other kinds. */
export function redisPubsubOutbound(scenario: Scenario, broker: string, to: object, template: (text: string) => Expr): { endpoint: RedisEndpoint | PubsubEndpoint; route: RedisRoute | PubsubRoute } | undefined {
  const kind = brokerKind(scenario, broker);
  if (kind === "redis") {
    const target = to as RedisTarget;
    if ("channel" in target) return { endpoint: redisEndpoint(scenario, broker, []), route: { kind: "redis", channel: target.channel } };
    const endpoint = redisEndpoint(scenario, broker, [target.stream]);
    const maxLen = endpoint.streams.find((s) => s.name === target.stream)?.maxLen;
    return { endpoint, route: { kind: "redis", stream: target.stream, ...(maxLen !== undefined ? { maxLen } : {}) } };
  }
  if (kind !== "pubsub") return undefined;
  const target = to as PubsubTarget;
  const attributes = Object.entries(target.attributes ?? {}).map(([name, value]): [string, Expr] => [name, typeof value === "string" ? template(value) : { kind: "value", value: String(value) }]);
  return {
    endpoint: pubsubEndpoint(scenario, broker, { topics: [target.pubsubTopic] }),
    route: { kind: "pubsub", topic: target.pubsubTopic, attributes, ...(target.orderingKey !== undefined ? { orderingKey: template(target.orderingKey) } : {}) },
  };
}

/** A Redis or Pub/Sub consumer's endpoint; undefined for the other kinds. */
export function redisPubsubConsumerEndpoint(scenario: Scenario, broker: string, from: object): RedisEndpoint | PubsubEndpoint | undefined {
  const kind = brokerKind(scenario, broker);
  if (kind === "redis") return redisEndpoint(scenario, broker, "stream" in from ? [(from as { stream: string }).stream] : []);
  if (kind === "pubsub") return pubsubEndpoint(scenario, broker, { subscriptions: [(from as PubsubSource).subscription] });
  return undefined;
}

/** A read stream's declaration (claim idle time, dead-letter stream), or the defaults of an undeclared one. */
export const streamDecl = (endpoint: RedisEndpoint, stream: string): Pick<RedisStreamDecl, "claimIdle" | "deadLetter"> =>
  endpoint.streams.find((s) => s.name === stream) ?? { claimIdle: 5_000 };

/** The consumed subscription's declaration, when the scenario declares it. */
export const subscriptionDecl = (endpoint: PubsubEndpoint, name: string): PubsubSubscriptionDecl | undefined => endpoint.subscriptions.find((s) => s.name === name);

/** What both languages' Pub/Sub subscribers derive from a plan: the source, its declaration, and how it pulls and acks. */
export function pubsubConsumerParts(plan: ConsumerPlan) {
  const { consumer } = plan;
  if (!("subscription" in consumer.from)) return undefined;
  const from = consumer.from;
  const endpoint = plan.endpoint as PubsubEndpoint;
  const manual = consumer.ack === "manual";
  const pull = from.mode === "pull";
  return { from, endpoint, declared: subscriptionDecl(endpoint, from.subscription), manual, pull, extend: pull && manual && from.extendDeadline !== false };
}

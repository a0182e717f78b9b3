// How Brokerlab's brokers and endpoints map onto AsyncAPI servers and channels: one server per
// broker (two for Amazon: SQS and SNS), one channel per queue, exchange, topic, stream,
// subscription or Redis channel, with the protocol's bindings where AsyncAPI defines them.
import type { Broker } from "../scenario/schema";

/** The key of a `to`/`from` form and the `resources.<broker>` collection declaring it, per broker kind. */
export const endpointForms: Record<Broker["kind"], Record<string, string | undefined>> = {
  rabbitmq: { queue: "queues", exchange: "exchanges" },
  kafka: { topic: "topics" },
  aws: { queue: "queues", snsTopic: "topics", bus: "buses" },
  pubsub: { pubsubTopic: "topics", subscription: "subscriptions" },
  redis: { stream: "streams", channel: "channels", channelPattern: undefined },
};

/** The `to`/`from` form key of a collection (`topics` of pubsub → `pubsubTopic`). */
export function formOfCollection(kind: Broker["kind"], collection: string): string | undefined {
  return Object.entries(endpointForms[kind]).find(([, key]) => key === collection)?.[0];
}

/** A `to` or `from` object's endpoint: its form key and the name it addresses. */
export function endpointOf(kind: Broker["kind"], value: object): { form: string; name: string } | undefined {
  const form = Object.keys(endpointForms[kind]).find((key) => Object.hasOwn(value, key));
  const name = form ? (value as Record<string, unknown>)[form] : undefined;
  return form && typeof name === "string" ? { form, name } : undefined;
}

/** AsyncAPI ids allow letters, digits, `.`, `-` and `_` only. */
export const asyncapiId = (...parts: string[]) => parts.join(".").replace(/[^\w.-]/g, "_");

export const channelId = (broker: string, form: string, name: string) => asyncapiId(broker, form, name === "" ? "default" : name);

/** The server a channel of this broker and form lives on: SNS topics get their own (protocol sns). */
export const serverId = (broker: string, kind: Broker["kind"], form: string) => (kind === "aws" && form === "snsTopic" ? `${broker}-sns` : broker);

const hostOfUrl = (url: string | undefined, fallback: string) => {
  try {
    return url ? new URL(url).host || fallback : fallback;
  } catch {
    return fallback;
  }
};

/** The AsyncAPI servers of one broker entry (credentials never leave: only host and protocol). */
export function serversOf(name: string, broker: Broker): [string, Record<string, unknown>][] {
  const own = { "x-brokerlab-broker": name, "x-brokerlab-kind": broker.kind };
  switch (broker.kind) {
    case "rabbitmq":
      return [[name, { host: hostOfUrl(broker.url, "localhost:5672"), protocol: broker.url?.startsWith("amqps") ? "amqps" : "amqp", ...own }]];
    case "kafka":
      return [[name, { host: broker.brokers?.[0] ?? "localhost:9092", protocol: "kafka", ...own }]];
    case "aws": {
      const host = hostOfUrl(broker.endpoint, "localhost:4566");
      return [[name, { host, protocol: "sqs", ...own }], [`${name}-sns`, { host, protocol: "sns", ...own }]];
    }
    case "pubsub":
      return [[name, { host: broker.emulatorHost ?? "localhost:8085", protocol: "googlepubsub", ...own }]];
    case "redis":
      return [[name, { host: hostOfUrl(broker.url, "localhost:6379"), protocol: "redis", ...own }]];
  }
}

type Entry = Record<string, unknown>;
const defined = (value: Entry) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

/**
 * Channel bindings for the protocols AsyncAPI has them for. None for EventBridge and Redis (no
 * binding fields), SQS queues (the sqs binding describes queues it would create, with policies),
 * nor Pub/Sub topics (the googlepubsub binding requires schemaSettings, a schema registry Brokerlab has not).
 */
export function channelBindings(kind: Broker["kind"], form: string, name: string, entry: Entry | undefined): Entry | undefined {
  if (kind === "rabbitmq" && form === "queue") {
    return { amqp: { is: "queue", queue: defined({ name, durable: entry?.durable ?? true, autoDelete: entry?.autoDelete ?? false, exclusive: false, vhost: "/" }), bindingVersion: "0.3.0" } };
  }
  if (kind === "rabbitmq" && form === "exchange") {
    const type = name === "" ? "default" : (entry?.type ?? "direct");
    return { amqp: { is: "routingKey", exchange: defined({ name, type, durable: entry?.durable ?? true, autoDelete: entry?.autoDelete ?? false, vhost: "/" }), bindingVersion: "0.3.0" } };
  }
  if (kind === "kafka" && form === "topic") {
    return { kafka: defined({ topic: name, partitions: entry?.partitions, replicas: entry?.replicationFactor, bindingVersion: "0.5.0" }) };
  }
  if (kind === "aws" && form === "snsTopic") return { sns: { name, bindingVersion: "0.1.0" } };
  return undefined;
}

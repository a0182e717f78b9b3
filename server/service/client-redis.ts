// The service-side client of a Redis broker: a sender (XADD or PUBLISH), a scenario consumer of a
// stream in a consumer group or of a Pub/Sub channel or pattern, and producer targets. Failures on
// a stream map onto Redis itself: a requeue leaves the entry pending until it is claimed again after
// its idle time, a retry adds a copy with the next attempt after the delay, a dead letter adds it to
// the stream's dead-letter stream. On Pub/Sub nothing can be requeued or dead-lettered: Redis has
// already forgotten the message, as with an auto-ack consumer.
import { headerNames } from "../../lib/run/ipc";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { Target } from "../../lib/scenario/schema";
import type { Subscription } from "../brokers/messaging";
import { subscribeRedisChannel } from "../brokers/redis/channel-subscriber";
import { connectRedis, createRedisConnection, type RedisConnection } from "../brokers/redis/connection";
import { createRedisSender, destinationName, type RedisDestination } from "../brokers/redis/sender";
import { subscribeRedisStream, type StreamDelivery } from "../brokers/redis/stream-subscriber";
import { streamFields } from "../brokers/redis/wire";
import { delay } from "../brokers/backoff";
import type { ClientDriver, ConsumerStart, SenderContext } from "./client-drivers";
import type { Sender } from "./clients";
import { createMessageHandler, type FailureRoute } from "./consumer";
import { createForwarder } from "./forward";
import { readHeaders } from "./headers";

declare module "./clients" {
  interface Destinations { redis: RedisDestination }
}

type RedisStream = { name: string; maxLen?: number; claimIdle: number; deadLetter?: { stream: string; maxDeliveries: number } };

function urlOf(spec: ResolvedBroker): string {
  if (spec.kind !== "redis") throw new Error(`broker kind "${spec.kind}" is not Redis`);
  return spec.url;
}

const streamsOf = (resources: unknown): RedisStream[] => (resources as { streams?: RedisStream[] } | undefined)?.streams ?? [];

const open = (url: string, name: string, report: ConsumerStart["clients"]["report"], broker: string, component: string, onError: ConsumerStart["clients"]["onError"]) =>
  connectRedis(createRedisConnection({ url, name, onError, onState: (status, detail) => report(broker, component, status, detail) }), url);

async function sender(context: SenderContext): Promise<Sender> {
  const url = urlOf(context.spec);
  const client = await connectRedis(createRedisConnection({ url, name: "brokerlab-sender", onError: context.onError, onState: context.report }), url);
  const streams = streamsOf(context.resources);
  const publisher = createRedisSender({ client, url, window: context.options.window, maxLenOf: (name) => streams.find((s) => s.name === name)?.maxLen, onState: context.report, onError: context.onError });
  return {
    writable: () => publisher.writable(),
    send(message) {
      const destination = message.destination;
      if (!("stream" in destination || "channel" in destination)) throw new Error("a Redis sender needs a stream or a channel");
      return publisher.publish({ destination, body: message.body, headers: message.headers });
    },
    inFlight: () => publisher.inFlight(),
    settle: (timeoutMs) => publisher.settle(timeoutMs),
    async close() {
      await publisher.close();
      await client.quit().catch(() => client.destroy());
    },
  };
}

function compileTarget(to: Target): { render(): RedisDestination } {
  if ("stream" in to) return { render: () => ({ stream: to.stream }) };
  if ("channel" in to) return { render: () => ({ channel: to.channel }) };
  throw new Error(`${JSON.stringify(to)} is not a Redis target ({ stream } or { channel })`);
}

async function consumeChannel(start: ConsumerStart, url: string): Promise<Subscription> {
  const { consumer, clients, launch } = start;
  const component = `consumer:${consumer.name}`;
  const subscriber = await open(url, `brokerlab-${consumer.name}`, clients.report, consumer.broker, component, clients.onError);
  // Redis forgot each message when it published it: a failure can only be dropped.
  const route: FailureRoute = { autoAck: true, requeuesInPlace: false, retry: () => Promise.resolve(false), deadLetter: () => Promise.resolve(undefined) };
  const handle = createMessageHandler({ ...start, route, forward: createForwarder(start) });
  const subscription = await subscribeRedisChannel({
    subscriber, url, from: consumer.from as { channel: string } | { channelPattern: string }, concurrency: consumer.concurrency,
    linkSpans: launch.propagation === "link" && launch.tracing.enabled, handler: handle,
    onState: (status, detail) => clients.report(consumer.broker, component, status, detail), onError: clients.onError,
  });
  return { inFlight: () => subscription.inFlight(), stop: (timeoutMs) => subscription.stop(timeoutMs).finally(() => subscriber.quit().catch(() => subscriber.destroy())) };
}

async function consumeStream(start: ConsumerStart, url: string): Promise<Subscription> {
  const { consumer, clients, launch, metrics } = start;
  const from = consumer.from as { stream: string; group: string };
  const declared = streamsOf(launch.resources[consumer.broker]).find((s) => s.name === from.stream);
  const component = `consumer:${consumer.name}`;
  const name = `${launch.service.name}-${launch.replica}-${consumer.name}`;
  const connections: RedisConnection[] = [];
  const connect = async (role: string) => {
    const c = await open(url, `brokerlab-${name}-${role}`, clients.report, consumer.broker, component, clients.onError);
    connections.push(c);
    return c;
  };
  const client = await connect("ack");
  const reader = await connect("read");
  const copy = (delivery: StreamDelivery, stream: string, headers: Record<string, string>) => client.xAdd(stream, "*", streamFields(delivery.body, headers)).then(() => true, () => false);
  const route: FailureRoute = {
    autoAck: consumer.ack === "auto",
    requeuesInPlace: false,
    retry: async (delivery, _id, attempt, delayMs) => {
      await delay(delayMs);
      return copy(delivery as StreamDelivery, from.stream, { ...delivery.headers, [headerNames.attempt]: String(attempt) });
    },
    deadLetter: async (delivery) => (declared?.deadLetter && (await copy(delivery as StreamDelivery, declared.deadLetter.stream, delivery.headers)) ? { kind: "ack" } : undefined),
  };
  const handle = createMessageHandler({ ...start, route, forward: createForwarder(start) });
  const counters = metrics.consumer(consumer.name);
  const subscription = subscribeRedisStream({
    reader, client, url, stream: from.stream, group: from.group, consumer: name, concurrency: consumer.concurrency,
    claimIdleMs: declared?.claimIdle ?? 5_000, ...(declared?.deadLetter ? { deadLetter: declared.deadLetter } : {}),
    autoAck: consumer.ack === "auto", linkSpans: launch.propagation === "link" && launch.tracing.enabled,
    // Redis counts deliveries: an entry claimed again is a later attempt, whatever its header says.
    handler: (delivery) => {
      const attempt = Math.max(readHeaders(delivery.headers).attempt, delivery.deliveries);
      return handle(attempt > 1 ? { ...delivery, headers: { ...delivery.headers, [headerNames.attempt]: String(attempt) } } : delivery);
    },
    onDeadLettered: (delivery) => {
      const id = readHeaders(delivery.headers).id ?? delivery.entryId;
      counters.deadLettered += 1;
      metrics.consumed(consumer.name, id);
      metrics.event("dead-lettered", id, consumer.name, { destination: from.stream, attempt: delivery.deliveries, redelivered: true, detail: `delivered ${delivery.deliveries} times (more than ${declared?.deadLetter?.maxDeliveries}): moved to ${declared?.deadLetter?.stream}` });
    },
    onState: (status, detail) => clients.report(consumer.broker, component, status, detail),
    onError: clients.onError,
  });
  return {
    inFlight: () => subscription.inFlight(),
    async stop(timeoutMs) {
      await subscription.stop(timeoutMs);
      await Promise.all(connections.map((c) => c.quit().catch(() => c.destroy())));
    },
  };
}

function consume(start: ConsumerStart): Promise<Subscription> {
  const url = urlOf(start.clients.resolved(start.consumer.broker));
  return "stream" in start.consumer.from ? consumeStream(start, url) : consumeChannel(start, url);
}

export const redisClientDriver: ClientDriver<RedisDestination> = {
  sender,
  consume,
  compileTarget,
  targetHeaders: () => ({}),
  // An XADD or PUBLISH is confirmed by Redis's reply; without one it may not have arrived, so it is sent again.
  resendsUntilAnswered: () => true,
  describe: (destination) => ({ destination: destinationName(destination) }),
};

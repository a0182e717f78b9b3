// Redis as a scenario sees it: Pub/Sub channels (fire-and-forget fan-out: a subscriber that is not
// listening misses the message) and Streams (an append-only log read by consumer groups, whose
// pending entries are claimed again after an idle time). References are checked in redis-check.ts.
// See docs/redis.md.
import { z } from "zod";
import { durationBetween } from "../scenario/duration";
import { checkRedisScenario } from "./redis-check";
import { redisIsolation, redisRoutesTo } from "./redis-hooks";
import type { BrokerDescriptor } from "./types";

/** Stream keys, channels and groups are binary-safe in Redis; Brokerlab keeps them printable and short. */
const redisName = (what: string) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(200, `must be at most 200 characters (Brokerlab's limit for a Redis ${what})`)
    .regex(/^[A-Za-z0-9._:-]+$/, `may only contain letters, digits, '.', '_', ':' and '-' (a Redis ${what} name)`);

export const streamNameSchema = redisName("stream");
export const channelNameSchema = redisName("channel");
export const redisGroupNameSchema = redisName("consumer group");
/** A PSUBSCRIBE pattern: `*`, `?` and `[...]` glob characters allowed beside the name characters. */
export const channelPatternSchema = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9._:*?[\]^-]+$/, "may only contain letters, digits, '.', '_', ':', '-' and the glob characters * ? [ ] (a Redis channel pattern such as orders.*)");

export const redisBrokerSchema = z.strictObject({
  kind: z.literal("redis"),
  /** redis:// URL of the server; REDIS_URL when absent. */
  url: z.string().regex(/^rediss?:\/\/[^\s/]+/, "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379").optional(),
});

export const streamSchema = z.strictObject({
  name: streamNameSchema,
  /** XADD … MAXLEN ~ n: Redis trims the oldest entries beyond about this many (read or not). */
  maxLen: z.number().int().min(1, "must be at least 1").max(100_000_000).optional(),
  /** A pending entry idle this long is claimed (XAUTOCLAIM) by another consumer of its group: the redelivery path. */
  claimIdle: durationBetween(100, 3_600_000).default(5_000),
  /** After this many deliveries of one entry, the consumer moves it to this stream (XADD) and acknowledges it. */
  deadLetter: z.strictObject({ stream: streamNameSchema, maxDeliveries: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000") }).optional(),
  existing: z.boolean().default(false),
});

/** Channels need no declaring in Redis; declaring one draws it in the lab and checks references to it. */
export const channelSchema = z.strictObject({ name: channelNameSchema });

export const redisResourcesSchema = z.strictObject({
  streams: z.array(streamSchema).default([]),
  channels: z.array(channelSchema).default([]),
});

export const streamTargetSchema = z.strictObject({ stream: streamNameSchema });
export const channelTargetSchema = z.strictObject({ channel: channelNameSchema });
export const streamSourceSchema = z.strictObject({ stream: streamNameSchema, group: redisGroupNameSchema });
export const channelSourceSchema = z.strictObject({ channel: channelNameSchema });
export const channelPatternSourceSchema = z.strictObject({ channelPattern: channelPatternSchema });

export const redisDescriptor = {
  kind: "redis",
  label: "Redis",
  defaultName: "redis",
  stackService: "redis",
  stackServiceName: "Redis",
  stackServiceRole: "Redis Pub/Sub channels and Streams with consumer groups, kept in memory only.",
  connection: redisBrokerSchema,
  /** `url`: the link proxy's address when the run puts one in front. */
  resolved: z.object({ kind: z.literal("redis"), url: z.string().min(1) }),
  resources: redisResourcesSchema,
  collections: [
    { key: "streams", noun: "stream", endpoint: true },
    { key: "channels", noun: "channel", endpoint: true },
  ],
  targets: [
    { form: { key: "stream", text: "{ stream: … }" }, schema: streamTargetSchema },
    { form: { key: "channel", text: "{ channel: … }" }, schema: channelTargetSchema },
  ],
  sources: [
    { form: { key: "stream", text: "{ stream: …, group: … }" }, schema: streamSourceSchema },
    { form: { key: "channel", text: "{ channel: … }" }, schema: channelSourceSchema },
    { form: { key: "channelPattern", text: "{ channelPattern: … }" }, schema: channelPatternSourceSchema },
  ],
  names: { stream: streamNameSchema, channel: channelNameSchema, group: redisGroupNameSchema },
  help: {
    summary: "Redis: Pub/Sub channels that fan out to whoever listens now and keep nothing, and Streams, logs read by consumer groups that acknowledge each entry.",
    connection: "{ kind: redis, url?: redis://127.0.0.1:6379 }; REDIS_URL when absent.",
    resources: "streams (MAXLEN trimming, the idle time after which a pending entry is claimed again, a dead-letter stream after N deliveries) and channels.",
  },
  capabilities: {
    // A Streams entry left unacknowledged stays pending and is claimed again after its idle time.
    requeue: true,
    // Redis itself never moves an entry: the consumer does (XADD to the dead-letter stream, then XACK).
    deadLetter: false,
    // Redis counts deliveries of a pending entry but never gives up on one by itself.
    deliveryLimit: false,
    orderingKey: false,
    consumerGroups: true,
    // XINFO GROUPS reports each group's lag (entries not yet delivered) and pending count.
    lag: true,
    // Streams can be read again from any id, but Brokerlab's projections run on Kafka only so far.
    replay: false,
    visibilityTimeout: false,
    fanOut: true,
    linkFaults: true,
    brokerConnectionClose: false,
    queueDepth: false,
    boundedQueues: false,
    routingKeys: false,
    consumerCount: false,
    requestReply: false,
    taskQueues: false,
  },
  check: checkRedisScenario,
  routesTo: redisRoutesTo,
  isolation: redisIsolation,
} as const satisfies BrokerDescriptor;

// Google Cloud Pub/Sub as a scenario sees it: topics, and subscriptions that each get a copy of
// every message published to their topic (consumers of one subscription share its messages), with
// an ack deadline, ordering keys, a filter and a dead-letter topic. Runs on Google's emulator
// locally. References are checked in pubsub-check.ts. See docs/pubsub.md.
import { z } from "zod";
import { durationBetween } from "../scenario/duration";
import { checkPubsubScenario } from "./pubsub-check";
import { pubsubIsolation, pubsubRoutesTo } from "./pubsub-hooks";
import type { BrokerDescriptor } from "./types";

/** Google's rule for topic and subscription ids: 3–255 characters, a letter first, not starting with "goog". */
const pubsubName = (what: string) =>
  z
    .string()
    .min(3, `must be at least 3 characters (the Pub/Sub ${what} id rule)`)
    .max(255, `must be at most 255 characters (the Pub/Sub ${what} id rule)`)
    .regex(/^[A-Za-z][A-Za-z0-9._~+%-]*$/, `must start with a letter and contain only letters, digits, '-', '.', '_', '~', '+' and '%' (the Pub/Sub ${what} id rule)`)
    .refine((name) => !name.toLowerCase().startsWith("goog"), `must not start with "goog" (reserved by Google)`);

export const pubsubTopicNameSchema = pubsubName("topic");
export const pubsubSubscriptionNameSchema = pubsubName("subscription");

export const pubsubBrokerSchema = z.strictObject({
  kind: z.literal("pubsub"),
  /** host:port of the emulator; PUBSUB_EMULATOR_HOST (127.0.0.1:8085) when absent. */
  emulatorHost: z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:8085").optional(),
  /** PUBSUB_PROJECT_ID (brokerlab) when absent. */
  project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be 6–30 lowercase letters, digits or hyphens, starting with a letter (Google's project id rule)").optional(),
});

export const pubsubTopicSchema = z.strictObject({ name: pubsubTopicNameSchema, existing: z.boolean().default(false) });

export const pubsubSubscriptionSchema = z.strictObject({
  name: pubsubSubscriptionNameSchema,
  topic: pubsubTopicNameSchema,
  /** How long a delivered message may go unacknowledged before Pub/Sub delivers it again (10 s to 10 min). */
  ackDeadline: durationBetween(10_000, 600_000).default(10_000),
  /** Messages with the same ordering key are delivered in the order they were published. */
  messageOrdering: z.boolean().default(false),
  /** Only messages whose attributes match are delivered, e.g. attributes.type = "created"; set at creation, 256 bytes at most. */
  filter: z.string().min(1, "must not be empty (leave filter out to deliver every message)").max(256, "must be at most 256 bytes (Pub/Sub's limit)").optional(),
  /** After maxDeliveryAttempts deliveries without an ack, Pub/Sub publishes the message to this topic. */
  deadLetter: z.strictObject({
    topic: pubsubTopicNameSchema,
    maxDeliveryAttempts: z.number().int("must be a whole number").min(5, "must be at least 5 (Pub/Sub's minimum)").max(100, "must be at most 100 (Pub/Sub's maximum)").default(5),
  }).optional(),
  existing: z.boolean().default(false),
});

export const pubsubResourcesSchema = z.strictObject({
  topics: z.array(pubsubTopicSchema).default([]),
  subscriptions: z.array(pubsubSubscriptionSchema).default([]),
});

export const pubsubTargetSchema = z.strictObject({
  pubsubTopic: pubsubTopicNameSchema,
  /** A template ("{{customerId}}") or a literal; the topic's subscriptions with messageOrdering keep its messages in order. */
  orderingKey: z.string().min(1, "must not be empty").max(1024, "must be at most 1024 bytes (Pub/Sub's limit)").optional(),
  /** Fixed message attributes beside the producer's headers (what subscription filters read). */
  attributes: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** `mode`: streaming pull (the client library's streaming subscriber, which extends ack deadlines itself) or pull (one Pull call at a time). */
export const pubsubSourceSchema = z.strictObject({
  subscription: pubsubSubscriptionNameSchema,
  mode: z.enum(["streaming", "pull"], { error: 'must be "streaming" (streaming pull) or "pull"' }).optional(),
  /** Pull mode: extend a message's ack deadline while the work runs (default true); false lets slow work miss the deadline. */
  extendDeadline: z.boolean().optional(),
});

export const pubsubDescriptor = {
  kind: "pubsub",
  label: "Google Cloud Pub/Sub",
  defaultName: "gcp",
  stackService: "pubsub",
  stackServiceName: "Google Cloud Pub/Sub (emulator)",
  stackServiceRole: "Google Cloud Pub/Sub topics and subscriptions, on Google's emulator (kept in memory).",
  connection: pubsubBrokerSchema,
  /** `emulatorHost`: the link proxy's address when the run puts one in front. */
  resolved: z.object({ kind: z.literal("pubsub"), emulatorHost: z.string().min(1), project: z.string().min(1) }),
  resources: pubsubResourcesSchema,
  collections: [
    { key: "topics", noun: "topic", endpoint: true },
    // Consumers read a subscription as they read a queue: the lab draws and adds them as queue nodes.
    { key: "subscriptions", noun: "queue", endpoint: true },
  ],
  targets: [{ form: { key: "pubsubTopic", text: "{ pubsubTopic: … }" }, schema: pubsubTargetSchema }],
  sources: [{ form: { key: "subscription", text: "{ subscription: … }" }, schema: pubsubSourceSchema }],
  names: { topic: pubsubTopicNameSchema, subscription: pubsubSubscriptionNameSchema },
  help: {
    summary: "Google Cloud Pub/Sub: producers publish to topics, every subscription of a topic gets each message, and the consumers of one subscription share its messages and ack each before its deadline.",
    connection: "{ kind: pubsub, emulatorHost?: 127.0.0.1:8085, project?: brokerlab }; PUBSUB_EMULATOR_HOST and PUBSUB_PROJECT_ID when absent.",
    resources: "topics, and subscriptions of a topic (ack deadline, message ordering, a filter on attributes, a dead-letter topic after N delivery attempts).",
  },
  capabilities: {
    // A nack (or a lapsed ack deadline) makes Pub/Sub deliver the message again.
    requeue: true,
    deadLetter: true,
    deliveryLimit: true,
    orderingKey: true,
    // Each subscription is a group of its own: it keeps its own copy and its consumers share it.
    consumerGroups: false,
    lag: false,
    // Seek to a time or snapshot exists on Google's service, not on Brokerlab's projections.
    replay: false,
    // The ack deadline: a delivered message not acked within it is delivered again.
    visibilityTimeout: true,
    fanOut: true,
    linkFaults: true,
    brokerConnectionClose: false,
    // The emulator reports no backlog (Google's service reports it through Cloud Monitoring only).
    queueDepth: false,
    boundedQueues: false,
    routingKeys: false,
    consumerCount: false,
    requestReply: false,
    taskQueues: false,
  },
  check: checkPubsubScenario,
  routesTo: pubsubRoutesTo,
  isolation: pubsubIsolation,
} as const satisfies BrokerDescriptor;

// Amazon SQS, SNS and EventBridge as a scenario sees them: one broker entry for the three services
// on one endpoint, their resources, the names AWS accepts, and what they can do. The references
// between them (subscriptions, redrive, rule targets, FIFO groups) are checked in aws-check.ts.
// See docs/scenario-format.md.
import { z } from "zod";
import { durationBetween, hourMs } from "../scenario/duration";
import { checkAwsScenario } from "./aws-check";
import { awsIsolation, awsRoutesTo } from "./aws-hooks";
import type { BrokerDescriptor } from "./types";

const minuteMs = 60_000;
const dayMs = 24 * hourMs;
const fifoSuffix = ".fifo";

/** FIFO exactly when the name ends in `.fifo`, for queues and topics alike (AWS's own rule). */
export const isFifoName = (name: string) => name.endsWith(fifoSuffix);

/** A name of letters, digits, `_` and `-`, optionally ending in `.fifo`, at most `max` characters in all. */
const fifoAwareName = (what: string, max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters, ".fifo" included (the ${what} limit)`)
    .regex(/^[A-Za-z0-9_-]+(\.fifo)?$/, `may only contain letters, digits, '_' and '-', optionally ending in ".fifo" (the ${what} rule)`);

/** SQS queue names: 1–80 characters of [A-Za-z0-9_-], `.fifo` at the end for a FIFO queue. */
export const sqsQueueNameSchema = fifoAwareName("SQS", 80);
/** SNS topic names: 1–256 characters of [A-Za-z0-9_-], `.fifo` at the end for a FIFO topic. */
export const snsTopicNameSchema = fifoAwareName("SNS", 256);

const eventBridgeName = (what: string) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(64, `must be at most 64 characters (the EventBridge ${what} limit)`)
    .regex(/^[A-Za-z0-9._-]+$/, `may only contain letters, digits, '.', '_' and '-' (the EventBridge ${what} rule)`);

/** EventBridge bus names; `aws.` names belong to AWS's own partner buses. */
export const busNameSchema = eventBridgeName("bus").refine((name) => !name.startsWith("aws."), 'must not start with "aws." (reserved by AWS)');
export const ruleNameSchema = eventBridgeName("rule");

/** The bus every account has; producers and rules may name it without declaring it. */
export const defaultBusName = "default";

export const awsBrokerSchema = z.strictObject({
  kind: z.literal("aws"),
  /** http(s) URL of the SQS/SNS/EventBridge endpoint; AWS_ENDPOINT_URL when absent. */
  endpoint: z.string().regex(/^https?:\/\/[^\s/]+/, "must be an http:// or https:// URL, e.g. http://127.0.0.1:4566").optional(),
  /** AWS_REGION when absent. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as us-east-1").optional(),
});

export const sqsQueueSchema = z.strictObject({
  name: sqsQueueNameSchema,
  visibilityTimeout: durationBetween(0, 12 * hourMs).default(30_000),
  retention: durationBetween(minuteMs, 14 * dayMs).optional(),
  delay: durationBetween(0, 15 * minuteMs).optional(),
  /** Redrive: after maxReceiveCount receives without a delete, SQS moves the message to this queue. */
  deadLetter: z.strictObject({ queue: sqsQueueNameSchema, maxReceiveCount: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000") }).optional(),
  /** FIFO queues only: the body's SHA-256 is the deduplication id. */
  contentBasedDeduplication: z.boolean().default(false),
  existing: z.boolean().default(false),
});

export const snsTopicSchema = z.strictObject({ name: snsTopicNameSchema, existing: z.boolean().default(false) });

/** A JSON object: an SNS filter policy or an EventBridge event pattern, passed to AWS as written. */
const jsonObject = (what: string) => z.record(z.string(), z.unknown(), { error: `must be an object (${what})` });

export const subscriptionSchema = z.strictObject({
  topic: snsTopicNameSchema,
  queue: sqsQueueNameSchema,
  /** Raw delivery: the queue gets the message itself (and its attributes), not SNS's JSON envelope. */
  raw: z.boolean().default(false),
  filterPolicy: jsonObject("an SNS filter policy, e.g. { type: [created] }").optional(),
});

export const busSchema = z.strictObject({ name: busNameSchema, existing: z.boolean().default(false) });

export const ruleSchema = z.strictObject({
  name: ruleNameSchema,
  bus: busNameSchema.default(defaultBusName),
  pattern: jsonObject("an EventBridge event pattern, e.g. { source: [shop] }"),
  targets: z.array(z.strictObject({ queue: sqsQueueNameSchema })).min(1, "must list at least one target").max(5, "must list at most 5 targets (EventBridge's limit per rule)"),
});

export const awsResourcesSchema = z.strictObject({
  queues: z.array(sqsQueueSchema).default([]),
  topics: z.array(snsTopicSchema).default([]),
  subscriptions: z.array(subscriptionSchema).default([]),
  buses: z.array(busSchema).default([]),
  rules: z.array(ruleSchema).default([]),
});

/** A template ("{{customerId}}") or a literal; SQS allows 128 characters once rendered. */
const messageKey = z.string().min(1, "must not be empty").max(128, "must be at most 128 characters (the SQS limit)");
const attributeValue = z.union([z.string(), z.number()]);

export const sqsTargetSchema = z.strictObject({ queue: sqsQueueNameSchema, groupId: messageKey.optional(), deduplicationId: messageKey.optional() });
export const snsTargetSchema = z.strictObject({ snsTopic: snsTopicNameSchema, groupId: messageKey.optional(), attributes: z.record(z.string(), attributeValue).optional() });
export const eventBridgeTargetSchema = z.strictObject({
  bus: busNameSchema,
  source: z.string().min(1, "must not be empty").max(256),
  detailType: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters (EventBridge's limit)"),
});
/** No defaults here: a `{ queue }` source parsed by RabbitMQ's form is checked again against this one. */
export const sqsSourceSchema = z.strictObject({ queue: sqsQueueNameSchema, waitSeconds: z.number().int().min(0).max(20, "must be at most 20 (SQS long polling's limit)").optional() });

export const awsDescriptor = {
  kind: "aws",
  label: "Amazon SQS/SNS",
  defaultName: "aws",
  stackService: "moto",
  stackServiceName: "Amazon SQS/SNS (moto)",
  stackServiceRole: "Amazon SQS, SNS and EventBridge, emulated by moto's server.",
  connection: awsBrokerSchema,
  /** `endpoint`: the link proxy's address when the run puts one in front. */
  resolved: z.object({ kind: z.literal("aws"), endpoint: z.string().min(1), region: z.string().min(1) }),
  resources: awsResourcesSchema,
  collections: [
    { key: "queues", noun: "queue", endpoint: true },
    { key: "topics", noun: "topic", endpoint: true },
    { key: "subscriptions", noun: "subscription", endpoint: false },
    { key: "buses", noun: "bus", endpoint: true },
    { key: "rules", noun: "rule", endpoint: false },
  ],
  targets: [
    { form: { key: "queue", text: "{ queue: … }" }, schema: sqsTargetSchema },
    { form: { key: "snsTopic", text: "{ snsTopic: … }" }, schema: snsTargetSchema },
    { form: { key: "bus", text: "{ bus: …, source: …, detailType: … }" }, schema: eventBridgeTargetSchema },
  ],
  sources: [{ form: { key: "queue", text: "{ queue: … }" }, schema: sqsSourceSchema }],
  names: { queue: sqsQueueNameSchema, topic: snsTopicNameSchema, bus: busNameSchema, rule: ruleNameSchema },
  help: {
    summary: "Amazon's managed messaging: SQS queues consumers poll and delete from, SNS topics that fan out to queues, EventBridge buses whose rules route events to queues.",
    connection: "{ kind: aws, endpoint?: http://…, region?: us-east-1 }; AWS_ENDPOINT_URL and AWS_REGION when absent.",
    resources: "queues (standard or .fifo, visibility timeout, retention, delay, redrive to a dead-letter queue), topics, subscriptions of queues to topics (raw, filter policy), buses and rules routing events to queues.",
  },
  capabilities: {
    // A failed message is not deleted: it comes back once its visibility timeout lapses.
    requeue: true,
    deadLetter: true,
    deliveryLimit: true,
    // FIFO queues keep order per message group.
    orderingKey: true,
    consumerGroups: false,
    lag: false,
    replay: false,
    visibilityTimeout: true,
    fanOut: true,
    linkFaults: true,
    brokerConnectionClose: false,
    queueDepth: true,
    boundedQueues: false,
    routingKeys: false,
    // SQS does not register pollers, so a queue's consumer count is always 0.
    consumerCount: false,
    // SQS could carry both, but Brokerlab's request/reply and task parts run on AMQP only so far.
    requestReply: false,
    taskQueues: false,
  },
  check: checkAwsScenario,
  routesTo: awsRoutesTo,
  isolation: awsIsolation,
} as const satisfies BrokerDescriptor;

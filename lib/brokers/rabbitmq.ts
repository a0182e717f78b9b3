// RabbitMQ as a scenario sees it: the broker entry, exchanges, queues and bindings, the names
// RabbitMQ accepts, and what it can do. See docs/scenario-format.md.
import { z } from "zod";
import { durationUpTo } from "../scenario/duration";
import { checkRabbitScenario, checkRabbitTarget } from "./rabbitmq-check";
import { rabbitBoundedQueue, rabbitDerivedResources, rabbitIsolation, rabbitRoutesTo } from "./rabbitmq-hooks";
import type { BrokerDescriptor } from "./types";

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

const rabbitName = (empty: string) =>
  z
    .string()
    .min(1, empty)
    .refine((name) => utf8Length(name) <= 255, "must be at most 255 bytes (RabbitMQ's limit)")
    .refine((name) => !name.startsWith("amq."), 'must not start with "amq." (reserved by RabbitMQ)');

/** RabbitMQ exchange and queue names: at most 255 bytes, not reserved by the broker (`amq.`). */
export const rabbitNameSchema = rabbitName("must not be empty");

/** An exchange to declare or bind: a name of its own, never the default exchange (""). */
export const declaredExchangeNameSchema = rabbitName(
  'must not be empty: "" is the default exchange, which RabbitMQ owns and which cannot be declared or bound; name an exchange of your own (publishing with { exchange: "", routingKey: <queue> } needs no declaration)',
);

const permissionSchema = z.string().max(255).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, "must be a regular expression over resource names (\"^$\" allows nothing, \".*\" everything)");

/**
 * A user made for the run alone: the named services connect as it, with RabbitMQ's three permissions,
 * each a regular expression over exchange and queue names (absent ones allow nothing).
 */
export const runUserSchema = z.strictObject({
  services: z.array(z.string().min(1)).min(1, "must name at least one service that connects as this user"),
  configure: permissionSchema.default("^$"),
  write: permissionSchema.default("^$"),
  read: permissionSchema.default("^$"),
});

export const rabbitBrokerSchema = z.strictObject({
  kind: z.literal("rabbitmq"),
  /** amqp:// URL; RABBITMQ_URL when absent. */
  url: z.string().regex(/^amqps?:\/\//, "must start with amqp:// or amqps://").optional(),
  /** Management API URL; RABBITMQ_MANAGEMENT_URL when absent. */
  managementUrl: z.string().regex(/^https?:\/\//, "must start with http:// or https://").optional(),
  /** Which certificate authorities an amqps:// connection trusts: Node's built-in list (the default), or also the local stack's own CA. */
  tlsCa: z.enum(["system", "stack"], { error: 'must be "system" (the certificate authorities Node.js trusts) or "stack" (also the CA the local stack made for RabbitMQ\'s TLS listener)' }).optional(),
  /** Users made for the run alone (created through the management API, deleted with the run) that the named services connect as. */
  runUsers: z.array(runUserSchema).max(20).optional(),
});

export const exchangeSchema = z.strictObject({
  name: declaredExchangeNameSchema,
  type: z.enum(["direct", "fanout", "topic", "headers"]).default("direct"),
  durable: z.boolean().default(true),
  autoDelete: z.boolean().default(false),
  /** Attach to an exchange another program owns: checked, never declared or deleted. */
  existing: z.boolean().default(false),
});

export const queueSchema = z.strictObject({
  name: rabbitNameSchema,
  type: z.enum(["classic", "quorum"]).default("classic"),
  durable: z.boolean().default(true),
  autoDelete: z.boolean().default(false),
  /** RabbitMQ keeps x-message-ttl below 2^32 ms. */
  messageTtl: durationUpTo(2 ** 32 - 1).optional(),
  maxLength: z.number().int().min(1, "must be at least 1").max(10_000_000).optional(),
  maxLengthBytes: z.number().int().min(1).optional(),
  overflow: z.enum(["drop-head", "reject-publish", "reject-publish-dlx"]).optional(),
  deadLetter: z.strictObject({ exchange: z.union([rabbitNameSchema, z.literal("")]), routingKey: z.string().max(255).optional() }).optional(),
  /** Quorum queues only: redeliveries before the message is dropped or dead-lettered. */
  deliveryLimit: z.number().int().min(1).max(1000).optional(),
  existing: z.boolean().default(false),
});

export const bindingSchema = z.strictObject({
  exchange: declaredExchangeNameSchema,
  queue: rabbitNameSchema,
  routingKey: z.string().max(255, "must be at most 255 bytes").default(""),
  /** For headers exchanges: the headers to match, plus x-match (all | any). */
  arguments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const rabbitResourcesSchema = z.strictObject({
  exchanges: z.array(exchangeSchema).default([]),
  queues: z.array(queueSchema).default([]),
  bindings: z.array(bindingSchema).default([]),
});

export const rabbitmqDescriptor = {
  kind: "rabbitmq",
  label: "RabbitMQ",
  defaultName: "rabbit",
  stackService: "rabbitmq",
  stackServiceName: "RabbitMQ",
  stackServiceRole: "AMQP broker: exchanges, queues, acknowledgements and dead letters.",
  connection: rabbitBrokerSchema,
  resolved: z.object({ kind: z.literal("rabbitmq"), url: z.string().min(1), managementUrl: z.string().min(1), caFile: z.string().min(1).optional() }),
  resources: rabbitResourcesSchema,
  collections: [
    { key: "exchanges", noun: "exchange", endpoint: true },
    { key: "queues", noun: "queue", endpoint: true },
    { key: "bindings", noun: "binding", endpoint: false },
  ],
  targets: [
    { form: { key: "queue", text: "{ queue: … }" }, schema: z.strictObject({ queue: rabbitNameSchema }) },
    {
      form: { key: "exchange", text: "{ exchange: …, routingKey: … }" },
      schema: z.strictObject({ exchange: z.union([rabbitNameSchema, z.literal("")]), routingKey: z.string().max(255).default("") }),
    },
  ],
  sources: [{ form: { key: "queue", text: "{ queue: … }" }, schema: z.strictObject({ queue: rabbitNameSchema }) }],
  names: { queue: rabbitNameSchema, exchange: declaredExchangeNameSchema },
  help: {
    summary: "A message broker that routes messages through exchanges into queues; consumers acknowledge each message.",
    connection: "{ kind: rabbitmq, url?: amqp://…, managementUrl?: http://…, tlsCa?: system | stack, runUsers?: [{ services, configure, write, read }] }; RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL when absent.",
    resources: "exchanges (direct, fanout, topic, headers), queues (classic or quorum, TTL, max-length, dead-letter) and bindings between them.",
  },
  capabilities: {
    requeue: true,
    deadLetter: true,
    deliveryLimit: true,
    orderingKey: false,
    consumerGroups: false,
    lag: false,
    replay: false,
    visibilityTimeout: false,
    fanOut: true,
    linkFaults: true,
    brokerConnectionClose: true,
    queueDepth: true,
    boundedQueues: true,
    routingKeys: true,
    consumerCount: true,
    requestReply: true,
    taskQueues: true,
  },
  check: checkRabbitScenario,
  checkTarget: checkRabbitTarget,
  routesTo: rabbitRoutesTo,
  boundedQueue: rabbitBoundedQueue,
  derivedResources: rabbitDerivedResources,
  isolation: rabbitIsolation,
} as const satisfies BrokerDescriptor;

// Kafka as a scenario sees it: the broker entry, topics, the names Kafka accepts for topics and
// consumer groups, and what it can do. See docs/scenario-format.md.
import { z } from "zod";
import { dayMs, durationUpTo } from "../scenario/duration";
import { checkKafkaScenario } from "./kafka-check";
import { kafkaDerivedResources, kafkaIsolation, kafkaRoutesTo } from "./kafka-hooks";
import type { BrokerDescriptor } from "./types";

/** Kafka keeps its own state in topics and groups named `__…` (`__consumer_offsets`, `__transaction_state`). */
const kafkaInternal = (name: string) => name.startsWith("__");
const kafkaInternalMessage = (what: string) => `must not start with "__" (Kafka's internal ${what}s, e.g. __consumer_offsets, are not Brokerlab's to use); rename it`;

/** Kafka topic names: [a-zA-Z0-9._-]{1,249}, not "." or "..", not internal (`__…`). */
export const kafkaTopicSchema = z
  .string()
  .min(1, "must not be empty")
  .max(249, "must be at most 249 characters (Kafka's limit)")
  .regex(/^[a-zA-Z0-9._-]+$/, "may only contain letters, digits, '.', '_' and '-' (Kafka's rule)")
  .refine((name) => name !== "." && name !== "..", 'must not be "." or ".."')
  .refine((name) => !kafkaInternal(name), kafkaInternalMessage("topic"));

export const consumerGroupSchema = z
  .string()
  .min(1, "must not be empty")
  .max(249, "must be at most 249 characters")
  .regex(/^[a-zA-Z0-9._-]+$/, "may only contain letters, digits, '.', '_' and '-'")
  .refine((name) => !kafkaInternal(name), kafkaInternalMessage("group"));

export const kafkaBrokerSchema = z.strictObject({
  kind: z.literal("kafka"),
  /** host:port list; KAFKA_BROKERS when absent. */
  brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "must be host:port")).min(1).optional(),
});

export const topicSchema = z.strictObject({
  name: kafkaTopicSchema,
  partitions: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000").default(1),
  replicationFactor: z.number().int().min(1).max(10).default(1),
  retention: durationUpTo(365 * dayMs).optional(),
  cleanupPolicy: z.enum(["delete", "compact", "compact,delete"]).default("delete"),
  existing: z.boolean().default(false),
});

export const kafkaResourcesSchema = z.strictObject({ topics: z.array(topicSchema).default([]) });

export const kafkaDescriptor = {
  kind: "kafka",
  label: "Kafka",
  defaultName: "kafka",
  stackService: "kafka",
  stackServiceName: "Kafka",
  stackServiceRole: "Distributed log: topics, partitions, keys and consumer groups.",
  connection: kafkaBrokerSchema,
  /** `redirect`: broker address → link-proxy address, for every bootstrap and advertised broker. */
  /** `sasl`: a classroom learner's login on the learner listener (never in a scenario; the server adds it to a learner's runs). */
  resolved: z.object({
    kind: z.literal("kafka"),
    brokers: z.array(z.string().min(1)).min(1),
    redirect: z.record(z.string(), z.string()).optional(),
    sasl: z.object({ mechanism: z.literal("plain"), username: z.string().min(1), password: z.string().min(1) }).optional(),
  }),
  resources: kafkaResourcesSchema,
  collections: [{ key: "topics", noun: "topic", endpoint: true }],
  targets: [
    {
      form: { key: "topic", text: "{ topic: … }" },
      schema: z.strictObject({ topic: kafkaTopicSchema, key: z.string().max(1024).optional(), partition: z.number().int().min(0).optional() }),
    },
  ],
  sources: [
    {
      form: { key: "topic", text: "{ topic: …, group: … }" },
      schema: z.strictObject({ topic: kafkaTopicSchema, group: consumerGroupSchema, fromBeginning: z.boolean().default(false) }),
    },
  ],
  names: { topic: kafkaTopicSchema, group: consumerGroupSchema },
  help: {
    summary: "A distributed log: producers append records to partitioned topics, consumer groups read them at their own offsets.",
    connection: "{ kind: kafka, brokers?: [host:port, …] }; KAFKA_BROKERS when absent.",
    resources: "topics with partitions, replication factor, retention and cleanup policy.",
  },
  capabilities: {
    // A failed record is processed again in place (docs/scenario-format.md, onError): no broker-side requeue.
    requeue: false,
    deadLetter: false,
    deliveryLimit: false,
    orderingKey: true,
    consumerGroups: true,
    lag: true,
    replay: true,
    visibilityTimeout: false,
    // Every consumer group gets every record.
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
  check: checkKafkaScenario,
  routesTo: kafkaRoutesTo,
  derivedResources: kafkaDerivedResources,
  isolation: kafkaIsolation,
} as const satisfies BrokerDescriptor;

// Broker naming rules, checked before any broker is touched.
import { z } from "zod";

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

/** Names of brokers, services, producers and consumers: short slugs, safe in ids, headers and span attributes. */
export const slugSchema = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, "must start with a letter and contain only letters, digits, '-' and '_'");

export const consumerGroupSchema = z
  .string()
  .min(1, "must not be empty")
  .max(249, "must be at most 249 characters")
  .regex(/^[a-zA-Z0-9._-]+$/, "may only contain letters, digits, '.', '_' and '-'")
  .refine((name) => !kafkaInternal(name), kafkaInternalMessage("group"));

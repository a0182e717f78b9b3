// Naming rules, checked before any broker is touched. A broker's own rules (queue, exchange,
// topic and group names) live with its descriptor in lib/brokers and are re-exported here.
import { z } from "zod";

export { consumerGroupSchema, kafkaTopicSchema } from "../brokers/kafka";
export { declaredExchangeNameSchema, rabbitNameSchema } from "../brokers/rabbitmq";

/** Names of brokers, services, producers and consumers: short slugs, safe in ids, headers and span attributes. */
export const slugSchema = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, "must start with a letter and contain only letters, digits, '-' and '_'");

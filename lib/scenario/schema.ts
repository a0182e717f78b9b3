// The scenario schema (see docs/scenario-format.md): one declarative document that describes
// brokers, resources, services with producers and consumers, and a fault timeline.
import { z } from "zod";
import { connectionSchemas, sourceForms, sourceSchemas, targetForms, targetSchemas } from "../brokers";
import type { BrokerResourcesOf, KnownBrokerDescriptor } from "../brokers";
import type { kafkaResourcesSchema, topicSchema } from "../brokers/kafka";
import type { bindingSchema, exchangeSchema, queueSchema, rabbitResourcesSchema } from "../brokers/rabbitmq";
import { durationSchema } from "./duration";
import { scenarioFaultSchema } from "./faults";
import { slugSchema } from "./names";
import { createPatternSchemas } from "./patterns";
import { formsUnion, rateForms } from "./union-forms";

// The broker-specific schemas live with their broker's descriptor (lib/brokers); re-exported here
// for the code that reads them as part of the scenario format.
export { kafkaBrokerSchema, kafkaResourcesSchema, topicSchema } from "../brokers/kafka";
export { bindingSchema, exchangeSchema, queueSchema, rabbitBrokerSchema, rabbitResourcesSchema } from "../brokers/rabbitmq";

const strict = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

/** A `brokers.<name>` entry: one form per broker kind in lib/brokers. */
export const brokerSchema = z.discriminatedUnion("kind", connectionSchemas);

/** A key that would replace an object's prototype if copied naively; refused anywhere in user input. */
export const unsafeKeys = ["__proto__"];

/** Paths of unsafe keys in a parsed JSON/YAML value (own keys only; `JSON.parse` makes `__proto__` an own key). */
export function unsafeKeyPaths(value: unknown, path: PropertyKey[] = [], out: PropertyKey[][] = [], seen = new Set<object>()): PropertyKey[][] {
  if (!value || typeof value !== "object" || seen.has(value)) return out;
  seen.add(value);
  if (Array.isArray(value)) value.forEach((item, i) => unsafeKeyPaths(item, [...path, i], out, seen));
  else {
    for (const key of Object.keys(value)) {
      if (unsafeKeys.includes(key)) out.push([...path, key]);
      else unsafeKeyPaths((value as Record<string, unknown>)[key], [...path, key], out, seen);
    }
  }
  return out;
}

export const unsafeKeyMessage = (key: PropertyKey) => `"${String(key)}" is not allowed as a key (it could change an object's prototype); rename it`;

/** The largest payload (template or manual send) as JSON; bodies can still be padded with sizeBytes. */
export const maxPayloadBytes = 262_144;
/** Size as JSON; a value JSON cannot hold (a cycle) counts as too big. */
export function jsonBytes(value: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(value ?? null)).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
export const payloadSizeMessage = (bytes: number) => `is ${bytes} bytes as JSON; a payload may be at most ${maxPayloadBytes} bytes (256 KiB), use sizeBytes to pad bodies instead`;

const headerValue = z.union([z.string(), z.number(), z.boolean()]);

export const targetSchema = formsUnion("a target (where the messages go)", targetForms, targetSchemas);

export const rateSchema = formsUnion("a rate (how messages are sent)", rateForms, [
  strict({
    perSecond: z
      .number()
      .gt(0, "must be greater than 0")
      // Slower than one message per 1000 s, the pause between sends would overflow a timer.
      .refine((rate) => rate <= 0 || rate >= 0.001, "must be at least 0.001 (one message per 1000 s)")
      .max(100_000, "must be at most 100000"),
  }),
  strict({ burst: z.number().int().min(1, "must be at least 1").max(1_000_000, "must be at most 1000000") }),
  strict({ manual: z.literal(true) }),
]);

/**
 * A producer that is a service keeping orders in its own SQLite database (docs/patterns.md, lesson 30):
 * each message is an order's event, owed once the order is committed.
 */
export const orderDatabaseSchema = strict({
  /** `publish-after-commit`: commit the order, then publish its event. `outbox`: commit the order and an outbox row in one transaction; a relay publishes the outbox and marks rows sent. */
  mode: z.enum(["publish-after-commit", "outbox"]).default("publish-after-commit"),
  /** How often the relay looks for unsent outbox rows, and how many it sends per look. */
  relayEvery: durationSchema.default(200),
  relayBatch: z.number().int().min(1, "must be at least 1").max(1_000, "must be at most 1000").default(50),
  /** The process exits (code 1) once, at this point of this order: a crash between the database and the broker. */
  crash: strict({
    order: z.number().int().min(1, "must be at least 1"),
    at: z.enum(["before-publish", "before-mark-sent"]),
  }).optional(),
}).refine((database) => database.crash?.at !== "before-mark-sent" || database.mode === "outbox", {
  path: ["crash", "at"],
  message: "before-mark-sent is a point of the outbox relay; use mode: outbox, or crash at before-publish",
});

export const producerSchema = strict({
  name: slugSchema,
  broker: slugSchema,
  to: targetSchema,
  rate: rateSchema.default({ perSecond: 10 }),
  /** Stop after this many messages (for the whole service, shared by its replicas). */
  count: z.number().int().min(1, "must be at least 1").max(10_000_000).optional(),
  payload: z.unknown().default({ seq: "{{seq}}" }).refine((payload) => jsonBytes(payload) <= maxPayloadBytes, { error: (issue) => payloadSizeMessage(jsonBytes(issue.input)) }),
  /** Pad every message body up to this many bytes. */
  sizeBytes: z.number().int().min(0).max(1_048_576, "must be at most 1 MiB").optional(),
  headers: z.record(z.string(), headerValue).default({}),
  persistent: z.boolean().default(true),
  /** RabbitMQ: publisher confirms. Kafka: ignored (see acks). */
  confirm: z.boolean().default(true),
  /** RabbitMQ: return unroutable messages instead of dropping them silently. */
  mandatory: z.boolean().default(false),
  /** RabbitMQ: the most unconfirmed messages in flight. */
  confirmWindow: z.number().int().min(1).max(100_000).default(1000),
  /** Kafka: acks all | 1 | 0, and the idempotent producer. */
  acks: z.union([z.literal("all"), z.literal(1), z.literal(0), z.literal(-1)]).default("all"),
  idempotent: z.boolean().default(false),
  startAfter: durationSchema.optional(),
  /** The producer writes each order to its SQLite database first (see orderDatabaseSchema). */
  database: orderDatabaseSchema.optional(),
});

export const workSchema = strict({
  ms: z.number().min(0).max(600_000).default(0),
  jitterMs: z.number().min(0).max(600_000).default(0),
  distribution: z.enum(["uniform", "normal", "exponential"]).default("uniform"),
});

export const failuresSchema = strict({
  errorRate: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(0),
  /** Exit the process (code 1) after this many messages. */
  crashAfter: z.number().int().min(1).optional(),
  /** A message whose payload field equals a value always fails (a poison message). */
  poison: strict({ field: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
});

export const onErrorSchema = z.union([
  z.enum(["requeue", "drop", "dead-letter"]).transform((then) => ({ retries: 0, backoffMs: [] as number[], then })),
  strict({
    retries: z.number().int().min(0).max(20, "must be at most 20").default(0),
    /** Delay before each retry; the last value repeats. Empty: retry at once. */
    backoffMs: z.array(z.number().int().min(0).max(3_600_000)).max(20).default([]),
    then: z.enum(["requeue", "drop", "dead-letter"]).default("dead-letter"),
  }),
]);

export const sourceSchema = formsUnion("a source (where the messages come from)", sourceForms, sourceSchemas);

export const forwardSchema = strict({
  broker: slugSchema,
  to: targetSchema,
  /** The forwarded body; the consumed payload when absent. May use {{field}} of the consumed payload. */
  payload: z.unknown().optional(),
  headers: z.record(z.string(), headerValue).default({}),
});

export const consumerSchema = strict({
  name: slugSchema,
  broker: slugSchema,
  from: sourceSchema,
  ack: z.enum(["manual", "auto"]).default("manual"),
  prefetch: z.number().int().min(0).max(65_535).default(10),
  concurrency: z.number().int().min(1).max(256).default(1),
  work: workSchema.default({ ms: 0, jitterMs: 0, distribution: "uniform" }),
  failures: failuresSchema.default({ errorRate: 0 }),
  onError: onErrorSchema.default({ retries: 0, backoffMs: [], then: "requeue" }),
  /** Deduplicate by message id: a message seen before is acked without processing. */
  idempotent: z.boolean().default(false),
  /**
   * `sqlite`: each processed message's effect is a row in the service's SQLite database; with
   * idempotent, its id goes into a processed-ids table in the same transaction, so an effect is
   * applied once even across restarts.
   */
  effects: z.literal("sqlite").optional(),
  forward: forwardSchema.optional(),
});

/** Request/reply, task queues, HTTP APIs with webhooks and projections: lib/scenario/patterns.ts. */
export const patternSchemas = createPatternSchemas({ rate: rateSchema, work: workSchema });

export const serviceSchema = strict({
  name: slugSchema,
  description: z.string().max(500).optional(),
  replicas: z.number().int().min(1, "must be at least 1").max(50, "must be at most 50").default(1),
  producers: z.array(producerSchema).max(50, "must list at most 50 producers").default([]),
  consumers: z.array(consumerSchema).max(50, "must list at most 50 consumers").default([]),
  ...patternSchemas.serviceFields,
});

/** The scenario's fault timeline entries; see lib/scenario/faults.ts and docs/reliability.md. */
export const faultSchema = scenarioFaultSchema;

/** The most service processes one run starts (replicas of all services together). */
export const maxProcesses = 100;

export const scenarioObjectSchema = strict({
  version: z.literal(1, "must be 1"),
  name: slugSchema,
  description: z.string().max(2000).optional(),
  /** Consumer spans as children of the producer span (parent) or linked to it (link). */
  tracing: strict({ propagation: z.enum(["parent", "link"]).default("parent") }).default({ propagation: "parent" }),
  brokers: z.record(slugSchema, brokerSchema),
  /** Keyed by broker name; each entry is checked against its broker's kind in validate.ts. */
  resources: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  services: z.array(serviceSchema).min(1, "must list at least one service").max(50, "must list at most 50 services"),
  faults: z.array(faultSchema).max(200, "must list at most 200 faults").default([]),
}).superRefine((scenario, ctx) => {
  const processes = scenario.services.reduce((sum, service) => sum + service.replicas, 0);
  if (processes > maxProcesses) ctx.addIssue({ code: "custom", path: ["services"], message: `would start ${processes} service processes (the sum of replicas); a run starts at most ${maxProcesses}` });
});

/** The scenario document: unsafe keys are refused before anything else is read. */
export const scenarioSchema = z.preprocess((input, ctx) => {
  for (const path of unsafeKeyPaths(input)) ctx.addIssue({ code: "custom", path, message: unsafeKeyMessage(path.at(-1)!), input });
  return input;
}, scenarioObjectSchema);

export type ScenarioInput = z.input<typeof scenarioObjectSchema>;
export type RabbitResources = z.output<typeof rabbitResourcesSchema>;
export type KafkaResources = z.output<typeof kafkaResourcesSchema>;
export type BrokerResources = BrokerResourcesOf<KnownBrokerDescriptor>;
/** A validated scenario: defaults filled, resources typed by their broker's kind. */
export type Scenario = Omit<z.output<typeof scenarioSchema>, "resources"> & { resources: Record<string, BrokerResources> };
export type Broker = z.output<typeof brokerSchema>;
export type Exchange = z.output<typeof exchangeSchema>;
export type Queue = z.output<typeof queueSchema>;
export type Binding = z.output<typeof bindingSchema>;
export type Topic = z.output<typeof topicSchema>;
export type Target = z.output<typeof targetSchema>;
export type Producer = z.output<typeof producerSchema>;
export type OrderDatabase = z.output<typeof orderDatabaseSchema>;
export type Consumer = z.output<typeof consumerSchema>;
export type Source = z.output<typeof sourceSchema>;
export type OnError = z.output<typeof onErrorSchema>;
export type Service = z.output<typeof serviceSchema>;
export type Fault = z.output<typeof faultSchema>;

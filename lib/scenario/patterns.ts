// The messaging patterns of the course as declarative parts of a service (docs/patterns.md):
// request/reply, task queues, an asynchronous HTTP API with webhooks, and event-sourced projections.
// schema.ts passes in its rate and work schemas, so this module never imports it at run time.
import { z } from "zod";
import { durationSchema } from "./duration";
import { consumerGroupSchema, kafkaTopicSchema, rabbitNameSchema, slugSchema } from "./names";
import type { rateSchema, workSchema } from "./schema";

const strict = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

const headerValue = z.union([z.string(), z.number(), z.boolean()]);
const fieldName = z.string().min(1, "must not be empty").max(200).regex(/^[A-Za-z_][\w.-]*$/, "must be a payload field name (letters, digits, '_', '.', '-')");
const backoffMs = z.array(z.number().int().min(0).max(3_600_000)).max(20);
const errorRate = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(0);
/** An HTTP path this service answers on: `/reports`, `/webhooks/report-done`. */
const httpPath = z.string().max(200).regex(/^\/[A-Za-z0-9._~/-]*$/, "must be a path starting with '/', e.g. /webhooks");

/** Where request/reply and task messages go: RabbitMQ only (reply-to and correlation id are AMQP properties). */
export const rabbitTargetSchema = z.union([
  strict({ queue: rabbitNameSchema }),
  strict({ exchange: z.union([rabbitNameSchema, z.literal("")]), routingKey: z.string().max(255).default("") }),
]);

/** A fold step on one state field: add or subtract a payload field (or a number), keep the max/min, or set. */
export const foldOpSchema = z.union([
  strict({ add: z.union([fieldName, z.number()]) }),
  strict({ subtract: z.union([fieldName, z.number()]) }),
  strict({ max: z.union([fieldName, z.number()]) }),
  strict({ min: z.union([fieldName, z.number()]) }),
  /** A string names a payload field; a number or boolean is set as is. */
  strict({ set: z.union([fieldName, z.number(), z.boolean()]) }),
]);

/**
 * A requester's circuit breaker: after `failureThreshold` failures in a row (timeouts, error
 * replies, refused sends) it opens and fails calls at once; after `openFor` it lets
 * `halfOpenTrials` calls through and closes if they all succeed, or opens again.
 */
export const circuitBreakerSchema = strict({
  failureThreshold: z.number().int("must be a whole number").min(1, "must be at least 1 failure in a row").max(1_000, "must be at most 1000"),
  openFor: durationSchema.refine((ms) => ms >= 100, "must be at least 100ms: the breaker needs a cool-down before its trial calls"),
  halfOpenTrials: z.number().int("must be a whole number").min(1, "must be at least 1 trial call").max(100, "must be at most 100").default(1),
});

export function createPatternSchemas(parts: { rate: typeof rateSchema; work: typeof workSchema }) {
  const rate = parts.rate.default({ perSecond: 10 });
  const work = parts.work.default({ ms: 0, jitterMs: 0, distribution: "uniform" });
  const paced = {
    rate,
    /** Stop after this many (for the whole service, shared by its replicas). */
    count: z.number().int().min(1, "must be at least 1").max(10_000_000).optional(),
    startAfter: durationSchema.optional(),
  };

  const requester = strict({
    name: slugSchema,
    broker: slugSchema,
    to: rabbitTargetSchema,
    /** `exclusive`: a private, server-named queue per process; or a declared queue. */
    replyTo: z.union([z.literal("exclusive"), strict({ queue: rabbitNameSchema })]).default("exclusive"),
    timeout: durationSchema.default(2_000),
    /** Requests expire in the queue once their timeout passed, so a late server never answers them. */
    expire: z.boolean().default(false),
    /** Fails calls fast (nothing sent) after consecutive failures, until a trial call succeeds again. */
    circuitBreaker: circuitBreakerSchema.optional(),
    /** The most requests awaiting a reply at once, per process. */
    maxPending: z.number().int().min(1).max(100_000).default(1_000),
    ...paced,
    payload: z.unknown().default({ seq: "{{seq}}" }),
    headers: z.record(z.string(), headerValue).default({}),
  });

  const replier = strict({
    name: slugSchema,
    broker: slugSchema,
    from: strict({ queue: rabbitNameSchema }),
    prefetch: z.number().int().min(0).max(65_535).default(10),
    concurrency: z.number().int().min(1).max(256).default(1),
    work,
    /** A failed request is answered with an error reply (`x-brokerlab-reply: error`). */
    failures: strict({ errorRate }).default({ errorRate: 0 }),
    /** The reply body; strings may name fields of the request ("{{sku}}"). */
    reply: z.unknown().default({ ok: true }),
  });

  const taskProducer = strict({
    name: slugSchema,
    broker: slugSchema,
    to: rabbitTargetSchema,
    /** The job's name, a template: "resize-image" or "{{pick resize-image send-email}}". */
    job: z.string().min(1, "must not be empty").max(200),
    /** The job's arguments; every string is a template. */
    args: z.unknown().default({}),
    ...paced,
  });

  const job = strict({
    work,
    failures: strict({
      errorRate,
      poison: strict({ field: z.string().min(1), equals: headerValue }).optional(),
    }).default({ errorRate: 0 }),
    /** The stored result; strings may name the job's arguments ("{{imageId}}"). */
    result: z.unknown().default({ ok: true }),
    /** Overrides the worker's timeout for this job. */
    timeout: durationSchema.optional(),
  });

  const callbackPolicy = strict({
    retries: z.number().int().min(0).max(20, "must be at most 20").default(3),
    /** Delay before each retry; the last value repeats. */
    backoffMs: backoffMs.default([200, 1_000, 5_000]),
    /** How long one delivery attempt may take. */
    timeout: durationSchema.default(5_000),
    /** `valid` signs with the run's secret; `wrong-secret` and `missing` show what a receiver rejects. */
    signature: z.enum(["valid", "wrong-secret", "missing"]).default("valid"),
  });

  const worker = strict({
    name: slugSchema,
    broker: slugSchema,
    from: strict({ queue: rabbitNameSchema }),
    concurrency: z.number().int().min(1).max(256).default(1),
    /** RabbitMQ prefetch; 1 gives fair dispatch of long jobs. */
    prefetch: z.number().int().min(0).max(65_535).default(1),
    /** How long one attempt may run before it counts as failed. */
    timeout: durationSchema.default(30_000),
    retries: z.number().int().min(0).max(20, "must be at most 20").default(0),
    backoffMs: backoffMs.default([]),
    jobs: z.record(z.string().min(1).max(200), job).refine((jobs) => Object.keys(jobs).length > 0, "must name at least one job"),
    /** How a finished task that carries a callback_url is reported back (webhooks). */
    callbacks: callbackPolicy.default({ retries: 3, backoffMs: [200, 1_000, 5_000], timeout: 5_000, signature: "valid" }),
  });

  const httpApi = strict({
    name: slugSchema.default("api"),
    /** POST here with a JSON body (and a callback_url) to submit a task: 202 Accepted and a task id. */
    path: httpPath.default("/tasks"),
    broker: slugSchema,
    to: rabbitTargetSchema,
    /** The job every accepted request becomes. */
    job: z.string().min(1).max(200),
  });

  const apiCall = strict({
    name: slugSchema,
    /** A service with an httpApi. */
    api: slugSchema,
    /** A service with a webhookReceiver, whose URL goes in callback_url; none: no callback. */
    callbackTo: slugSchema.optional(),
    body: z.unknown().default({}),
    timeout: durationSchema.default(5_000),
    ...paced,
  });

  const webhookReceiver = strict({
    path: httpPath.default("/webhooks"),
    /** The first N callbacks this receiver gets are answered with `failStatus` (an outage). */
    failFirst: z.number().int().min(0, "must be at least 0").max(1_000_000).default(0),
    /** The chance that a callback is answered with `failStatus` (a flaky receiver). */
    errorRate,
    failStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(429)]).default(503),
  });

  const projection = strict({
    name: slugSchema,
    broker: slugSchema,
    from: strict({ topic: kafkaTopicSchema, group: consumerGroupSchema.optional() }),
    /** The payload field whose value keys the state, e.g. sku. */
    key: fieldName,
    /** The payload field that names the event's type. */
    typeField: fieldName.default("type"),
    /** Per event type, how each state field changes. Events of other types are skipped. */
    fold: z.record(z.string().min(1).max(200), z.record(fieldName, foldOpSchema)).refine((fold) => Object.keys(fold).length > 0, "must name at least one event type"),
    /** Simulated cost of applying one event, so a replay is visible as progress. */
    work,
  });

  return {
    requester, replier, taskProducer, job, worker, callbackPolicy, httpApi, apiCall, webhookReceiver, projection,
    /** The optional keys a service gains. */
    serviceFields: {
      requesters: z.array(requester).optional(),
      repliers: z.array(replier).optional(),
      tasks: z.array(taskProducer).optional(),
      workers: z.array(worker).optional(),
      httpApi: httpApi.optional(),
      apiCalls: z.array(apiCall).optional(),
      webhookReceiver: webhookReceiver.optional(),
      projections: z.array(projection).optional(),
    },
  };
}

export type PatternSchemas = ReturnType<typeof createPatternSchemas>;
export type RabbitTarget = z.output<typeof rabbitTargetSchema>;
export type FoldOp = z.output<typeof foldOpSchema>;
export type Requester = z.output<PatternSchemas["requester"]>;
export type CircuitBreaker = z.output<typeof circuitBreakerSchema>;
export type Replier = z.output<PatternSchemas["replier"]>;
export type TaskProducer = z.output<PatternSchemas["taskProducer"]>;
export type Job = z.output<PatternSchemas["job"]>;
export type Worker = z.output<PatternSchemas["worker"]>;
export type CallbackPolicy = z.output<PatternSchemas["callbackPolicy"]>;
export type HttpApi = z.output<PatternSchemas["httpApi"]>;
export type ApiCall = z.output<PatternSchemas["apiCall"]>;
export type WebhookReceiver = z.output<PatternSchemas["webhookReceiver"]>;
export type Projection = z.output<PatternSchemas["projection"]>;

/** The pattern keys of a service. */
export type ServicePatterns = {
  requesters?: Requester[];
  repliers?: Replier[];
  tasks?: TaskProducer[];
  workers?: Worker[];
  httpApi?: HttpApi;
  apiCalls?: ApiCall[];
  webhookReceiver?: WebhookReceiver;
  projections?: Projection[];
};

/** True when a service uses any pattern part. */
export function hasPatterns(service: ServicePatterns): boolean {
  return Boolean(service.requesters?.length || service.repliers?.length || service.tasks?.length || service.workers?.length
    || service.httpApi || service.apiCalls?.length || service.webhookReceiver || service.projections?.length);
}

/** Every broker a service's pattern parts use. */
export function patternBrokers(service: ServicePatterns): string[] {
  const parts = [...(service.requesters ?? []), ...(service.repliers ?? []), ...(service.tasks ?? []), ...(service.workers ?? []), ...(service.projections ?? [])];
  return [...new Set([...parts.map((p) => p.broker), ...(service.httpApi ? [service.httpApi.broker] : [])])];
}

/** Names of the pattern parts that send and so take `run:send` (requesters, task producers, API calls). */
export function sendingParts(service: ServicePatterns): string[] {
  return [...(service.requesters ?? []), ...(service.tasks ?? []), ...(service.apiCalls ?? [])].map((part) => part.name);
}

/** Queues the pattern parts of a service consume (repliers, workers). */
export function patternQueues(service: ServicePatterns): string[] {
  return [...(service.repliers ?? []), ...(service.workers ?? [])].map((part) => part.from.queue);
}

/** The prefix of a projection's Kafka consumer groups: its `group`, or `<service>-<projection>` (each process adds `-<run id>-<pid>`). */
export const projectionGroup = (service: string, projection: Projection) => projection.from.group ?? `${service}-${projection.name}`;

/** The delay before retry `attempt` (1-based); the last value repeats, none = at once. */
export function backoffFor(backoff: readonly number[], attempt: number): number {
  if (backoff.length === 0) return 0;
  return backoff[Math.min(Math.max(attempt, 1) - 1, backoff.length - 1)]!;
}

// What one producer or consumer does, resolved from the scenario into plain terms every language
// emitter shares: its broker and the declarations it relies on, schedule, templates and failure policy.
import { headerNames } from "../run/ipc";
import { kafkaDeadLetterTopicName, kafkaRetryTopicName, rabbitRetryQueueName, retryDelays, withDerivedResources } from "../scenario/derived";
import type { Binding, Consumer, Exchange, OnError, Producer, Queue, Scenario, Target, Topic } from "../scenario/schema";
import { payloadExpr, templateExpr } from "./expression";
import type { Expr } from "./expression";
import { awsEndpoint, awsOutbound, isAwsBroker } from "./aws-plan";
import type { AwsEndpoint, AwsRoute, AwsTarget } from "./aws-plan";
import { brokerKind, redisPubsubConsumerEndpoint, redisPubsubOutbound } from "./redis-pubsub-plan";
import type { PubsubEndpoint, PubsubRoute, RedisEndpoint, RedisRoute } from "./redis-pubsub-plan";

export const defaultRabbitUrl = "amqp://guest:guest@127.0.0.1:5672";
export const defaultKafkaBrokers = ["127.0.0.1:9092"];
/** The headers Brokerlab's own services read, so generated code and a Brokerlab run interoperate. */
export const codegenHeaders = { ...headerNames, dueAt: "x-brokerlab-due-at" } as const;

export interface CodegenSelection {
  service: string;
  producer?: string;
  consumer?: string;
  /** A pattern part of the service (lib/codegen/pattern-plan.ts). */
  pattern?: { kind: "requesters" | "repliers" | "tasks" | "workers" | "httpApi" | "apiCalls" | "webhookReceiver" | "projections"; name?: string };
  /** "reactive": a RabbitMQ consumer written as an RxJS pipeline (TypeScript only). */
  style?: "reactive";
}

export interface RabbitDeclarations {
  exchanges: Exchange[];
  queues: Queue[];
  bindings: Binding[];
}

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;

export type Endpoint =
  | { kind: "rabbitmq"; broker: string; url: string; declarations: RabbitDeclarations }
  | { kind: "kafka"; broker: string; brokers: string[]; topics: Topic[] }
  | AwsEndpoint
  | RedisEndpoint
  | PubsubEndpoint;

/** Where a message goes: an exchange and routing key (the default exchange "" for a queue), or a topic. */
export type Route =
  | { kind: "rabbitmq"; exchange: string; routingKey: Expr; queue?: string }
  | { kind: "kafka"; topic: string; key?: Expr; partition?: number }
  | AwsRoute
  | RedisRoute
  | PubsubRoute;

export type Schedule = { kind: "rate"; perSecond: number; count?: number } | { kind: "burst"; count: number } | { kind: "once" };

export interface Outbound {
  endpoint: Endpoint;
  route: Route;
  headers: [string, Expr][];
}

export interface ProducerPlan extends Outbound {
  role: "producer";
  scenario: string;
  service: string;
  name: string;
  producer: Producer;
  schedule: Schedule;
  payload: Expr;
}

export interface ForwardPlan extends Outbound {
  /** Undefined: the consumed body is forwarded unchanged. */
  payload?: Expr;
}

export interface ConsumerPlan {
  role: "consumer";
  scenario: string;
  service: string;
  name: string;
  consumer: Consumer;
  endpoint: Endpoint;
  onError: OnError;
  /** RabbitMQ: `<queue>.retry.<ms>` queues; Kafka: the retry and dead-letter topics of the group. */
  retryQueue?: (delayMs: number) => string;
  retryTopic?: string;
  deadLetterTopic?: string;
  /** Amazon SQS: the dead-letter queue of the consumed queue's redrive policy. */
  deadLetterQueue?: string;
  forward?: ForwardPlan;
}

export type CodePlan = ProducerPlan | ConsumerPlan;

export interface GeneratedCode {
  language: "typescript" | "python" | "java";
  library: string;
  fileName: string;
  /** The commands that install the library and run the file. */
  run: string[];
  source: string;
  /** A whole project (Java's pom.xml beside the source), `source` among them at `fileName`. */
  files?: { path: string; source: string }[];
}

export class CodegenError extends Error {
  override readonly name = "CodegenError";
}

const byName = <T extends { name: string }>(items: readonly T[], names: Iterable<string>): T[] => {
  const wanted = new Set(names);
  return items.filter((item) => wanted.has(item.name));
};

export function rabbitEndpoint(scenario: Scenario, broker: string, queues: string[], exchanges: string[]): Endpoint {
  const definition = scenario.brokers[broker];
  const resources = scenario.resources[broker];
  const declared = resources?.kind === "rabbitmq" ? resources : { exchanges: [], queues: [], bindings: [] };
  const queueSet = new Set(queues);
  const exchangeSet = new Set(exchanges.filter(Boolean));
  // Bindings that feed the queues, or leave the exchanges, with both ends declared alongside.
  const bindings = declared.bindings.filter((b) => queueSet.has(b.queue) || exchangeSet.has(b.exchange));
  for (const binding of bindings) {
    queueSet.add(binding.queue);
    exchangeSet.add(binding.exchange);
  }
  // A queue that dead-letters somewhere declares that exchange and the queues bound to it, so a dead letter lands.
  for (const queue of byName(declared.queues, queueSet)) {
    const dlx = queue.deadLetter?.exchange;
    if (!dlx || exchangeSet.has(dlx)) continue;
    exchangeSet.add(dlx);
    for (const binding of declared.bindings.filter((b) => b.exchange === dlx)) {
      bindings.push(binding);
      queueSet.add(binding.queue);
    }
  }
  return {
    kind: "rabbitmq",
    broker,
    url: definition?.kind === "rabbitmq" && definition.url ? definition.url : defaultRabbitUrl,
    declarations: { exchanges: byName(declared.exchanges, exchangeSet), queues: byName(declared.queues, queueSet), bindings },
  };
}

export function kafkaEndpoint(scenario: Scenario, broker: string, topics: string[]): Endpoint {
  const definition = scenario.brokers[broker];
  const resources = scenario.resources[broker];
  const declared = resources?.kind === "kafka" ? resources.topics : [];
  return {
    kind: "kafka",
    broker,
    brokers: definition?.kind === "kafka" && definition.brokers ? definition.brokers : defaultKafkaBrokers,
    topics: byName(declared, topics),
  };
}

function outbound(scenario: Scenario, broker: string, to: Target, headers: Record<string, string | number | boolean>, names: { service: string; producer: string }, fields: readonly string[]): Outbound {
  const header = ([name, value]: [string, string | number | boolean]): [string, Expr] => [name, typeof value === "string" ? templateExpr(value, names, fields) : { kind: "value", value }];
  // An Amazon broker's `to` shares the `queue` key with RabbitMQ's, so the broker's kind decides.
  if (isAwsBroker(scenario, broker)) return { ...awsOutbound(scenario, broker, to as AwsTarget, names, fields), headers: Object.entries(headers).map(header) };
  const redisOrPubsub = redisPubsubOutbound(scenario, broker, to, (text) => templateExpr(text, names, fields));
  if (redisOrPubsub) return { ...redisOrPubsub, headers: Object.entries(headers).map(header) };
  if ("topic" in to) {
    return {
      endpoint: kafkaEndpoint(scenario, broker, [to.topic]),
      route: { kind: "kafka", topic: to.topic, ...(to.key !== undefined ? { key: templateExpr(to.key, names, fields) } : {}), ...(to.partition !== undefined ? { partition: to.partition } : {}) },
      headers: Object.entries(headers).map(header),
    };
  }
  if (!("queue" in to) && !("exchange" in to)) throw new CodegenError(`The broker "${broker}" cannot take this target; check the producer's \`to\`.`);
  const route: Route = "queue" in to
    ? { kind: "rabbitmq", exchange: "", routingKey: { kind: "value", value: to.queue }, queue: to.queue }
    : { kind: "rabbitmq", exchange: to.exchange, routingKey: templateExpr(to.routingKey, names, fields) };
  return {
    endpoint: rabbitEndpoint(scenario, broker, "queue" in to ? [to.queue] : [], "exchange" in to ? [to.exchange] : []),
    route,
    headers: Object.entries(headers).map(header),
  };
}

function schedule(producer: Producer): Schedule {
  const { rate } = producer;
  if ("manual" in rate) return { kind: "once" };
  if ("burst" in rate) return { kind: "burst", count: Math.min(rate.burst, producer.count ?? rate.burst) };
  return { kind: "rate", perSecond: rate.perSecond, ...(producer.count !== undefined ? { count: producer.count } : {}) };
}

const topLevelFields = (payload: unknown): string[] => (payload && typeof payload === "object" && !Array.isArray(payload) ? Object.keys(payload) : []);

/** Forwards are generated between RabbitMQ and Kafka: a forward through another kind is refused with what to do instead. */
function refuseForward(scenario: Scenario, consumer: Consumer): void {
  if (!consumer.forward) return;
  const kinds = [brokerKind(scenario, consumer.broker), brokerKind(scenario, consumer.forward.broker)];
  const other = kinds.find((kind) => kind !== "rabbitmq" && kind !== "kafka");
  if (!other) return;
  const label = other === "aws" ? "an Amazon SQS/SNS" : other === "redis" ? "a Redis" : other === "pubsub" ? "a Google Cloud Pub/Sub" : `a ${other}`;
  throw new CodegenError(`The consumer "${consumer.name}" forwards through ${label} broker; generated code cannot forward there yet. Generate the consumer without its forward, or forward between RabbitMQ and Kafka.`);
}

/** Resolves the selected producer or consumer; throws a CodegenError that says what is missing. */
export function planCode(input: Scenario, selection: CodegenSelection): CodePlan {
  const scenario = withDerivedResources(input);
  const service = scenario.services.find((s) => s.name === selection.service);
  if (!service) throw new CodegenError(`There is no service "${selection.service}" in the scenario.`);
  const names = { service: service.name, producer: selection.producer ?? selection.consumer ?? "" };

  if (selection.producer !== undefined) {
    const producer = service.producers.find((p) => p.name === selection.producer);
    if (!producer) throw new CodegenError(`The service "${service.name}" has no producer "${selection.producer}".`);
    return {
      role: "producer",
      scenario: scenario.name,
      service: service.name,
      name: producer.name,
      producer,
      schedule: schedule(producer),
      payload: payloadExpr(producer.payload, names),
      ...outbound(scenario, producer.broker, producer.to, producer.headers, names, topLevelFields(producer.payload)),
    };
  }

  const consumer = service.consumers.find((c) => c.name === selection.consumer);
  if (!consumer) throw new CodegenError(selection.consumer === undefined ? "Choose a producer or a consumer." : `The service "${service.name}" has no consumer "${selection.consumer}".`);
  refuseForward(scenario, consumer);
  const base = { role: "consumer" as const, scenario: scenario.name, service: service.name, name: consumer.name, consumer, onError: consumer.onError };
  const forward = consumer.forward
    ? {
        ...outbound(scenario, consumer.forward.broker, consumer.forward.to, consumer.forward.headers, names, ["*"]),
        ...(consumer.forward.payload !== undefined ? { payload: payloadExpr(consumer.forward.payload, names, ["*"]) } : {}),
      }
    : undefined;

  const redisOrPubsub = redisPubsubConsumerEndpoint(scenario, consumer.broker, consumer.from);
  if (redisOrPubsub) return { ...base, endpoint: redisOrPubsub };
  if (isAwsBroker(scenario, consumer.broker) && "queue" in consumer.from) {
    const endpoint = awsEndpoint(scenario, consumer.broker, { queues: [consumer.from.queue], feeds: consumer.from.queue });
    const deadLetterQueue = endpoint.queues.find((q) => q.name === (consumer.from as { queue: string }).queue)?.deadLetter?.queue;
    return { ...base, endpoint, ...(deadLetterQueue ? { deadLetterQueue } : {}), ...(forward ? { forward } : {}) };
  }
  if ("queue" in consumer.from) {
    const queue = consumer.from.queue;
    const retryQueues = retryDelays(consumer.onError).map((ms) => rabbitRetryQueueName(queue, ms));
    return {
      ...base,
      endpoint: rabbitEndpoint(scenario, consumer.broker, [queue, ...retryQueues], []),
      retryQueue: (delayMs) => rabbitRetryQueueName(queue, delayMs),
      ...(forward ? { forward } : {}),
    };
  }
  if (!("topic" in consumer.from)) throw new CodegenError(`The consumer "${consumer.name}" reads from a source generated code does not know yet.`);
  const { topic, group } = consumer.from;
  const retryTopic = consumer.onError.retries > 0 ? kafkaRetryTopicName(topic, group) : undefined;
  const deadLetterTopic = consumer.onError.then === "dead-letter" ? kafkaDeadLetterTopicName(topic, group) : undefined;
  return {
    ...base,
    endpoint: kafkaEndpoint(scenario, consumer.broker, [topic, ...(retryTopic ? [retryTopic] : []), ...(deadLetterTopic ? [deadLetterTopic] : [])]),
    ...(retryTopic ? { retryTopic } : {}),
    ...(deadLetterTopic ? { deadLetterTopic } : {}),
    ...(forward ? { forward } : {}),
  };
}

/** The consumer's declarations plus the forward's, when the forward goes to the same RabbitMQ. */
export function rabbitEndpointWithForward(plan: ConsumerPlan): RabbitEndpoint {
  const endpoint = plan.endpoint as RabbitEndpoint;
  const target = plan.forward?.endpoint;
  if (target?.kind !== "rabbitmq") return endpoint;
  const unique = <T>(items: T[], key: (item: T) => string) => [...new Map(items.map((item) => [key(item), item])).values()];
  const { declarations: a } = endpoint;
  const { declarations: b } = target;
  return {
    ...endpoint,
    declarations: {
      exchanges: unique([...a.exchanges, ...b.exchanges], (e) => e.name),
      queues: unique([...a.queues, ...b.queues], (x) => x.name),
      bindings: unique([...a.bindings, ...b.bindings], (x) => `${x.exchange}|${x.queue}|${x.routingKey}`),
    },
  };
}

/** The x-arguments of a queue declaration, exactly as the engine declares them (server/brokers/rabbitmq/declarations.ts). */
export function queueArguments(queue: Queue): Record<string, string | number> {
  const args: Record<string, string | number | undefined> = {
    "x-queue-type": queue.type,
    "x-message-ttl": queue.messageTtl === undefined ? undefined : Math.round(queue.messageTtl),
    "x-max-length": queue.maxLength,
    "x-max-length-bytes": queue.maxLengthBytes,
    "x-overflow": queue.overflow,
    "x-dead-letter-exchange": queue.deadLetter?.exchange,
    "x-dead-letter-routing-key": queue.deadLetter?.routingKey,
    "x-delivery-limit": queue.deliveryLimit,
  };
  return Object.fromEntries(Object.entries(args).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
}

/** Quorum queues are always durable; the broker refuses anything else. */
export const queueDurable = (queue: Queue): boolean => queue.type === "quorum" || queue.durable;

/** Kafka topic settings beyond partitions and replication, as the engine sets them. */
export function topicConfig(topic: Topic): Record<string, string> {
  const config: Record<string, string> = { "cleanup.policy": topic.cleanupPolicy };
  if (topic.retention !== undefined) config["retention.ms"] = String(Math.round(topic.retention));
  return config;
}

/** A name for the generated file: `<service>-<producer|consumer>`. */
export const codeFileStem = (plan: CodePlan): string => `${plan.service}-${plan.name}`.replace(/[^A-Za-z0-9_-]/g, "-");

/**
 * Whether the program keeps a SQLite database (a producer's `database`, a consumer's `effects`).
 * Generated for RabbitMQ so far: on another broker this throws rather than leave the database out.
 */
export function usesDatabase(plan: CodePlan): boolean {
  const used = plan.role === "producer" ? plan.producer.database !== undefined : plan.consumer.effects !== undefined;
  if (used && plan.endpoint.kind !== "rabbitmq") {
    throw new CodegenError(`Generated code with a database (an outbox producer, effects: sqlite) is written for RabbitMQ so far; ${plan.service}/${plan.name} uses ${plan.endpoint.kind}.`);
  }
  return used;
}

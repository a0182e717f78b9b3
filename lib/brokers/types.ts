// What Brokerlab knows about a kind of broker without talking to it: what a scenario may write
// for it, its naming rules, words for the UI, and what it can do. The I/O lives in the drivers.
import type { z } from "zod";
import type { UnionForm } from "../scenario/union-forms";

/**
 * What a broker can do, asked by the code that would otherwise compare broker kinds. Each
 * descriptor states every one, so adding a capability makes each broker answer it.
 */
export const capabilityNames = [
  /** A failed message goes back to the broker and is delivered again (nack with requeue). */
  "requeue",
  /** The broker itself routes rejected or expired messages to a dead-letter destination. */
  "deadLetter",
  /** The broker counts redeliveries and gives up on a message after a limit. */
  "deliveryLimit",
  /** Messages with the same key keep their order (Kafka: same key, same partition). */
  "orderingKey",
  /** Consumers join named groups that share the work and keep their own position. */
  "consumerGroups",
  /** The broker reports how far a consumer is behind the end of the log, in messages. */
  "lag",
  /** A consumer can read again from an earlier position (an offset, the beginning, a time). */
  "replay",
  /** A received message stays hidden for a while and reappears unless it is deleted. */
  "visibilityTimeout",
  /** One message reaches several independent subscribers. */
  "fanOut",
  /** Latency, bandwidth, drop, cut and reset through the link proxy between service and broker. */
  "linkFaults",
  /** The broker can close one client's connections on request (the closeConnection fault). */
  "brokerConnectionClose",
  /** The broker reports how many messages a queue holds (ready and unacknowledged). */
  "queueDepth",
  /** Queues with a maximum length and an overflow rule (the fillQueue fault fills one). */
  "boundedQueues",
  /** Messages routed by a routing key or pattern through exchanges and bindings. */
  "routingKeys",
  /** The broker reports how many consumers a queue has (SQS does not: pollers are not registered). */
  "consumerCount",
  /** A request names where to answer and carries a correlation id (AMQP reply-to); Brokerlab's requesters and repliers run on it. */
  "requestReply",
  /** Brokerlab's task queue parts (tasks, workers, an HTTP API's jobs, docs/patterns.md) run on it. */
  "taskQueues",
] as const;

export type Capability = (typeof capabilityNames)[number];
export type Capabilities = Readonly<Record<Capability, boolean>>;

/** One form a producer's `to` or a consumer's `from` may take, with how it is written in errors. */
export interface FormSchema<Schema extends z.ZodType = z.ZodType> {
  form: UnionForm;
  schema: Schema;
}

/** A list of resources a broker's entry under `resources` may hold (RabbitMQ's `queues`, Kafka's `topics`). */
export interface ResourceCollection {
  /** The key under `resources.<broker>`, e.g. `queues`. */
  key: string;
  /** One of them in words, e.g. `queue`. */
  noun: string;
  /** Resources of this collection that messages are sent to or read from (not bindings). */
  endpoint: boolean;
}

export interface BrokerHelp {
  /** One sentence on what the broker is, for menus and the docs. */
  summary: string;
  /** How a `brokers.<name>` entry is written and what its absent fields default to. */
  connection: string;
  /** What `resources.<name>` may declare. */
  resources: string;
}

/** A problem a descriptor's own check found: the path of the bad field and what to do. */
export interface BrokerProblem {
  path: string;
  message: string;
}

/** The parts of a validated scenario a descriptor's check reads (lib/scenario/schema.ts has the full type). */
export interface CheckedScenario {
  brokers: Readonly<Record<string, { kind: string }>>;
  resources: Readonly<Record<string, { kind: string }>>;
  services: readonly {
    producers: readonly { broker: string; to: object; payload: unknown; sizeBytes?: number; headers: Readonly<Record<string, unknown>> }[];
    consumers: readonly { broker: string; from: object; onError: { then: string }; forward?: { broker: string; to: object; payload?: unknown; headers: Readonly<Record<string, unknown>> } }[];
  }[];
}

/** A consumer as the descriptors' hooks read it. */
export interface HookConsumer {
  from: object;
  onError: { retries: number; backoffMs: readonly number[]; then: string };
}

/** The tables of a lesson run's renames, by what a name names (lib/scenario/isolate.ts). */
export type NameTable = "queue" | "exchange" | "topic" | "group";
/** A name as a lesson run uses it: renamed, or unchanged. */
export type ActualName = (table: NameTable, name: string) => string;

/** How a lesson run gives a broker's resources names of their own (lib/scenario/isolate.ts). */
export interface BrokerIsolation<Entry> {
  /** The new names of the entry's resources: [table, name, new name]. */
  names(resources: Entry, suffix: string): [NameTable, string, string][];
  /** The entry with its resources, and the references between them, renamed. */
  rename(resources: Entry, actual: ActualName, suffix: string): Entry;
  /** The renamed fields of a `to`, `from` or fault written in the kind's words (its other fields left out). */
  renameRef(ref: Readonly<Record<string, unknown>>, actual: ActualName): Record<string, unknown>;
  /** The broker entry with what it names renamed (RabbitMQ's run users' permission patterns), given every rename as [table, name, new name]. */
  renameEntry?(entry: Readonly<Record<string, unknown>>, renames: readonly [NameTable, string, string][]): Record<string, unknown>;
}

export interface BrokerDescriptor<
  Kind extends string = string,
  Connection extends z.ZodType = z.ZodType,
  Resources extends z.ZodType = z.ZodType,
  Targets extends readonly FormSchema[] = readonly FormSchema[],
  Sources extends readonly FormSchema[] = readonly FormSchema[],
> {
  /** The `kind` of a `brokers.<name>` entry. */
  kind: Kind;
  /** The broker's name for people, e.g. "RabbitMQ". */
  label: string;
  /** A name a new broker entry of this kind gets in the lab, e.g. "rabbit". */
  defaultName: string;
  /** The local stack's service that runs a broker of this kind (`stack/services/<id>.ts`): "moto" for Amazon's. */
  stackService: string;
  /** That service as the home page and `stack:status` name it, e.g. "Amazon SQS/SNS (moto)". */
  stackServiceName: string;
  /** One line on what the service is, under its name on the home page. */
  stackServiceRole: string;
  /** A `brokers.<name>` entry: `{ kind, ...where to reach it }`. */
  connection: Connection;
  /**
   * A broker entry as a service process receives it (lib/run/ipc.ts's `ResolvedBroker`): `{ kind,
   * …where the service reaches it }`, every address filled in and through the link proxy when a run
   * puts one in front.
   */
  resolved: z.ZodObject<{ kind: z.ZodLiteral<Kind> }>;
  /** A `resources.<name>` entry for a broker of this kind. */
  resources: Resources;
  collections: readonly ResourceCollection[];
  /** The forms of a producer's `to` (and a forward's) that address this broker. */
  targets: Targets;
  /** The forms of a consumer's `from` that read from this broker. */
  sources: Sources;
  /** Naming rules of the broker's resources, by what they name (queue, topic, group, …). */
  names: Readonly<Record<string, z.ZodType<string>>>;
  help: BrokerHelp;
  capabilities: Capabilities;
  /**
   * The checks inside a broker's resources and the references its resources, targets and sources
   * make to each other (`(scenario) => problems`). lib/scenario/validate.ts runs every descriptor's
   * after the shapes are valid; it checks only what is common to all kinds (a declared broker, a
   * `to` or `from` of the broker's own kind, payload templates).
   */
  check: (scenario: CheckedScenario) => BrokerProblem[];
  /**
   * Kinds with `requestReply` or `taskQueues`: what is wrong with a pattern part's `to` (at `path`,
   * its templates naming `fields`), as the kind's `check` reads a producer's.
   */
  checkTarget?(scenario: CheckedScenario, path: string, broker: string, to: object, fields: readonly string[]): BrokerProblem[];
  /**
   * Whether a producer's `to` reaches a consumer's `from` on one broker of this kind, given its
   * resources (bindings, subscriptions, rules): the poison fault looks for such a producer.
   */
  routesTo(resources: z.output<Resources> | undefined, to: object, from: object): boolean;
  /** Kinds with `boundedQueues`: the declared queue of this name and its bound and overflow rule (the fillQueue fault), undefined when there is none. */
  boundedQueue?(resources: z.output<Resources> | undefined, queue: string): { maxLength?: number; overflow?: string } | undefined;
  /**
   * Resources the broker's consumers need that the scenario does not spell out (RabbitMQ's delayed
   * retry queues, Kafka's retry and dead-letter topics), added to its entry; declared ones win.
   * Undefined when nothing is derived.
   */
  derivedResources?(resources: z.output<Resources> | undefined, consumers: readonly HookConsumer[]): z.output<Resources> | undefined;
  isolation: BrokerIsolation<z.output<Resources>>;
}

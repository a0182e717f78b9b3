// One driver per broker kind: what the engine, the faults and the link proxies need to know about
// a broker, behind one interface, so that they loop over the registry instead of asking which
// broker they talk to. A driver delegates to its kind's adapter modules (admin, connection).
import type { z } from "zod";
import type { ConnectionView } from "../../lib/lessons/snapshot";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { Scenario } from "../../lib/scenario/schema";
import type { GroupLag, QueueDepth, RunResource } from "../../lib/run/model";
import type { Config } from "../config";
import type { ProbeResult } from "../health/probes";
import type { AdviceConfig } from "../health/service-advice";
import type { AwsAdmin } from "./aws/admin";
import type { KafkaAdmin, RabbitAdmin } from "./types";

export type BrokerKind = ResolvedBroker["kind"];
export type ScenarioBroker = Scenario["brokers"][string];
export type ScenarioBrokerOf<K extends BrokerKind> = Extract<ScenarioBroker, { kind: K }>;
export type ResolvedBrokerOf<K extends BrokerKind> = Extract<ResolvedBroker, { kind: K }>;

/** The configured brokers (RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL, KAFKA_BROKERS, AWS_ENDPOINT_URL, AWS_REGION): what an entry that names none uses. */
export interface BrokerDefaults {
  rabbitUrl: string;
  rabbitManagementUrl: string;
  kafkaBrokers: string[];
  /** Without them an aws entry must name its own endpoint and region. */
  awsEndpoint?: string;
  awsRegion?: string;
  /** Without it a redis entry must name its own url. */
  redisUrl?: string;
}

/** The adapters' admin factories, injected by the composition root (tests count or replace them). */
export interface AdminFactories {
  createRabbitAdmin(options: { url: string; managementUrl: string; caFile?: string }): RabbitAdmin;
  createKafkaAdmin(options: { brokers: string[]; clientId?: string }): KafkaAdmin;
  /** The SQS/SNS/EventBridge admin; the aws driver builds its own when absent. */
  createAwsAdmin?(options: { endpoint: string; region: string }): AwsAdmin;
}

/** One endpoint of a broker: `url` (scheme://host:port/…) or `address` (host:port); `field` names where a scenario entry sets it. */
export interface BrokerEndpoint {
  field: string;
  value: string;
  form: "url" | "address";
}

/** A TCP endpoint the link proxy stands in for. */
export interface LinkTarget {
  host: string;
  port: number;
}

/**
 * How a run's manifest (resources.json) keeps one broker: `{ kind, ...manifestEndpoints, created }`,
 * `created` in the shape the driver's admin reports it. A server start reads it back to delete what
 * a dead server's run left behind, so an entry the schema refuses would never be cleaned.
 */
export type ManifestEntrySchema = z.ZodObject<{ kind: z.ZodLiteral<string>; created: z.ZodType }>;

/** `B`: the resolved broker of this kind; `E`: its scenario entry; `M`: its manifest entry. */
export interface BrokerDriver<B extends ResolvedBroker = ResolvedBroker, E extends ScenarioBroker = ScenarioBroker, M extends ManifestEntrySchema = ManifestEntrySchema> {
  readonly kind: B["kind"];
  /** The entry's own endpoints, else the configured ones. */
  resolve(entry: E, defaults: BrokerDefaults): B;
  /** The configured endpoints of this kind: scenarios may name these without any allowlist entry. */
  configuredEndpoints(defaults: BrokerDefaults): BrokerEndpoint[];
  /** The endpoints a scenario entry names itself (the fields it sets), checked against the allowlist. */
  entryEndpoints(entry: E): BrokerEndpoint[];
  /** Every endpoint the resolved broker is reached at. */
  endpoints(broker: B): BrokerEndpoint[];
  /** Where it runs, for messages: a host, or the bootstrap list. No credentials. */
  where(broker: B): string;
  /** Names the broker the same way for any scenario that reaches it (resource claims). */
  claimAddress(broker: B): string;
  /** The stack command's environment naming this broker's endpoints (a broker fault stops and starts it). */
  stackEnv(broker: B): Record<string, string>;
  /** The local stack's service that runs a broker of this kind, when it is not named after the kind (its descriptor's `stackService`). */
  readonly stackService?: string;
  /**
   * The local stack's broker of this kind keeps everything in memory (moto's server): after a stop
   * and start it has forgotten the run's resources, so the run declares them again. What the queues
   * held is gone with them.
   */
  readonly forgetsOnRestart?: boolean;
  /**
   * The link proxy of one service↔broker link: the addresses to stand in for, and the broker as
   * the service reaches it once `proxied[i]` (127.0.0.1:port) stands in for `targets[i]`.
   * Undefined when the link cannot be proxied (TLS). `advertised` asks the broker for more addresses.
   */
  linkProxy(broker: B, advertised: () => Promise<string[]>): Promise<LinkPlan | undefined>;
  /** The broker's endpoints as a run's manifest keeps them: without credentials. */
  manifestEndpoints(broker: B): Record<string, unknown>;
  /** The schema of this kind's entry in a run's manifest; its `kind` is the driver's. */
  readonly manifestEntry: M;
  /** The broker a manifest names, with the configured credentials where it is the configured broker. */
  fromManifest(endpoints: Record<string, unknown>, defaults: BrokerDefaults): B;
  /** Every resource the scenario has broker `name` use (pass it with its derived resources), for resource claims. */
  usedResources(scenario: Scenario, name: string): UsedResource[];
  /** The health probe of the configured broker of this kind, speaking its own protocol (every wait ≤ 2 s). */
  probe(config: Config): Promise<ProbeResult>;
  /** The configured endpoints of this kind that point away from the local stack: the home page's hint names these variables. */
  customEndpoints(config: AdviceConfig): { name: string; value: string }[];
  /** The broker's own tools, linked from the home page once it is up (RabbitMQ's management UI). */
  toolLinks?(config: AdviceConfig): { label: string; url: string }[];
  /**
   * Where the lessons' dead-letter reader peeks at a queue's messages and their death history
   * (RabbitMQ's x-death headers, through its management API). Kinds whose messages keep none lack it.
   */
  deadLetterHistory?(broker: B): { url: string; managementUrl: string };
  /** The connections the broker lists in the broker's vhost, with their users and TLS state (RabbitMQ's management API). */
  connections?(broker: B): Promise<ConnectionView[]>;
  /** An admin client of the broker (`clientId` names it to the broker where the broker shows names). */
  createAdmin(broker: B, factories: AdminFactories, clientId: string): DriverAdmin;
}

/** A resource a run uses: `attachOnly` when the run neither declares nor deletes it; `consumed` for a queue it takes messages from. */
export interface UsedResource {
  /** A channel is Redis Pub/Sub's: it holds nothing, so only subscribing to it can clash (resource-claims.ts). */
  kind: "queue" | "exchange" | "topic" | "group" | "channel";
  name: string;
  attachOnly: boolean;
  consumed?: boolean;
}

/** What a run created on one broker, as its manifest keeps it (the shape is the driver's). */
export type CreatedResources = unknown;

/** The broker's own view of a run: queue depth and consumers, consumer-group lag, and what could not be read. */
export interface BrokerReading {
  queues: QueueDepth[];
  lag: GroupLag[];
  errors: string[];
  /**
   * Set by a kind that cannot count its backlog: how long it may hold a delivered, unacked message
   * out of sight before delivering it again. A drain waits that long before calling unconsumed ids lost.
   */
  unseenForMs?: number;
}

/**
 * A broker's admin client as the engine and the faults use it, whatever its kind. The optional
 * members are capabilities a kind may lack; callers check for them instead of for a kind.
 */
export interface DriverAdmin {
  readonly kind: BrokerKind;
  /** What a run has created before `apply` creates anything. */
  noneCreated(): CreatedResources;
  /**
   * Declares what the scenario gives broker `name`, each resource looked for first. `onCreated`
   * hears everything created so far, as soon as one is; `existed` lists what was already there.
   */
  apply(scenario: Scenario, name: string, onCreated: (created: CreatedResources) => void): Promise<{ existed: RunResource[] }>;
  /** Deletes what `apply` created (as `onCreated` last told it); missing ones are ignored. */
  teardown(created: CreatedResources): Promise<void>;
  /** What `apply` created, named for the run's report. */
  createdRefs(name: string, created: CreatedResources): RunResource[];
  snapshot(scenario: Scenario, name: string): Promise<BrokerReading>;
  close(): Promise<void>;
  /** Closes, from the broker's side, the connections whose client-provided name starts with the prefix. */
  closeConnections?: RabbitAdmin["closeConnections"];
  queueStats?: RabbitAdmin["queueStats"];
  /** Publishes straight to a queue with confirms (a queue-filling fault). */
  publish?: RabbitAdmin["publish"];
  /** Reads messages without taking them away (dead-letter queues in the flight recorder). */
  peek?: RabbitAdmin["peek"];
  /** Addresses the broker advertises besides the bootstrap ones (the link proxy stands in for them too). */
  advertisedAddresses?: KafkaAdmin["clusterAddresses"];
  /** Prepares, before the run's consumers start, where they start reading; what it cannot do is told through `note`, not thrown. */
  beforeConsumers?(scenario: Scenario, name: string, note: (line: string) => void): Promise<void>;
  /** The queues of broker `name` that dead-lettered messages end in and no consumer of the scenario reads. */
  deadLetterQueues?(scenario: Scenario, name: string): string[];
}

export interface LinkPlan {
  targets: LinkTarget[];
  through(proxied: { address: string; port: number }[]): ResolvedBroker;
}

/** `host:port` split at its last colon, IPv6 brackets removed. */
export function splitAddress(address: string): LinkTarget {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

/** A broker URL without user and password and without a trailing slash ("" when unreadable): what manifests and claims keep. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "";
  }
}

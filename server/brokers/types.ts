// The broker adapters' surface as the engine sees it: admin clients that declare, inspect and
// tear down resources, and the one error type every adapter returns (a code and a retriable flag).
import type { RabbitResources, Topic } from "../../lib/scenario/schema";

export interface QueueStats { name: string; messages: number; ready: number; unacked: number; consumers: number }
/** A message read from a queue without taking it away (it is requeued at once). */
export interface PeekedMessage { messageId?: string; headers: Record<string, unknown>; redelivered: boolean }
export interface QueueMessage { messageId: string; body: Buffer; headers: Record<string, string | number | boolean> }
export interface PartitionLag { topic: string; partition: number; committed: number; high: number; lag: number }

/** What a declaration found: the resources it created, and those that were already there (used, never deleted). */
export interface Applied<T> { created: T; existed: T }

export interface RabbitAdmin {
  /**
   * Idempotent declare of exchanges, queues and bindings; `existing: true` ones are only checked
   * (passive). Each resource is first looked for; `onCreated` hears (all so far) as soon as one is created.
   */
  apply(resources: RabbitResources, onCreated?: (created: RabbitResources) => void): Promise<Applied<RabbitResources>>;
  /** Deletes the given resources (pass what apply created; never `existing` ones); missing ones are ignored. */
  teardown(resources: RabbitResources): Promise<void>;
  purge(queues: string[]): Promise<void>;
  /** From the management HTTP API; a missing queue is skipped. */
  queueStats(names: string[]): Promise<QueueStats[]>;
  /** Publishes persistent messages straight to a queue with confirms; resolves with the ids the broker confirmed. */
  publish(queue: string, messages: QueueMessage[]): Promise<string[]>;
  /** Up to `count` messages from the head of the queue, requeued at once (management API). */
  peek(queue: string, count: number): Promise<PeekedMessage[]>;
  /** Closes, from the broker's side, every connection whose client-provided name starts with `namePrefix` (waiting up to 7 s for the management API to list a new one); returns how many. */
  closeConnections(namePrefix: string, reason: string): Promise<number>;
  close(): Promise<void>;
}

export interface KafkaAdmin {
  /**
   * Creates missing topics and waits for their leaders; an existing topic with fewer partitions is
   * an error. Says which topics it created and which existed, and which of `groups` exist already.
   */
  apply(topics: Topic[], options?: { groups?: string[]; onCreated?: (created: Topic[]) => void }): Promise<Applied<Topic[]> & { groupsExisting: string[] }>;
  /** Deletes the given topics (pass what apply created; never `existing` ones) and consumer groups; missing ones are ignored. */
  teardown(topics: Topic[], groups?: string[]): Promise<void>;
  groupLag(group: string, topics: string[]): Promise<PartitionLag[]>;
  /** The timestamp (epoch ms) of the record at each position, by `topic\u0000partition` (record-timestamps.ts): how old the oldest unconsumed record is. */
  recordTimestamps?(positions: { topic: string; partition: number; offset: number }[]): Promise<Map<string, number>>;
  /**
   * Commits the current end offset for every partition of `topics` the group has no committed
   * offset for: a group that starts "from now" keeps that starting point when a member is killed
   * before its first commit (else the next member would start at the then-latest offset and skip
   * what came in between). Partitions with a committed offset are left alone.
   */
  pinStartOffsets(group: string, topics: string[]): Promise<void>;
  /** host:port of every broker the cluster advertises (clients connect to these after bootstrap). */
  clusterAddresses(): Promise<string[]>;
  close(): Promise<void>;
}

export type BrokerErrorCode = "BROKER_UNAVAILABLE" | "CONFLICT" | "INVALID_INPUT" | "NOT_FOUND" | "INTERNAL";

export class BrokerError extends Error {
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BrokerError";
  }
}

export const isBrokerError = (value: unknown): value is BrokerError => value instanceof BrokerError;

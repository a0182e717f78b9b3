// The broker adapters' surface as the engine sees it: admin clients that declare, inspect and
// tear down resources, and the one error type every adapter returns (a code and a retriable flag).
import type { RabbitResources, Topic } from "../../lib/scenario/schema";

export interface QueueStats { name: string; messages: number; ready: number; unacked: number; consumers: number }
export interface PartitionLag { topic: string; partition: number; committed: number; high: number; lag: number }

export interface RabbitAdmin {
  /** Idempotent declare of exchanges, queues and bindings; `existing: true` ones are only checked (passive). */
  apply(resources: RabbitResources): Promise<void>;
  /** Deletes what apply declared (never `existing` ones); missing ones are ignored. */
  teardown(resources: RabbitResources): Promise<void>;
  purge(queues: string[]): Promise<void>;
  /** From the management HTTP API; a missing queue is skipped. */
  queueStats(names: string[]): Promise<QueueStats[]>;
  close(): Promise<void>;
}

export interface KafkaAdmin {
  /** Creates missing topics and waits for their leaders; an existing topic with fewer partitions is an error. */
  apply(topics: Topic[]): Promise<void>;
  teardown(topics: Topic[]): Promise<void>;
  groupLag(group: string, topics: string[]): Promise<PartitionLag[]>;
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

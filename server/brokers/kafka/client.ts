// The one place a kafkajs client is built: quiet logging routed to a logger (WARN and up),
// bounded retries with backoff, and errors mapped to BrokerErrors.
import { Kafka, logLevel } from "kafkajs";
import type { KafkaConfig, LogEntry } from "kafkajs";
import { BrokerError } from "../types";

export type BrokerLogger = (level: "warn" | "error", message: string) => void;

const defaultLogger: BrokerLogger = (level, message) => process.stderr.write(`[kafka ${level}] ${message}\n`);

export interface KafkaClientOptions {
  brokers: string[];
  clientId?: string;
  logger?: BrokerLogger;
  /** Replaces kafkajs' socket factory (the fault proxy uses this). */
  socketFactory?: KafkaConfig["socketFactory"];
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.logger ?? defaultLogger;
  return new Kafka({
    brokers: options.brokers,
    clientId: options.clientId ?? "brokerlab",
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 5, factor: 0.2, multiplier: 2 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (entry.level > logLevel.WARN) return;
      const { message, error } = entry.log as { message: string; error?: string };
      log(entry.level === logLevel.ERROR ? "error" : "warn", `${entry.namespace}: ${message}${error ? ` (${error})` : ""}`);
    },
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  });
}

const connectionErrors = /KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded|KafkaJSBrokerNotFound|KafkaJSRequestTimeoutError|ECONNREFUSED|Connection timeout|Closed connection/;

export function kafkaUnavailable(brokers: string[], cause: unknown): BrokerError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BrokerError(
    "BROKER_UNAVAILABLE",
    `Kafka at ${brokers.join(",")} is not reachable (${reason}); start it with \`npm run stack:up -- kafka\` or set KAFKA_BROKERS`,
    true,
    { cause },
  );
}

/** Maps a kafkajs error to a BrokerError; `what` names the operation. */
export function toKafkaError(error: unknown, brokers: string[], what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const retriable = Boolean(error && typeof error === "object" && "retriable" in error && (error as { retriable: unknown }).retriable);
  const type = error && typeof error === "object" && "type" in error ? String((error as { type: unknown }).type) : "";
  if (connectionErrors.test(`${name} ${message}`)) return kafkaUnavailable(brokers, error);
  if (type === "TOPIC_ALREADY_EXISTS") return new BrokerError("CONFLICT", `${what}: ${message}`, false, { cause: error });
  if (type === "UNKNOWN_TOPIC_OR_PARTITION") return new BrokerError("NOT_FOUND", `${what}: ${message}`, true, { cause: error });
  if (type === "INVALID_REPLICATION_FACTOR" || type === "INVALID_CONFIG" || type === "INVALID_PARTITIONS" || type === "INVALID_TOPIC_EXCEPTION") {
    return new BrokerError("INVALID_INPUT", `${what}: ${message}`, false, { cause: error });
  }
  return new BrokerError("INTERNAL", `${what}: ${message}`, retriable, { cause: error });
}

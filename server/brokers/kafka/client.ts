// The one place a kafkajs client is built: quiet logging routed to a logger (WARN and up),
// bounded retries with backoff, and errors mapped to BrokerErrors.
import { connect as netConnect, isIP } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { Kafka, logLevel } from "kafkajs";
import type { ISocketFactory, KafkaConfig, LogEntry } from "kafkajs";
import { BrokerError } from "../types";

export type BrokerLogger = (level: "warn" | "error", message: string) => void;

const defaultLogger: BrokerLogger = (level, message) => process.stderr.write(`[kafka ${level}] ${message}\n`);

export interface KafkaClientOptions {
  brokers: string[];
  clientId?: string;
  logger?: BrokerLogger;
  /** Replaces kafkajs' socket factory (the fault proxy uses this). */
  socketFactory?: KafkaConfig["socketFactory"];
  /** A learner's credentials on the stack's learner listener (SASL/PLAIN; classroom mode). */
  sasl?: KafkaLearnerLogin;
}

export interface KafkaLearnerLogin {
  mechanism: "plain";
  username: string;
  password: string;
}

/**
 * A socket factory that connects to `redirect[host:port]` instead of the broker address kafkajs
 * asks for. kafkajs bootstraps, then connects to each broker's advertised address: redirecting
 * every one of them is what keeps all of a client's traffic on its fault proxy. An address
 * without a redirect is connected directly and reported once.
 */
export function redirectingSocketFactory(redirect: Record<string, string>, onUnknown?: (address: string) => void): ISocketFactory {
  const reported = new Set<string>();
  return ({ host, port, ssl, onConnect }) => {
    const target = redirect[`${host}:${port}`];
    if (!target && !reported.has(`${host}:${port}`)) {
      reported.add(`${host}:${port}`);
      onUnknown?.(`${host}:${port}`);
    }
    const at = target?.lastIndexOf(":") ?? -1;
    const to = target ? { host: target.slice(0, at), port: Number(target.slice(at + 1)) } : { host, port };
    const socket = ssl
      ? tlsConnect({ ...to, ...(!isIP(host) ? { servername: host } : {}), ...ssl }, onConnect)
      : netConnect(to, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
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
    ...(options.sasl ? { sasl: { ...options.sasl } } : {}),
  });
}

// A broker that is down, restarting or moving leadership: worth trying again once it is back.
const connectionErrors = /KafkaJSConnectionError|KafkaJSConnectionClosedError|KafkaJSNumberOfRetriesExceeded|KafkaJSBrokerNotFound|KafkaJSRequestTimeoutError|ECONNREFUSED|ECONNRESET|EPIPE|Connection error|Connection timeout|Closed connection|not the leader|leadership election|coordinator is (loading|not available)/;

/** The error and its causes, as text ("name message" each). */
function describeChain(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 3) return error instanceof Error ? "" : String(error);
  return `${error.name} ${error.message} ${describeChain((error as { cause?: unknown }).cause, depth + 1)}`;
}

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
  if (connectionErrors.test(`${name} ${message} ${describeChain(error)}`)) return kafkaUnavailable(brokers, error);
  if (type === "TOPIC_ALREADY_EXISTS") return new BrokerError("CONFLICT", `${what}: ${message}`, false, { cause: error });
  if (type === "UNKNOWN_TOPIC_OR_PARTITION") return new BrokerError("NOT_FOUND", `${what}: ${message}`, true, { cause: error });
  if (type === "INVALID_REPLICATION_FACTOR" || type === "INVALID_CONFIG" || type === "INVALID_PARTITIONS" || type === "INVALID_TOPIC_EXCEPTION") {
    return new BrokerError("INVALID_INPUT", `${what}: ${message}`, false, { cause: error });
  }
  return new BrokerError("INTERNAL", `${what}: ${message}`, retriable, { cause: error });
}

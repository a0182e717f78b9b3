// A small client for the RabbitMQ management HTTP API: the existing definition of a queue or
// exchange (to explain a PRECONDITION_FAILED) and queue statistics. Every response is zod-parsed.
import { z } from "zod";
import { BrokerError } from "../types";

const argumentsSchema = z.record(z.string(), z.unknown()).default({});

export const managementQueueSchema = z.object({
  name: z.string(),
  vhost: z.string(),
  type: z.string().default("classic"),
  durable: z.boolean(),
  auto_delete: z.boolean(),
  arguments: argumentsSchema,
  // Counters appear with the first statistics emission, a few seconds after a declare.
  messages: z.number().default(0),
  messages_ready: z.number().default(0),
  messages_unacknowledged: z.number().default(0),
  consumers: z.number().default(0),
});

export const managementExchangeSchema = z.object({
  name: z.string(),
  type: z.string(),
  durable: z.boolean(),
  auto_delete: z.boolean(),
  arguments: argumentsSchema,
});

export type ManagementQueue = z.output<typeof managementQueueSchema>;
export type ManagementExchange = z.output<typeof managementExchangeSchema>;

export interface ManagementClient {
  /** undefined when the queue does not exist. */
  queue(name: string): Promise<ManagementQueue | undefined>;
  exchange(name: string): Promise<ManagementExchange | undefined>;
}

/** `amqp://user:pass@host:5672/vhost` → the vhost ("/" when the path is empty). */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : "/";
}

/** The URL without its credentials, safe for messages and span attributes. */
export function censorUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "<invalid url>";
  }
}

export function createManagementClient(options: { managementUrl: string; vhost: string; timeoutMs?: number }): ManagementClient {
  const base = new URL(options.managementUrl);
  const username = decodeURIComponent(base.username || "guest");
  const password = decodeURIComponent(base.password || "guest");
  base.username = "";
  base.password = "";
  const root = base.toString().replace(/\/+$/, "");
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const vhost = encodeURIComponent(options.vhost);

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        headers: { authorization, accept: "application/json" },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new BrokerError(
        "BROKER_UNAVAILABLE",
        `RabbitMQ management API at ${censorUrl(options.managementUrl)} is not reachable; start it with \`npm run stack:up -- rabbitmq\` or set RABBITMQ_MANAGEMENT_URL`,
        true,
        { cause: error },
      );
    }
    if (response.status === 404) return undefined;
    if (response.status === 401) {
      throw new BrokerError("BROKER_UNAVAILABLE", "RabbitMQ management API refused the credentials in RABBITMQ_MANAGEMENT_URL", false);
    }
    if (!response.ok) {
      throw new BrokerError("INTERNAL", `RabbitMQ management API answered ${response.status} for ${path}`, response.status >= 500);
    }
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new BrokerError("INTERNAL", `unexpected answer from the RabbitMQ management API for ${path}: ${parsed.error.issues[0]?.message ?? "invalid"}`, false);
    }
    return parsed.data;
  }

  return {
    queue: (name) => get(`/api/queues/${vhost}/${encodeURIComponent(name)}`, managementQueueSchema),
    exchange: (name) => get(`/api/exchanges/${vhost}/${encodeURIComponent(name)}`, managementExchangeSchema),
  };
}

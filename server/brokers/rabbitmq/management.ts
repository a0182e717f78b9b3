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

const managementConnectionsSchema = z.array(z.object({
  name: z.string(),
  vhost: z.string().optional(),
  user: z.string().optional(),
  client_properties: z.object({ connection_name: z.string().optional() }).catchall(z.unknown()).optional(),
  ssl: z.boolean().optional(),
  ssl_protocol: z.string().nullish(),
  ssl_cipher: z.string().nullish(),
}));

/** A connection as the broker sees it: who opened it, and whether it speaks TLS (with which protocol and cipher). */
export interface ManagementConnection {
  name: string;
  clientName?: string;
  user?: string;
  tls?: { protocol?: string; cipher?: string };
}

/** RabbitMQ's three permissions of a user in a vhost, each a regular expression over resource names. */
export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

const peekedSchema = z.array(z.object({
  redelivered: z.boolean().default(false),
  properties: z.object({ message_id: z.string().optional(), headers: z.record(z.string(), z.unknown()).default({}) }).catchall(z.unknown()).default({ headers: {} }),
}));

export type ManagementQueue = z.output<typeof managementQueueSchema>;
export type ManagementExchange = z.output<typeof managementExchangeSchema>;

export interface ManagementClient {
  /** undefined when the queue does not exist. */
  queue(name: string): Promise<ManagementQueue | undefined>;
  exchange(name: string): Promise<ManagementExchange | undefined>;
  /** Connections of this vhost with their client-provided names, users and TLS state. */
  connections(): Promise<ManagementConnection[]>;
  /** Creates (or replaces) a user without tags, so it cannot use the management API, with these permissions in this vhost. */
  putUser(name: string, password: string, permissions: Permissions): Promise<void>;
  /** Deletes a user and its permissions; false when there was none. */
  deleteUser(name: string): Promise<boolean>;
  /** Creates this client's vhost (nothing happens when it exists); the management user gets full permissions in it. */
  putVhost(): Promise<void>;
  /** Deletes this client's vhost with everything in it; false when there was none. */
  deleteVhost(): Promise<boolean>;
  /** Closes a connection from the broker's side; false when it was already gone. */
  closeConnection(name: string, reason: string): Promise<boolean>;
  /** Reads messages from the head of a queue and requeues them at once. */
  peek(queue: string, count: number): Promise<z.output<typeof peekedSchema>>;
  /** Bindings from an exchange to a queue (empty when either is missing). */
  bindings(exchange: string, queue: string): Promise<{ routingKey: string; arguments: Record<string, unknown> }[]>;
}

const managementBindingsSchema = z.array(z.object({ routing_key: z.string(), arguments: z.record(z.string(), z.unknown()).nullish() }));

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

  async function get<T>(path: string, schema: z.ZodType<T>, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization, accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
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
    if (response.status === 204 || response.status === 201) return schema.parse(undefined);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new BrokerError("INTERNAL", `unexpected answer from the RabbitMQ management API for ${path}: ${parsed.error.issues[0]?.message ?? "invalid"}`, false);
    }
    return parsed.data;
  }

  return {
    queue: (name) => get(`/api/queues/${vhost}/${encodeURIComponent(name)}`, managementQueueSchema),
    exchange: (name) => get(`/api/exchanges/${vhost}/${encodeURIComponent(name)}`, managementExchangeSchema),
    async connections() {
      const list = (await get(`/api/vhosts/${vhost}/connections?columns=name,vhost,user,client_properties,ssl,ssl_protocol,ssl_cipher`, managementConnectionsSchema)) ?? [];
      return list.map((c) => ({
        name: c.name,
        clientName: c.client_properties?.connection_name,
        user: c.user,
        ...(c.ssl ? { tls: { protocol: c.ssl_protocol ?? undefined, cipher: c.ssl_cipher ?? undefined } } : {}),
      }));
    },
    async putUser(name, password, permissions) {
      const user = encodeURIComponent(name);
      await get(`/api/users/${user}`, z.unknown(), { method: "PUT", body: { password, tags: "" } });
      await get(`/api/permissions/${vhost}/${user}`, z.unknown(), { method: "PUT", body: permissions });
    },
    async deleteUser(name) {
      const deleted = await get(`/api/users/${encodeURIComponent(name)}`, z.unknown().transform(() => true), { method: "DELETE" });
      return deleted === true;
    },
    async putVhost() {
      await get(`/api/vhosts/${vhost}`, z.unknown(), { method: "PUT", body: { description: "Brokerlab classroom learner" } });
    },
    async deleteVhost() {
      const deleted = await get(`/api/vhosts/${vhost}`, z.unknown().transform(() => true), { method: "DELETE" });
      return deleted === true;
    },
    async closeConnection(name, reason) {
      const closed = await get(`/api/connections/${encodeURIComponent(name)}`, z.unknown().transform(() => true), { method: "DELETE", headers: { "x-reason": reason.replace(/[^\x20-\x7e]/g, "?") } });
      return closed === true;
    },
    async peek(queue, count) {
      const body = { count, ackmode: "ack_requeue_true", encoding: "auto", truncate: 2_048 };
      return (await get(`/api/queues/${vhost}/${encodeURIComponent(queue)}/get`, peekedSchema, { method: "POST", body })) ?? [];
    },
    async bindings(exchange, queue) {
      const list = (await get(`/api/bindings/${vhost}/e/${encodeURIComponent(exchange)}/q/${encodeURIComponent(queue)}`, managementBindingsSchema)) ?? [];
      return list.map((b) => ({ routingKey: b.routing_key, arguments: b.arguments ?? {} }));
    },
  };
}

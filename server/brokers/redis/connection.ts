// One node-redis connection with Brokerlab's habits: a short connect timeout, reconnects with capped
// backoff, no offline queue (a command while disconnected fails at once, so a sender can say so and
// send again), and socket errors as BrokerErrors that name the server and what to do.
import { createClient } from "redis";
import { withoutCredentials } from "../driver";
import { BrokerError } from "../types";

const openClient = (url: string, name: string) =>
  createClient({
    url,
    name,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000) + Math.floor(Math.random() * 100) },
  });

export type RedisConnection = ReturnType<typeof openClient>;

const networkCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/** Any error of a Redis call as a BrokerError; `what` names the call ("XADD to \"orders\""). */
export function toRedisError(error: unknown, url: string, what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const offline = (typeof code === "string" && networkCodes.has(code)) || /closed|offline|not connected|Socket|ECONN|timeout/i.test(message);
  if (offline) {
    return new BrokerError("BROKER_UNAVAILABLE", `Cannot ${what}: Redis at ${withoutCredentials(url)} is not reachable (${message}); start it with \`npm run stack:up -- redis\` or set REDIS_URL`, true, { cause: error });
  }
  if (/^NOGROUP/.test(message)) return new BrokerError("NOT_FOUND", `Cannot ${what}: ${message}`, true, { cause: error });
  return new BrokerError("INTERNAL", `Cannot ${what}: ${message}`, false, { cause: error });
}

export interface ConnectionOptions {
  url: string;
  /** The client name Redis shows in CLIENT LIST. */
  name: string;
  onError?: (error: BrokerError) => void;
  /** Connected again after a loss ("connected"), or lost ("reconnecting", with why). */
  onState?: (status: "connected" | "reconnecting", detail?: string) => void;
}

export function createRedisConnection(options: ConnectionOptions): RedisConnection {
  const client = openClient(options.url, options.name);
  let lost = false;
  // node-redis throws an unhandled 'error' event without a listener; each loss is reported once.
  client.on("error", (error: unknown) => {
    if (lost) return;
    lost = true;
    const failure = toRedisError(error, options.url, "keep the connection");
    options.onState?.("reconnecting", failure.message);
    options.onError?.(failure);
  });
  client.on("ready", () => {
    if (!lost) return;
    lost = false;
    options.onState?.("connected");
  });
  return client;
}

/** Connects, with the error as a BrokerError; the client keeps reconnecting by itself afterwards. */
export async function connectRedis(client: RedisConnection, url: string): Promise<RedisConnection> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.destroy();
    throw toRedisError(error, url, "connect");
  }
}

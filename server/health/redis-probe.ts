// The health probe of Redis: the local stack's redis-server by default, another through REDIS_URL.
// A PING answered PONG proves Redis answers, not merely something on the port; INFO names its version.
import { createClient } from "redis";
import type { Config } from "../config";
import { reason, withoutCredentials, type ProbeResult } from "./probes";

export async function probeRedis(config: Pick<Config, "REDIS_URL">): Promise<ProbeResult> {
  const url = withoutCredentials(config.REDIS_URL);
  // No reconnects: a probe answers once, within 2 s.
  const client = createClient({ url: config.REDIS_URL, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== "PONG") throw new Error(`PING answered ${JSON.stringify(pong)}, not PONG`);
    const version = /redis_version:(\S+)/.exec(await client.info("server"))?.[1];
    const keys = await client.dbSize();
    return { up: true, url, version, detail: `PING answered (${keys} key${keys === 1 ? "" : "s"})` };
  } catch (error) {
    return { up: false, url, detail: `Redis ${url}: ${reason(error)}` };
  } finally {
    client.destroy();
  }
}

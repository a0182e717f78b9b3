// Redis as a broker driver: one redis:// URL per broker (the local stack's redis-server by default).
// A redis:// (not TLS) URL can go through the link proxy. The local server keeps nothing on disk, so
// after a stop and start the run declares its streams and groups again (forgetsOnRestart).
import { z } from "zod";
import { redisDescriptor } from "../../../lib/brokers/redis";
import { isLocalUrl } from "../../health/local-endpoints";
import { probeRedis } from "../../health/redis-probe";
import { withoutCredentials, type BrokerDefaults, type BrokerDriver, type BrokerEndpoint, type ResolvedBrokerOf, type ScenarioBrokerOf } from "../driver";
import { createRedisAdmin, redisUsedResources } from "./admin";

const endpointOf = (value: string): BrokerEndpoint => ({ field: "url", value, form: "url" });

function resolveRedis(entry: ScenarioBrokerOf<"redis">, defaults: BrokerDefaults): ResolvedBrokerOf<"redis"> {
  const url = entry.url ?? defaults.redisUrl;
  if (!url) throw new Error("No Redis server is configured: set REDIS_URL, or give the redis broker entry a url");
  return { kind: "redis", url };
}

/** What a run created (CreatedRedis); each list may be absent in a manifest written mid-apply. */
const redisManifestEntry = z.object({
  kind: z.literal("redis"),
  url: z.string(),
  created: z.object({
    streams: z.array(z.string()).default([]),
    groups: z.array(z.object({ stream: z.string(), group: z.string() })).default([]),
  }),
});

export const redisDriver: BrokerDriver<ResolvedBrokerOf<"redis">, ScenarioBrokerOf<"redis">, typeof redisManifestEntry> = {
  kind: "redis",
  resolve: resolveRedis,
  configuredEndpoints: (defaults) => (defaults.redisUrl ? [endpointOf(defaults.redisUrl)] : []),
  entryEndpoints: (entry) => (entry.url ? [endpointOf(entry.url)] : []),
  endpoints: (broker) => [endpointOf(broker.url)],
  where: (broker) => new URL(broker.url).host,
  claimAddress: (broker) => `redis ${withoutCredentials(broker.url)}`,
  stackEnv: (broker) => ({ REDIS_URL: broker.url }),
  stackService: redisDescriptor.stackService,
  forgetsOnRestart: true,
  manifestEndpoints: (broker) => ({ url: withoutCredentials(broker.url) }),
  manifestEntry: redisManifestEntry,
  // The configured URL keeps its password; a manifest never holds one.
  fromManifest: (endpoints, defaults) => {
    const url = String(endpoints.url);
    return { kind: "redis", url: defaults.redisUrl && withoutCredentials(defaults.redisUrl) === url ? defaults.redisUrl : url };
  },
  usedResources: redisUsedResources,
  probe: (config) => probeRedis(config),
  customEndpoints: (config) => (isLocalUrl(config.REDIS_URL, "6379") ? [] : [{ name: "REDIS_URL", value: config.REDIS_URL }]),
  createAdmin: (broker, _factories, clientId) => createRedisAdmin(broker.url, clientId),
  linkProxy(broker) {
    const url = new URL(broker.url);
    // Over TLS the proxy would break the certificate's host check: not proxied.
    if (url.protocol !== "redis:") return Promise.resolve(undefined);
    return Promise.resolve({
      targets: [{ host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 6379 }],
      through: ([proxy]) => {
        const proxied = new URL(broker.url);
        proxied.hostname = "127.0.0.1";
        proxied.port = String(proxy!.port);
        return { ...broker, url: proxied.toString() };
      },
    });
  },
};

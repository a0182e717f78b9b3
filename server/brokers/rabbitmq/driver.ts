// RabbitMQ as a broker driver: an AMQP URL and a management API URL per broker, one TCP link per
// service (rewritten to the proxy's port when link faults are on).
import { z } from "zod";
import { bindingSchema, exchangeSchema, queueSchema } from "../../../lib/brokers/rabbitmq";
import { isLocalUrl } from "../../health/local-endpoints";
import { probeRabbitmq } from "../../health/probes";
import { rabbitDriverAdmin, rabbitUsedResources } from "./driver-admin";
import { createManagementClient, vhostOf } from "./management";
import { stackCaFile, stackTlsUrl } from "./tls";
import { withoutCredentials, type BrokerDriver, type BrokerEndpoint, type ResolvedBrokerOf, type ScenarioBrokerOf } from "../driver";

/** The configured URL (with its credentials) when it names the same place as the manifest's; else the manifest's. */
const withConfiguredCredentials = (stored: string, configured: string) => (withoutCredentials(configured) === stored ? configured : stored);

const urlEndpoint = (field: string, value: string): BrokerEndpoint => ({ field, value, form: "url" });

const rabbitManifestEntry = z.object({
  kind: z.literal("rabbitmq"),
  /** Without credentials; the cleanup takes them from the configured URL with the same address. */
  url: z.string(),
  managementUrl: z.string(),
  created: z.object({ exchanges: z.array(exchangeSchema), queues: z.array(queueSchema), bindings: z.array(bindingSchema) }),
});

export const rabbitDriver: BrokerDriver<ResolvedBrokerOf<"rabbitmq">, ScenarioBrokerOf<"rabbitmq">, typeof rabbitManifestEntry> = {
  kind: "rabbitmq",
  resolve: (entry, defaults) => ({
    kind: "rabbitmq",
    url: entry.url ?? defaults.rabbitUrl,
    managementUrl: entry.managementUrl ?? defaults.rabbitManagementUrl,
    ...(entry.tlsCa === "stack" ? { caFile: stackCaFile() } : {}),
  }),
  // The local stack's TLS listener beside the configured broker is the same broker, reached over TLS.
  configuredEndpoints: (defaults) => {
    const tls = stackTlsUrl(defaults.rabbitUrl);
    return [urlEndpoint("url", defaults.rabbitUrl), urlEndpoint("managementUrl", defaults.rabbitManagementUrl), ...(tls ? [urlEndpoint("url", tls)] : [])];
  },
  entryEndpoints: (entry) => [
    ...(entry.url ? [urlEndpoint("url", entry.url)] : []),
    ...(entry.managementUrl ? [urlEndpoint("managementUrl", entry.managementUrl)] : []),
  ],
  endpoints: (broker) => [urlEndpoint("url", broker.url), urlEndpoint("managementUrl", broker.managementUrl)],
  where: (broker) => new URL(broker.url).host,
  claimAddress: (broker) => `amqp ${withoutCredentials(broker.url)}`,
  stackEnv: (broker) => ({ RABBITMQ_URL: broker.url, RABBITMQ_MANAGEMENT_URL: broker.managementUrl }),
  manifestEndpoints: (broker) => ({ url: withoutCredentials(broker.url), managementUrl: withoutCredentials(broker.managementUrl) }),
  manifestEntry: rabbitManifestEntry,
  fromManifest: (endpoints, defaults) => ({ kind: "rabbitmq", url: withConfiguredCredentials(String(endpoints.url), defaults.rabbitUrl), managementUrl: withConfiguredCredentials(String(endpoints.managementUrl), defaults.rabbitManagementUrl) }),
  usedResources: rabbitUsedResources,
  probe: (config) => probeRabbitmq(config),
  customEndpoints: (config) => [
    ...(isLocalUrl(config.RABBITMQ_URL, "5672") ? [] : [{ name: "RABBITMQ_URL", value: config.RABBITMQ_URL }]),
    ...(isLocalUrl(config.RABBITMQ_MANAGEMENT_URL, "15672") ? [] : [{ name: "RABBITMQ_MANAGEMENT_URL", value: config.RABBITMQ_MANAGEMENT_URL }]),
  ],
  deadLetterHistory: (broker) => ({ url: broker.url, managementUrl: broker.managementUrl }),
  connections: (broker) => createManagementClient({ managementUrl: broker.managementUrl, vhost: vhostOf(broker.url) }).connections(),
  toolLinks: (config) => [{ label: "RabbitMQ management UI", url: config.RABBITMQ_MANAGEMENT_URL }],
  createAdmin: (broker, factories) => rabbitDriverAdmin(factories.createRabbitAdmin({ url: broker.url, managementUrl: broker.managementUrl, ...(broker.caFile ? { caFile: broker.caFile } : {}) })),
  linkProxy(broker) {
    const url = new URL(broker.url);
    // Over TLS (amqps) the proxy would break host verification: such links are not proxied.
    if (url.protocol !== "amqp:") return Promise.resolve(undefined);
    return Promise.resolve({
      targets: [{ host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 5672 }],
      // The URL with its host and port replaced by the proxy's; credentials, vhost and options stay.
      through([proxy]) {
        const through = new URL(broker.url);
        through.hostname = "127.0.0.1";
        through.port = String(proxy!.port);
        return { ...broker, url: through.toString() };
      },
    });
  },
};

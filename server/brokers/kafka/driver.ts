// Kafka as a broker driver: a bootstrap list per broker; a link proxy stands in for every bootstrap
// and advertised broker address, and the service's socket factory redirects each to its proxy.
import { z } from "zod";
import { topicSchema } from "../../../lib/brokers/kafka";
import { isLocalAddress } from "../../health/local-endpoints";
import { probeKafka } from "../../health/probes";
import { kafkaDriverAdmin, kafkaUsedResources } from "./driver-admin";
import { splitAddress, type BrokerDriver, type ResolvedBrokerOf, type ScenarioBrokerOf, type BrokerEndpoint } from "../driver";

const addressEndpoints = (addresses: string[]): BrokerEndpoint[] => addresses.map((value, i) => ({ field: `brokers[${i}]`, value, form: "address" }));

const kafkaManifestEntry = z.object({
  kind: z.literal("kafka"),
  brokers: z.array(z.string()),
  created: z.object({ topics: z.array(topicSchema), groups: z.array(z.string()) }),
});

export const kafkaDriver: BrokerDriver<ResolvedBrokerOf<"kafka">, ScenarioBrokerOf<"kafka">, typeof kafkaManifestEntry> = {
  kind: "kafka",
  resolve: (entry, defaults) => ({ kind: "kafka", brokers: entry.brokers ?? defaults.kafkaBrokers }),
  configuredEndpoints: (defaults) => addressEndpoints(defaults.kafkaBrokers),
  entryEndpoints: (entry) => addressEndpoints(entry.brokers ?? []),
  endpoints: (broker) => addressEndpoints(broker.brokers),
  where: (broker) => broker.brokers.join(","),
  claimAddress: (broker) => `kafka ${[...broker.brokers].sort().join(",")}`,
  stackEnv: (broker) => ({ KAFKA_BROKERS: broker.brokers.join(",") }),
  manifestEndpoints: (broker) => ({ brokers: broker.brokers }),
  manifestEntry: kafkaManifestEntry,
  fromManifest: (endpoints) => ({ kind: "kafka", brokers: endpoints.brokers as string[] }),
  usedResources: kafkaUsedResources,
  probe: (config) => probeKafka(config),
  customEndpoints: (config) => (config.KAFKA_BROKERS.every((address) => isLocalAddress(address, "9092")) ? [] : [{ name: "KAFKA_BROKERS", value: config.KAFKA_BROKERS.join(",") }]),
  createAdmin: (broker, factories, clientId) => kafkaDriverAdmin(factories.createKafkaAdmin({ brokers: broker.brokers, clientId })),
  async linkProxy(broker, advertised) {
    // Clients connect to the advertised brokers after bootstrap: each needs a proxy of its own.
    const addresses = [...new Set([...broker.brokers, ...(await advertised().catch(() => []))])];
    return {
      targets: addresses.map(splitAddress),
      through: (proxied) => ({ ...broker, redirect: Object.fromEntries(addresses.map((address, i) => [address, proxied[i]!.address])) }),
    };
  },
};

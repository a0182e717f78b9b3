// Kafka as a broker driver: a bootstrap list per broker; a link proxy stands in for every bootstrap
// and advertised broker address, and the service's socket factory redirects each to its proxy.
import { probeKafka } from "../../health/probes";
import { kafkaDriverAdmin, kafkaUsedResources } from "./driver-admin";
import { splitAddress, type BrokerDriver, type ResolvedBrokerOf, type ScenarioBrokerOf, type BrokerEndpoint } from "../driver";

const addressEndpoints = (addresses: string[]): BrokerEndpoint[] => addresses.map((value, i) => ({ field: `brokers[${i}]`, value, form: "address" }));

export const kafkaDriver: BrokerDriver<ResolvedBrokerOf<"kafka">, ScenarioBrokerOf<"kafka">> = {
  kind: "kafka",
  resolve: (entry, defaults) => ({ kind: "kafka", brokers: entry.brokers ?? defaults.kafkaBrokers }),
  configuredEndpoints: (defaults) => addressEndpoints(defaults.kafkaBrokers),
  entryEndpoints: (entry) => addressEndpoints(entry.brokers ?? []),
  endpoints: (broker) => addressEndpoints(broker.brokers),
  where: (broker) => broker.brokers.join(","),
  claimAddress: (broker) => `kafka ${[...broker.brokers].sort().join(",")}`,
  stackEnv: (broker) => ({ KAFKA_BROKERS: broker.brokers.join(",") }),
  manifestEndpoints: (broker) => ({ brokers: broker.brokers }),
  fromManifest: (endpoints) => ({ kind: "kafka", brokers: endpoints.brokers as string[] }),
  usedResources: kafkaUsedResources,
  probe: (config) => probeKafka(config),
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

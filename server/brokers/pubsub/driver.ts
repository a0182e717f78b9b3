// Google Cloud Pub/Sub as a broker driver: one emulator (host:port, plain gRPC) and a project per
// broker entry; the entry's own, else PUBSUB_EMULATOR_HOST and PUBSUB_PROJECT_ID. The link proxy
// stands in for the emulator's port. The emulator keeps everything in memory: after a broker fault
// stops and starts it, the run declares its topics and subscriptions again, and what they held is gone.
import { z } from "zod";
import { pubsubDescriptor } from "../../../lib/brokers/pubsub";
import { splitAddress, type BrokerDriver, type BrokerEndpoint, type ResolvedBrokerOf, type ScenarioBrokerOf } from "../driver";
import { pubsubDriverAdmin, pubsubUsedResources } from "./admin";
import { probePubsub } from "./probe";
import { defaultEmulatorHost, pubsubSettings } from "./settings";

const endpointOf = (value: string): BrokerEndpoint => ({ field: "emulatorHost", value, form: "address" });

/** The configured emulator: the environment's, read once per call so a test may set it. */
const configured = () => pubsubSettings();

const pubsubManifestEntry = z.object({
  kind: z.literal("pubsub"),
  emulatorHost: z.string(),
  project: z.string(),
  created: z.object({ topics: z.array(z.string()).default([]), subscriptions: z.array(z.string()).default([]) }),
});

export const pubsubDriver: BrokerDriver<ResolvedBrokerOf<"pubsub">, ScenarioBrokerOf<"pubsub">, typeof pubsubManifestEntry> = {
  kind: "pubsub",
  resolve: (entry) => ({ kind: "pubsub", emulatorHost: entry.emulatorHost ?? configured().emulatorHost, project: entry.project ?? configured().project }),
  configuredEndpoints: () => [endpointOf(configured().emulatorHost)],
  entryEndpoints: (entry) => (entry.emulatorHost ? [endpointOf(entry.emulatorHost)] : []),
  endpoints: (broker) => [endpointOf(broker.emulatorHost)],
  where: (broker) => `${broker.emulatorHost} (project ${broker.project})`,
  claimAddress: (broker) => `pubsub ${broker.emulatorHost} ${broker.project}`,
  stackEnv: (broker) => ({ PUBSUB_EMULATOR_HOST: broker.emulatorHost, PUBSUB_PROJECT_ID: broker.project }),
  stackService: pubsubDescriptor.stackService,
  forgetsOnRestart: true,
  manifestEndpoints: (broker) => ({ emulatorHost: broker.emulatorHost, project: broker.project }),
  manifestEntry: pubsubManifestEntry,
  fromManifest: (endpoints) => ({ kind: "pubsub", emulatorHost: String(endpoints.emulatorHost), project: String(endpoints.project) }),
  usedResources: pubsubUsedResources,
  probe: () => probePubsub(configured()),
  customEndpoints: () => {
    const host = process.env.PUBSUB_EMULATOR_HOST?.trim();
    return host && host !== defaultEmulatorHost ? [{ name: "PUBSUB_EMULATOR_HOST", value: host }] : [];
  },
  createAdmin: (broker) => pubsubDriverAdmin({ emulatorHost: broker.emulatorHost, project: broker.project }),
  linkProxy: (broker) =>
    Promise.resolve({
      targets: [splitAddress(broker.emulatorHost)],
      through: ([proxy]) => ({ ...broker, emulatorHost: `127.0.0.1:${proxy!.port}` }),
    }),
};

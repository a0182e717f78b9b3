// Google Cloud Pub/Sub's part of a service process set up before its client library loads. No
// instrumentation package: the library traces itself (enableOpenTelemetryTracing), and the sender
// and subscriber add Brokerlab's PRODUCER and CONSUMER spans (server/brokers/pubsub/spans.ts).
import type { ClientSetup } from "./client-setups";

export const pubsubClientSetup: ClientSetup = {
  instrumentations: () => [],
  loadDriver: async () => (await import("./client-pubsub")).pubsubClientDriver,
};

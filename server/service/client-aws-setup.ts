// Amazon's part of a service process set up before the AWS SDK loads. No instrumentation: the
// sender and subscriber start their own PRODUCER and CONSUMER spans and carry the trace context in
// message attributes (server/brokers/aws).
import type { ClientSetup } from "./client-setups";

export const awsClientSetup: ClientSetup = {
  instrumentations: () => [],
  loadDriver: async () => (await import("./client-aws")).awsClientDriver,
};

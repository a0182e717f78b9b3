// Amazon's part of a service process set up before the AWS SDK loads: the resolved broker in the
// launch spec. No instrumentation: the sender and subscriber start their own PRODUCER and CONSUMER
// spans and carry the trace context in message attributes (server/brokers/aws).
import { z } from "zod";
import type { ClientSetup } from "./client-setups";

export const awsClientSetup: ClientSetup = {
  launch: z.object({ kind: z.literal("aws"), endpoint: z.string().min(1), region: z.string().min(1) }),
  instrumentations: () => [],
};

// Redis's part of a service process set up before node-redis loads: the official redis
// instrumentation (a CLIENT span per command: XADD, PUBLISH, XREADGROUP, XACK, XAUTOCLAIM), and
// where its client driver is. The message's send and process spans are the driver's own
// (server/brokers/redis/spans.ts), the trace context carried in the message.
import { RedisInstrumentation } from "@opentelemetry/instrumentation-redis";
import type { ClientSetup } from "./client-setups";

export const redisClientSetup: ClientSetup = {
  // Only commands inside a message's span are traced: a consumer's idle blocking reads would fill Jaeger.
  instrumentations: () => [new RedisInstrumentation({ requireParentSpan: true })],
  loadDriver: async () => (await import("./client-redis")).redisClientDriver,
};

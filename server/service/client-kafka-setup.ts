// Kafka's part of a service process set up before kafkajs loads: the official kafkajs
// instrumentation with Brokerlab's attributes on its spans, and where its client driver is.
import { KafkaJsInstrumentation } from "@opentelemetry/instrumentation-kafkajs";
import type { ClientSetup } from "./client-setups";

type Carrier = Record<string, unknown> | undefined;

export const kafkaClientSetup: ClientSetup = {
  loadDriver: async () => (await import("./client-kafka")).kafkaClientDriver,
  instrumentations({ link, tagMessage }) {
    const kafkajs = new KafkaJsInstrumentation({
      producerHook: (span, info) => tagMessage(span, info.message.headers as Carrier),
      consumerHook: (span, info) => tagMessage(span, info.message.headers as Carrier),
    });
    if (link) {
      // kafkajs' eachMessage spans can only be children of the producer span; in link mode the
      // consumer adapter starts them itself, so the instrumentation leaves consumers alone.
      Object.assign(kafkajs, { _getConsumerPatch: () => (original: unknown) => original });
    }
    return [kafkajs];
  },
};

// Kafka's part of a service process set up before kafkajs loads: the resolved broker in the
// launch spec (its bootstrap list, and the fault proxies that stand in for each broker address),
// and the official kafkajs instrumentation with Brokerlab's attributes on its spans.
import { KafkaJsInstrumentation } from "@opentelemetry/instrumentation-kafkajs";
import { z } from "zod";
import type { ClientSetup } from "./client-setups";

type Carrier = Record<string, unknown> | undefined;

export const kafkaClientSetup: ClientSetup = {
  launch: z.object({ kind: z.literal("kafka"), brokers: z.array(z.string().min(1)).min(1), redirect: z.record(z.string(), z.string()).optional() }),
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

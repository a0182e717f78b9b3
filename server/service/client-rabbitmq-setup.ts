// RabbitMQ's part of a service process set up before amqplib loads: the official amqplib
// instrumentation, its spans shaped into the messaging conventions' model, and where its client driver is.
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { endRabbitProcess, modelRabbitSend } from "../brokers/rabbitmq/spans";
import type { ClientSetup } from "./client-setups";

type Carrier = Record<string, unknown> | undefined;

export const rabbitClientSetup: ClientSetup = {
  loadDriver: async () => (await import("./client-rabbitmq")).rabbitClientDriver,
  instrumentations: ({ link, tagMessage }) => [
    new AmqplibInstrumentation({
      useLinksForConsume: link,
      // The hooks and the consumer adapters shape the spans in one place (server/brokers/rabbitmq/spans.ts).
      publishHook: (span, info) => {
        tagMessage(span, info.options?.headers as Carrier);
        modelRabbitSend(span, info.exchange, info.routingKey);
      },
      consumeHook: (span, info) => {
        tagMessage(span, info.msg.properties.headers as Carrier);
        span.setAttributes({ "messaging.rabbitmq.message.redelivered": info.msg.fields.redelivered, "brokerlab.redelivered": info.msg.fields.redelivered });
      },
      consumeEndHook: (span, info) => endRabbitProcess(span, info.rejected, info.endOperation),
    }),
  ],
};

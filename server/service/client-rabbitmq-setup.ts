// RabbitMQ's part of a service process set up before amqplib loads: the official amqplib
// instrumentation with Brokerlab's attributes on its spans, and where its client driver is.
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import type { ClientSetup } from "./client-setups";

type Carrier = Record<string, unknown> | undefined;

export const rabbitClientSetup: ClientSetup = {
  loadDriver: async () => (await import("./client-rabbitmq")).rabbitClientDriver,
  instrumentations: ({ link, tagMessage }) => [
    new AmqplibInstrumentation({
      useLinksForConsume: link,
      publishHook: (span, info) => {
        tagMessage(span, info.options?.headers as Carrier);
        span.setAttributes({
          "messaging.system": "rabbitmq",
          "messaging.operation.type": "send",
          "messaging.destination.name": info.exchange || info.routingKey,
          "messaging.rabbitmq.destination.routing_key": info.routingKey,
        });
      },
      consumeHook: (span, info) => {
        tagMessage(span, info.msg.properties.headers as Carrier);
        span.setAttributes({
          "messaging.system": "rabbitmq",
          "messaging.operation.type": "process",
          "messaging.rabbitmq.destination.routing_key": info.msg.fields.routingKey,
          "messaging.rabbitmq.message.redelivered": info.msg.fields.redelivered,
          "brokerlab.redelivered": info.msg.fields.redelivered,
        });
      },
      consumeEndHook: (span, info) => span.setAttribute("brokerlab.settlement", info.endOperation),
    }),
  ],
};

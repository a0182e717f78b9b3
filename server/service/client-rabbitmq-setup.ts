// RabbitMQ's part of a service process set up before amqplib loads: the resolved broker in the
// launch spec, and the official amqplib instrumentation with Brokerlab's attributes on its spans.
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { z } from "zod";
import type { ClientSetup } from "./client-setups";

type Carrier = Record<string, unknown> | undefined;

export const rabbitClientSetup: ClientSetup = {
  launch: z.object({ kind: z.literal("rabbitmq"), url: z.string().min(1), managementUrl: z.string().min(1) }),
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

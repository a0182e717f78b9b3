// The stack's shared RabbitMQ: every run uses it unless its scenario names another broker.
import { rabbitNode } from "./rabbitmq-node";

export const rabbitmq = rabbitNode({
  name: "rabbitmq",
  // A node on another port gets its own name, so two stacks can run side by side.
  nodeName: (port) => (port === 5672 ? "brokerlab@localhost" : `brokerlab-${port}@localhost`),
  url: (config) => config.RABBITMQ_URL,
  managementUrl: (config) => config.RABBITMQ_MANAGEMENT_URL,
  // amqps on 5671 beside amqp on 5672, for the security lesson.
  tls: true,
});

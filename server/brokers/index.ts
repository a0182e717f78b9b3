// The broker adapters: the only modules that import amqplib and kafkajs.
// Admin clients for the engine; data-plane clients for the service processes.
export * from "./types";
export * from "./messaging";
export { createRabbitAdmin } from "./rabbitmq/admin";
export { createKafkaAdmin } from "./kafka/admin";
export { createRabbitConnection } from "./rabbitmq/connection";
export type { RabbitConnection } from "./rabbitmq/connection";
export { createRabbitPublisher } from "./rabbitmq/publisher";
export { consumeRabbitQueue } from "./rabbitmq/consumer";
export { createKafkaClient } from "./kafka/client";
export { createKafkaPublisher } from "./kafka/producer";
export { consumeKafkaTopics } from "./kafka/consumer";

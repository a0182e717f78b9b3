// The OpenTelemetry messaging conventions Brokerlab's spans follow (semantic conventions v1.3x):
// the operation types and the span kind of each, span names `{operation} {destination}`, the
// RabbitMQ destination rule, and the legacy attribute names the instrumentations still write. The
// service processes build their spans from these, and the trace grader checks against them.

export type OperationType = "create" | "send" | "receive" | "process" | "settle";
export type SpanKindName = "producer" | "consumer" | "client" | "server" | "internal";

/** The span kind each operation type takes (send may be CLIENT when it is not the creation context). */
export const kindsOfOperation: Record<OperationType, readonly SpanKindName[]> = {
  create: ["producer"],
  send: ["producer", "client"],
  receive: ["client"],
  process: ["consumer"],
  settle: ["client"],
};

export const operationTypes = Object.keys(kindsOfOperation) as OperationType[];

/** `{operation} {destination}`; the operation alone when the destination is unknown. */
export const messagingSpanName = (operation: string, destination: string | undefined): string => (destination ? `${operation} ${destination}` : operation);

/**
 * RabbitMQ's destination name: `{exchange}:{routing key}` when sending, `{exchange}:{routing key}:{queue}`
 * when consuming. Empty parts (the default exchange's name is empty) are left out, and a routing key
 * equal to the queue's name is written once.
 */
export function rabbitDestinationName(exchange: string, routingKey: string, queue?: string): string {
  const parts = [exchange, routingKey];
  if (queue !== undefined && queue !== routingKey) parts.push(queue);
  return parts.filter((part) => part !== "").join(":");
}

/** Attribute names from before the v1.2x messaging conventions, and what replaced each (undefined: dropped). */
export const legacyAttributes: Record<string, string | undefined> = {
  "messaging.destination": undefined,
  "messaging.destination_kind": undefined,
  "messaging.operation": "messaging.operation.name",
  "messaging.message_id": "messaging.message.id",
  "messaging.conversation_id": "messaging.message.conversation_id",
  "messaging.rabbitmq.routing_key": "messaging.rabbitmq.destination.routing_key",
  "messaging.protocol": "network.protocol.name",
  "messaging.protocol_version": "network.protocol.version",
  "messaging.url": undefined,
  "messaging.kafka.partition": "messaging.destination.partition.id",
  "messaging.kafka.consumer_group": "messaging.consumer.group.name",
  "messaging.kafka.consumer.group": "messaging.consumer.group.name",
  "messaging.consumer_id": undefined,
};

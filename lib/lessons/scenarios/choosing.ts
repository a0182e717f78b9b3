// Lesson scenarios for choosing a broker: the same small order pipeline (shop publishes 200 orders,
// fulfilment handles them and acknowledges each one after its work) on each broker Brokerlab runs.
// Only the broker's own part differs; the learner adds the crash, so every run has the same shape.

interface BrokerPart {
  /** The brokers: and resources: sections, indented as in a scenario. */
  setup: string;
  /** shop's producer target and fulfilment's consumer source and settings. */
  to: string;
  from: string;
}

const parts = {
  rabbitmq: {
    setup: `brokers:
  mq: { kind: rabbitmq }

resources:
  mq:
    queues:
      - { name: orders, type: classic, durable: true }`,
    to: "broker: mq, to: { queue: orders }",
    from: "broker: mq, from: { queue: orders }, ack: manual, prefetch: 20",
  },
  kafka: {
    setup: `brokers:
  mq: { kind: kafka }

resources:
  mq:
    topics:
      - { name: orders, partitions: 1, replicationFactor: 1, retention: 10m }`,
    to: "broker: mq, to: { topic: orders }",
    // ack auto: the client commits the offsets of each fetched batch, not each order.
    from: "broker: mq, from: { topic: orders, group: fulfilment, fromBeginning: true }, ack: auto",
  },
  "redis-streams": {
    setup: `brokers:
  mq: { kind: redis }

resources:
  mq:
    streams:
      - { name: orders, maxLen: 10000 }`,
    to: "broker: mq, to: { stream: orders }",
    from: "broker: mq, from: { stream: orders, group: fulfilment }",
  },
  // SNS fans out to the queue; fulfilment deletes each order after its work. A message received
  // and not deleted comes back after the visibility timeout (10 s here, 30 s unless set).
  "sns-sqs": {
    setup: `brokers:
  mq: { kind: aws }

resources:
  mq:
    topics:
      - { name: orders }
    queues:
      - { name: fulfilment, visibilityTimeout: 10s }
    subscriptions:
      - { topic: orders, queue: fulfilment, raw: true }`,
    to: "broker: mq, to: { snsTopic: orders }",
    from: "broker: mq, from: { queue: fulfilment, waitSeconds: 1 }, ack: manual",
  },
  // A message leased to fulfilment and not acked is delivered again once its ack deadline passes.
  pubsub: {
    setup: `brokers:
  mq: { kind: pubsub }

resources:
  mq:
    topics:
      - { name: orders }
    subscriptions:
      - { name: fulfilment, topic: orders, ackDeadline: 10s }`,
    to: "broker: mq, to: { pubsubTopic: orders }",
    from: "broker: mq, from: { subscription: fulfilment }",
  },
} satisfies Record<string, BrokerPart>;

export type PipelineBroker = keyof typeof parts;

/** The order pipeline on one broker, without a fault: the step asks the learner to add the crash. */
export function orderPipeline(broker: PipelineBroker): string {
  const part: BrokerPart = parts[broker];
  return `# order-pipeline-${broker}: 200 orders, one consumer that acknowledges after its work.
version: 1
name: order-pipeline-${broker}
description: shop publishes 200 orders at 20 per second; fulfilment handles each in 20 ms and acknowledges it after the work.

${part.setup}

services:
  - name: shop
    producers:
      - { name: orders, ${part.to}, rate: { perSecond: 20 }, count: 200, startAfter: 1s, payload: { orderId: "{{seq}}" } }

  - name: fulfilment
    consumers:
      - { name: orders, ${part.from}, work: { ms: 20 } }
`;
}

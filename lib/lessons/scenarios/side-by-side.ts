// Lesson scenarios that run the same thing on RabbitMQ and on Kafka at once: news for a late
// subscriber, a crash in the middle of a backlog, and one group member too many.

/** 100 stories to a fanout exchange and to a one-partition topic; runs 2 minutes so a late reader can join. */
export const newsBothBrokers = `# news-both-brokers: one newsroom publishes the same stories to RabbitMQ and to Kafka.
version: 1
name: news-both-brokers
description: 100 stories to the fanout exchange news and to the topic news; first-reader subscribes to both from the start.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }

resources:
  rabbit:
    exchanges:
      - { name: news, type: fanout, durable: true }
    queues:
      - { name: news.first, type: classic, durable: true }
    bindings:
      - { exchange: news, queue: news.first }    # first-reader's subscription: a bound queue
  kafka:
    topics:
      - { name: news, partitions: 1, replicationFactor: 1, retention: 30m }

services:
  - name: newsroom
    producers:
      - { name: to-exchange, broker: rabbit, to: { exchange: news }, rate: { perSecond: 20 }, count: 100, payload: { story: "{{seq}}" } }
      - { name: to-topic, broker: kafka, to: { topic: news }, rate: { perSecond: 20 }, count: 100, payload: { story: "{{seq}}" } }

  - name: first-reader
    consumers:
      - { name: from-exchange, broker: rabbit, from: { queue: news.first }, ack: manual }
      - { name: from-topic, broker: kafka, from: { topic: news, group: first-reader, fromBeginning: true }, ack: manual }
`;

/**
 * A subscriber that arrives after the news: its own queue bound to the existing exchange, and a
 * new group on the existing topic. Started while news-both-brokers is still on.
 */
export const lateSubscriber = `# late-subscriber: subscribes to news after the 100 stories were published.
# Start it while news-both-brokers is still on: the exchange and the topic are marked existing,
# so this run neither creates nor deletes them.
version: 1
name: late-subscriber
description: late-reader binds a new queue to news and joins the topic news as a new group; 10 more stories follow.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }

resources:
  rabbit:
    exchanges:
      - { name: news, type: fanout, existing: true }
    queues:
      - { name: news.late, type: classic, durable: true }
    bindings:
      - { exchange: news, queue: news.late }     # subscribing on RabbitMQ: binding a queue, now
  kafka:
    topics:
      - { name: news, partitions: 1, existing: true }

services:
  - name: late-news
    producers:
      - { name: to-exchange, broker: rabbit, to: { exchange: news }, rate: { perSecond: 5 }, count: 10, startAfter: 3s, payload: { story: "late-{{seq}}" } }
      - { name: to-topic, broker: kafka, to: { topic: news }, rate: { perSecond: 5 }, count: 10, startAfter: 3s, payload: { story: "late-{{seq}}" } }

  - name: late-reader
    consumers:
      - { name: from-exchange, broker: rabbit, from: { queue: news.late }, ack: manual }
      # A new group with fromBeginning: it starts at the oldest record the topic still holds.
      - { name: from-topic, broker: kafka, from: { topic: news, group: late-reader, fromBeginning: true }, ack: manual }
`;

/** A backlog on both brokers; the reader is killed mid-way and started again. */
export const crashBothBrokers = `# crash-both-brokers: the same reader dies in the middle of a backlog on RabbitMQ and on Kafka.
version: 1
name: crash-both-brokers
description: 300 orders on a queue and on a topic; inventory-service reads both and is killed 5 s in.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }

resources:
  rabbit:
    queues:
      - { name: orders, type: classic, durable: true }
  kafka:
    topics:
      - { name: orders, partitions: 1, replicationFactor: 1, retention: 10m }

services:
  - name: order-service
    producers:
      - { name: to-queue, broker: rabbit, to: { queue: orders }, rate: { burst: 300 }, startAfter: 1s, payload: { orderId: "{{seq}}" } }
      - { name: to-topic, broker: kafka, to: { topic: orders }, rate: { burst: 300 }, startAfter: 1s, payload: { orderId: "{{seq}}" } }

  - name: inventory-service
    consumers:
      # RabbitMQ: acked one by one after the work; up to 20 delivered and not yet acked.
      - { name: from-queue, broker: rabbit, from: { queue: orders }, ack: manual, prefetch: 20, work: { ms: 40 } }
      # Kafka: offsets committed per fetched batch, after its records were processed.
      - { name: from-topic, broker: kafka, from: { topic: orders, group: inventory, fromBeginning: true }, ack: auto, work: { ms: 40 } }

faults:
  - { at: 5s, kill: inventory-service }    # mid-backlog, with work delivered and not yet acked or committed
  - { at: 6s, start: inventory-service }
`;

/** A queue and a 3-partition topic, each read by three replicas; the step adds a fourth. */
export const membersBothBrokers = `# members-both-brokers: competing consumers on a queue and members of a group on 3 partitions.
version: 1
name: members-both-brokers
description: 300 orders to a queue read by worker and to a 3-partition topic, invoices, read by group billing.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }

resources:
  rabbit:
    queues:
      - { name: jobs, type: classic, durable: true }
  kafka:
    topics:
      - { name: invoices, partitions: 3, replicationFactor: 1, retention: 10m }

services:
  - name: order-service
    producers:
      # Late enough for every replica to have joined before the first message.
      - { name: to-queue, broker: rabbit, to: { queue: jobs }, rate: { perSecond: 50 }, count: 300, startAfter: 12s, payload: { orderId: "{{seq}}" } }
      - { name: to-topic, broker: kafka, to: { topic: invoices, key: "{{customerId}}" }, rate: { perSecond: 50 }, count: 300, startAfter: 12s, payload: { orderId: "{{seq}}", customerId: "{{randomInt 1 30}}" } }

  - name: worker
    replicas: 3
    consumers:
      - { name: process, broker: rabbit, from: { queue: jobs }, ack: manual, prefetch: 1, work: { ms: 20 } }

  - name: billing-service
    replicas: 3
    consumers:
      - { name: charge, broker: kafka, from: { topic: invoices, group: billing, fromBeginning: true }, ack: manual, work: { ms: 20 } }
`;

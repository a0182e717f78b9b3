// Lesson scenarios on ordering under failures: one keyed stream of orders with 10 % of attempts
// failing, retried through a delay queue on RabbitMQ and in place on Kafka.

/** 200 orders of 8 customers at 40/s; billing fails 10 % of attempts and retries through a delay queue. */
export const keyedRetriesRabbit = `# keyed-retries: retries through a delay queue put a customer's orders out of order.
version: 1
name: keyed-retries
description: 200 orders of 8 customers; billing-service fails 10 % of attempts and retries each 300 ms later.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: orders, type: topic, durable: true }
      - { name: orders.dlx, type: direct, durable: true }
    queues:
      - name: orders
        type: classic
        durable: true
        deadLetter: { exchange: orders.dlx, routingKey: orders.dead }
      - { name: orders.dead, type: classic, durable: true }
    bindings:
      # The routing key carries the customer: customer.1 … customer.8.
      - { exchange: orders, queue: orders, routingKey: "customer.*" }
      - { exchange: orders.dlx, queue: orders.dead, routingKey: orders.dead }

services:
  - name: checkout-service
    producers:
      - name: orders
        broker: rabbit
        to: { exchange: orders, routingKey: "customer.{{customerId}}" }
        rate: { perSecond: 40 }
        count: 200
        payload:
          orderId: "{{seq}}"
          customerId: "{{randomInt 1 8}}"

  - name: billing-service
    consumers:
      - name: charge
        broker: rabbit
        from: { queue: orders }
        ack: manual
        prefetch: 1                   # one order at a time: any reordering comes from the retries
        work: { ms: 5 }
        failures: { errorRate: 0.1 }  # a flaky payment provider
        # A failed order is copied to orders.retry.300 and acked; 300 ms later it expires back
        # into orders, behind everything published meanwhile.
        onError: { retries: 5, backoffMs: [300], then: dead-letter }
`;

/** The same stream on Kafka, keyed by customer on 3 partitions, one billing member per partition. */
export const keyedRetriesKafka = `# keyed-retries-kafka: retrying in place keeps each partition's order, and a poison message stops its partition.
version: 1
name: keyed-retries-kafka
description: 200 orders of 8 customers keyed on 3 partitions; billing fails 10 % of attempts and always fails order 60.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      - { name: orders, partitions: 3, replicationFactor: 1, retention: 10m }

services:
  - name: checkout-service
    producers:
      - name: orders
        broker: kafka
        to: { topic: orders, key: "{{customerId}}" }
        rate: { perSecond: 40 }
        count: 200
        startAfter: 3s                # time for the three members to join the group
        payload:
          orderId: "{{seq}}"
          customerId: "{{randomInt 1 8}}"

  - name: billing-service
    replicas: 3                       # one member per partition
    consumers:
      - name: charge
        broker: kafka
        from: { topic: orders, group: billing, fromBeginning: true }
        ack: manual
        work: { ms: 5 }
        failures:
          errorRate: 0.1
          poison: { field: orderId, equals: 60 }   # a payment that can never succeed
        onError: requeue              # on Kafka: process the same record again, in place
`;

// Lesson scenarios on Amazon SQS/SNS (moto's server in the local stack): work that outlasts the
// visibility timeout, an SNS topic with a filter policy, a redrive to a dead-letter queue, and the
// same fan-out on RabbitMQ, Kafka and SNS/SQS in one run.

/** 20 renders of 2.5 s each on a queue that hides a received message for 1 s only. */
export const slowRenders = `# sqs-visibility: the work takes longer than the queue's visibility timeout.
version: 1
name: sqs-visibility
description: Each render takes 2.5 s, but SQS hides a received message for 1 s only.

brokers:
  aws: { kind: aws }

resources:
  aws:
    queues:
      # After 1 s without a delete, SQS hands the message out again, even while it is being worked on.
      - { name: renders, visibilityTimeout: 1s }

services:
  - name: upload-service
    producers:
      - name: uploads
        broker: aws
        to: { queue: renders }
        rate: { perSecond: 10 }
        count: 20
        startAfter: 1s
        payload:
          videoId: "{{uuid}}"

  - name: render-service
    consumers:
      - name: render
        broker: aws
        from: { queue: renders, waitSeconds: 1 }
        ack: manual             # delete after the work
        concurrency: 30
        work: { ms: 2500 }
`;

/** One SNS topic, two subscribed queues; 60 created and 40 cancelled orders, told apart by an attribute. */
export const orderEventsTopic = `# sns-filter: one SNS topic, two subscribing queues, and an attribute to filter on.
version: 1
name: sns-filter
description: order-service publishes created and cancelled orders to one SNS topic; billing and refunds subscribe.

brokers:
  aws: { kind: aws }

resources:
  aws:
    topics:
      - { name: order-events }
    queues:
      - { name: billing }
      - { name: refunds }
    subscriptions:
      - { topic: order-events, queue: billing, raw: true }
      - { topic: order-events, queue: refunds, raw: true }

services:
  - name: order-service
    producers:
      - name: created
        broker: aws
        to: { snsTopic: order-events, attributes: { type: created } }
        rate: { perSecond: 30 }
        count: 60
        startAfter: 1s
        payload: { orderId: "c-{{seq}}" }
      - name: cancelled
        broker: aws
        to: { snsTopic: order-events, attributes: { type: cancelled } }
        rate: { perSecond: 20 }
        count: 40
        startAfter: 1s
        payload: { orderId: "x-{{seq}}" }

  - name: billing-service
    consumers:
      - name: bill
        broker: aws
        from: { queue: billing, waitSeconds: 1 }
        concurrency: 5
        work: { ms: 5 }

  - name: refund-service
    consumers:
      - name: refund
        broker: aws
        from: { queue: refunds, waitSeconds: 1 }
        concurrency: 5
        work: { ms: 5 }
`;

/** 45 good payments and 5 with an expired card that always fail; SQS redrives those after 3 receives. */
export const paymentsRedrive = `# sqs-redrive: failing messages move to a dead-letter queue after maxReceiveCount receives.
version: 1
name: sqs-redrive
description: 5 of 50 payments always fail; SQS moves each to payments-dlq after its third receive.

brokers:
  aws: { kind: aws }

resources:
  aws:
    queues:
      - name: payments
        visibilityTimeout: 1s   # a failed payment comes back after 1 s
        deadLetter: { queue: payments-dlq, maxReceiveCount: 3 }
      - { name: payments-dlq }

services:
  - name: checkout-service
    producers:
      - name: good
        broker: aws
        to: { queue: payments }
        rate: { perSecond: 25 }
        count: 45
        startAfter: 1s
        payload: { paymentId: "{{uuid}}", card: valid }
      - name: expired
        broker: aws
        to: { queue: payments }
        rate: { perSecond: 5 }
        count: 5
        startAfter: 1s
        payload: { paymentId: "{{uuid}}", card: expired }

  - name: payment-service
    consumers:
      - name: charge
        broker: aws
        from: { queue: payments, waitSeconds: 1 }
        concurrency: 5
        work: { ms: 10 }
        failures: { poison: { field: card, equals: expired } }
        onError: dead-letter     # no retries here: SQS's redrive policy decides

  - name: ops-service
    description: Reads what reached the dead-letter queue, where a human would look at it.
    consumers:
      - name: inspect
        broker: aws
        from: { queue: payments-dlq, waitSeconds: 1 }
`;

/** The same fan-out three times: a fanout exchange, a Kafka topic with two groups, an SNS topic with two queues. */
export const fanoutThreeWays = `# fanout-three-ways: one fan-out on RabbitMQ, Kafka and SNS/SQS side by side.
version: 1
name: fanout-three-ways
description: 100 orders through each broker; billing and shipping each get every order from all three.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }
  aws: { kind: aws }

resources:
  rabbit:
    exchanges:
      - { name: orders.fanout, type: fanout, durable: true }
    queues:
      - { name: orders.billing, type: classic, durable: true }
      - { name: orders.shipping, type: classic, durable: true }
    bindings:
      - { exchange: orders.fanout, queue: orders.billing }
      - { exchange: orders.fanout, queue: orders.shipping }
  kafka:
    topics:
      # The log is the fan-out: each consumer group reads all of it at its own offset.
      - { name: orders.log, partitions: 2, replicationFactor: 1, retention: 10m }
  aws:
    topics:
      - { name: order-events }
    queues:
      - { name: sqs-billing }
      - { name: sqs-shipping }
    subscriptions:
      - { topic: order-events, queue: sqs-billing, raw: true }
      - { topic: order-events, queue: sqs-shipping, raw: true }

services:
  - name: order-service
    producers:
      - { name: rabbit, broker: rabbit, to: { exchange: orders.fanout, routingKey: "" }, rate: { perSecond: 50 }, count: 100, startAfter: 2s, payload: { orderId: "r-{{seq}}" } }
      - { name: kafka, broker: kafka, to: { topic: orders.log, key: "{{orderId}}" }, rate: { perSecond: 50 }, count: 100, startAfter: 2s, payload: { orderId: "k-{{seq}}" } }
      - { name: sns, broker: aws, to: { snsTopic: order-events }, rate: { perSecond: 50 }, count: 100, startAfter: 2s, payload: { orderId: "s-{{seq}}" } }

  - name: billing-service
    consumers:
      - { name: rabbit, broker: rabbit, from: { queue: orders.billing }, prefetch: 20 }
      - { name: kafka, broker: kafka, from: { topic: orders.log, group: billing, fromBeginning: true } }
      - { name: sqs, broker: aws, from: { queue: sqs-billing, waitSeconds: 1 }, concurrency: 5 }

  - name: shipping-service
    consumers:
      - { name: rabbit, broker: rabbit, from: { queue: orders.shipping }, prefetch: 20 }
      - { name: kafka, broker: kafka, from: { topic: orders.log, group: shipping, fromBeginning: true } }
      - { name: sqs, broker: aws, from: { queue: sqs-shipping, waitSeconds: 1 }, concurrency: 5 }
`;

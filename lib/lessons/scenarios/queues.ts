// Lesson scenarios around one queue: a steady order stream to pause a consumer in, and the
// practical exercise's starting point and mistakes. Inline YAML, validated by the unit tests.

/** 300 orders at 20/s: 15 s, long enough to stop the consumer and watch the queue fill. */
export const steadyOrders = `# steady-orders: the hello-queue pair, slowed down so there is time to act.
version: 1
name: steady-orders
description: 300 orders at 20 per second; inventory-service keeps up easily, until it stops.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: order_queue, type: classic, durable: true }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { queue: order_queue }
        rate: { perSecond: 20 }
        count: 300
        payload:
          orderId: "{{seq}}"
          sku: "{{pick BOOK-1 MUG-7 PEN-3}}"
          quantity: "{{randomInt 1 4}}"

  - name: inventory-service
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        ack: manual
        prefetch: 10
        work: { ms: 15, jitterMs: 5 }
`;

/** The exercise's starting point: a producer and its queue; the consumer is the learner's to write. */
export const exerciseStart = `# first-pipeline: the course's exercise. The producer is here; add the consumer.
version: 1
name: first-pipeline
description: order-service sends 50 orders to order_queue. Nobody reads them yet.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: order_queue, type: classic, durable: true }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { queue: order_queue }
        rate: { perSecond: 25 }
        count: 50
        payload:
          orderId: "{{seq}}"
          sku: "{{pick BOOK-1 MUG-7 PEN-3}}"

  # Your consumer goes here: a service "inventory-service" with one consumer that reads
  # order_queue and acknowledges each order after processing it.
`;

/** The exercise, finished: what "Show me" loads for the first step and the last. */
export const exerciseDone = `# first-pipeline: producer -> queue -> consumer, done right.
version: 1
name: first-pipeline
description: order-service sends 50 orders to order_queue; inventory-service takes them and acknowledges each one.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: order_queue, type: classic, durable: true }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { queue: order_queue }
        rate: { perSecond: 25 }
        count: 50
        payload:
          orderId: "{{seq}}"
          sku: "{{pick BOOK-1 MUG-7 PEN-3}}"

  - name: inventory-service
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        ack: manual          # acknowledge after the work, never before
        prefetch: 10
        work: { ms: 20, jitterMs: 5 }
`;

/**
 * Both sides declare order_queue, as the course's code does, but not alike. Two broker entries
 * point at the same RabbitMQ, one per side, so each side's declaration reaches the broker.
 */
export const mismatchedDeclarations = `# mismatched-declarations: producer and consumer each declare order_queue, differently.
version: 1
name: mismatched-declarations
description: order-service declares order_queue as a plain durable queue; inventory-service declares it with a message TTL.

brokers:
  orders-side: { kind: rabbitmq }      # both entries are the same RabbitMQ:
  inventory-side: { kind: rabbitmq }   # one declaration per service, as in the course's code

resources:
  orders-side:
    queues:
      - { name: order_queue, type: classic, durable: true }
  inventory-side:
    queues:
      # The same name with another argument: RabbitMQ refuses the second declaration.
      - { name: order_queue, type: classic, durable: true, messageTtl: 60s }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: orders-side
        to: { queue: order_queue }
        rate: { perSecond: 25 }
        count: 50
        payload: { orderId: "{{seq}}" }

  - name: inventory-service
    consumers:
      - name: update-stock
        broker: inventory-side
        from: { queue: order_queue }
        ack: manual
        prefetch: 10
        work: { ms: 20 }
`;

/** The same two-sided declaration done right: both sides agree, so the run starts. Learners add the TTL that breaks it. */
export const matchingDeclarations = mismatchedDeclarations
  .replace("# mismatched-declarations: producer and consumer each declare order_queue, differently.", "# matching-declarations: producer and consumer each declare order_queue, the same way.")
  .replace("name: mismatched-declarations", "name: matching-declarations")
  .replace("description: order-service declares order_queue as a plain durable queue; inventory-service declares it with a message TTL.", "description: order-service and inventory-service each declare order_queue as a plain durable queue.")
  .replace("      # The same name with another argument: RabbitMQ refuses the second declaration.\n      - { name: order_queue, type: classic, durable: true, messageTtl: 60s }", "      - { name: order_queue, type: classic, durable: true }");

/** A direct exchange whose binding does not match what the producer sends: messages vanish. */
export const unroutableOrders = `# unroutable-orders: a routing key nobody bound, and what mandatory changes.
version: 1
name: unroutable-orders
description: order-service publishes order.placed to the orders exchange, but the only binding is for order.created.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: orders, type: direct, durable: true }
    queues:
      - { name: fulfilment.orders, type: classic, durable: true }
    bindings:
      - { exchange: orders, queue: fulfilment.orders, routingKey: order.created }

services:
  - name: order-service
    producers:
      - name: place-order
        broker: rabbit
        to: { exchange: orders, routingKey: order.placed }
        rate: { perSecond: 20 }
        count: 50
        mandatory: false      # the default: an unroutable message is dropped without a word
        payload: { orderId: "{{seq}}" }

  - name: fulfilment-service
    consumers:
      - name: pick-items
        broker: rabbit
        from: { queue: fulfilment.orders }
        ack: manual
        work: { ms: 10 }
`;

/** Orders for a minute: time to stop RabbitMQ and start it again while the services keep trying. */
export const longOrders = `# long-orders: a minute of orders, to take the broker away in the middle.
version: 1
name: long-orders
description: 600 orders at 10 per second while you stop and start RabbitMQ.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: order_queue, type: classic, durable: true }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { queue: order_queue }
        rate: { perSecond: 10 }
        count: 600
        payload: { orderId: "{{seq}}" }

  - name: inventory-service
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        ack: manual
        prefetch: 10
        work: { ms: 10 }
`;

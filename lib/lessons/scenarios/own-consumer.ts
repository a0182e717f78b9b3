// Lesson 26's scenario: Brokerlab's order-service fills order_queue and no Brokerlab service
// consumes it; the learner's own program, run outside Brokerlab, is the consumer.

/** 1,200 orders at 20/s (a minute), into a queue that only a program outside Brokerlab reads. */
export const ordersForYourConsumer = `# orders-for-your-consumer: a producer and nothing else. The consumer is yours.
version: 1
name: orders-for-your-consumer
description: order-service sends 1,200 orders at 20 per second to order_queue; no Brokerlab service consumes them.

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
        count: 1200
        payload:
          orderId: "{{seq}}"
          sku: "{{pick BOOK-1 MUG-7 PEN-3}}"
          quantity: "{{randomInt 1 4}}"
`;

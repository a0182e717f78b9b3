// Lesson scenario on the outbox and the idempotent consumer: order-service commits 60 orders to
// its SQLite database and publishes an event for each; payment-service charges each order as a row
// in its own database. The fault timeline starts order-service again after a crash point.

/** Publish after commit, no crash yet; the lesson's steps add the crash, the outbox and idempotence. */
export const ordersWithDatabase = `# orders-with-database: a service that writes to its database, then tells the others.
version: 1
name: orders-with-database
description: order-service commits 60 orders at 20/s to its SQLite database and publishes an event for each; payment-service charges each order once it hears of it.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: order-events, type: fanout, durable: true }
    queues:
      - { name: payments, type: classic, durable: true }
    bindings:
      - { exchange: order-events, queue: payments }

services:
  - name: order-service
    producers:
      - name: orders
        broker: rabbit
        to: { exchange: order-events, routingKey: "" }
        rate: { perSecond: 20 }
        count: 60
        payload: { orderId: "{{seq}}", amount: "{{randomInt 5 300}}" }
        database:
          mode: publish-after-commit   # commit the order, then publish its event
          relayEvery: 200ms            # (outbox mode) how often the relay looks for unsent events

  - name: payment-service
    consumers:
      - name: charge
        broker: rabbit
        from: { queue: payments }
        effects: sqlite      # each charge is a row in payment-service's database
        idempotent: false

faults:
  # A crash point exits order-service; these start it again (a start while it runs does nothing).
  - { at: 4s, start: order-service }
  - { at: 8s, start: order-service }
  - { at: 12s, start: order-service }
`;

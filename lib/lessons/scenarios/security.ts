// Lesson 31's scenario: order-service sends orders to the `orders` exchange and audit records to the
// `audit` exchange; inventory-service consumes order_queue. The lesson gives the services users of
// their own with the least they need (runUsers) and watches the broker refuse the rest.

/** 300 orders at 30/s, and an audit record a second, on the shared broker (all as guest, as it starts). */
export const ordersAndAudit = `# orders-and-audit: one service writes to two exchanges; another consumes one queue.
version: 1
name: orders-and-audit
description: order-service publishes orders to the orders exchange and audit records to the audit exchange; inventory-service consumes order_queue.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: orders, type: direct }
      - { name: audit, type: fanout }
    queues:
      - { name: order_queue, type: classic, durable: true }
      - { name: audit_log, type: classic, durable: true }
    bindings:
      - { exchange: orders, queue: order_queue, routingKey: new }
      - { exchange: audit, queue: audit_log }

services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { exchange: orders, routingKey: new }
        rate: { perSecond: 30 }
        count: 300
        confirm: true
        payload:
          orderId: "{{seq}}"
          sku: "{{pick BOOK-1 MUG-7 PEN-3}}"
      - name: audit-records
        broker: rabbit
        to: { exchange: audit }
        rate: { perSecond: 1 }
        count: 10
        confirm: true
        payload:
          event: order-service started a batch
          at: "{{now}}"

  - name: inventory-service
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        ack: manual
        prefetch: 10
`;

// Lesson scenarios for Observability II: a four-service order pipeline on RabbitMQ in which one
// service is slowed by a fault, so that its settings look like everyone else's.

/** The slow service, for the lesson's quiz and check; the step texts never name it. */
export const slowService = "tax-service";

const hop = (name: string, consumer: string, from: string, to: string | undefined) => `  - name: ${name}
    consumers:
      - name: ${consumer}
        broker: rabbit
        from: { queue: ${from} }
        ack: manual
        prefetch: 10
        work: { ms: 25, jitterMs: 10 }${to ? `
        forward:
          broker: rabbit
          to: { queue: ${to} }
          payload: { orderId: "{{orderId}}", total: "{{total}}" }` : ""}
`;

/** 150 orders at 10 a second through stock, tax and invoice services; one of them is slowed down. */
export const mysteryPipeline = `# mystery-pipeline: four services in a chain; one of them is slower than the orders that arrive.
version: 1
name: mystery-pipeline
description: order-service sends 150 orders at 10/s through stock-service, tax-service and invoice-service. Every service has the same settings; a fault makes one of them slow.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: placed, type: classic, durable: true }
      - { name: reserved, type: classic, durable: true }
      - { name: taxed, type: classic, durable: true }

services:
  - name: order-service
    producers:
      - name: place-order
        broker: rabbit
        to: { queue: placed }
        rate: { perSecond: 10 }
        count: 150
        payload: { orderId: "{{seq}}", total: "{{randomFloat 10 400}}" }

${hop("stock-service", "reserve", "placed", "reserved")}
${hop("tax-service", "add-tax", "reserved", "taxed")}
${hop("invoice-service", "invoice", "taxed", undefined)}
faults:
  # A hidden cause: 150 ms more work per message for every replica, for the whole run.
  - { at: 0s, slow: ${slowService}, ms: 150 }
`;

// Lesson scenarios built from queue features: a message TTL as a timeout, with a dead-letter queue
// for what expired. (Request/reply, tasks, webhooks and event sourcing use the examples.)

/** Quotes that are only worth something for 2 s: a slow consumer lets some expire into a DLQ. */
export const expiringQuotes = `# expiring-quotes: a message TTL as a timeout, and where expired messages go.
version: 1
name: expiring-quotes
description: Price quotes expire after 2 s in the queue; a slow pricing consumer lets some of them time out.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: quotes.dlx, type: direct, durable: true }
    queues:
      - name: quotes
        type: classic
        durable: true
        messageTtl: 2s                # a quote nobody took within 2 s is stale
        deadLetter: { exchange: quotes.dlx, routingKey: quotes.expired }
      - { name: quotes.expired, type: classic, durable: true }
    bindings:
      - { exchange: quotes.dlx, queue: quotes.expired, routingKey: quotes.expired }

services:
  - name: quote-service
    producers:
      - name: quotes
        broker: rabbit
        to: { queue: quotes }
        rate: { perSecond: 20 }
        count: 100
        payload: { quoteId: "{{seq}}", price: "{{randomFloat 10 99}}" }

  - name: pricing-service
    consumers:
      - name: accept-quote
        broker: rabbit
        from: { queue: quotes }
        ack: manual
        prefetch: 1
        work: { ms: 150 }             # about 7 quotes a second against 20 arriving
`;

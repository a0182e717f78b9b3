// Lesson scenario on what a Kafka producer's settings guarantee: 4,000 payments sent while the
// producer's connections to Kafka are reset twice a second. The link is also slowed by 40 ms, so
// every reset finds requests still on the wire: on a link without delay a reset between two writes
// can find nothing in flight, and acks 0 then loses nothing (it did in one CI run).

/** acks 0 to start with; the lesson's steps switch to acks all, then to the idempotent producer. */
export const paymentsUnderResets = `# payments-under-resets: a producer whose connections to Kafka are reset 13 times.
version: 1
name: payments-under-resets
description: 4,000 payments at 400/s; checkout-service's link to Kafka takes 40 ms each way from 3 s to 11 s and its connections are reset every half second from 4 s to 10 s.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      - { name: payments, partitions: 1, replicationFactor: 1, retention: 10m }

services:
  - name: checkout-service
    producers:
      - name: payments
        broker: kafka
        to: { topic: payments }
        rate: { perSecond: 400 }
        count: 4000
        startAfter: 2s
        acks: 0                 # fire and forget: no answer from Kafka is awaited
        idempotent: false
        payload: { paymentId: "{{seq}}", amount: "{{randomInt 5 300}}" }

  - name: ledger-service
    consumers:
      - name: book
        broker: kafka
        from: { topic: payments, group: ledger, fromBeginning: true }
        ack: manual

faults:
  # A slow link (a long network path): each request spends 40 ms on the wire before Kafka reads it.
  - { at: 3s, latency: checkout-service, ms: 40, for: 8s }
  # Each reset drops checkout-service's open connections to Kafka, with whatever was in flight.
  - { at: 4s, reset: checkout-service }
  - { at: 4.5s, reset: checkout-service }
  - { at: 5s, reset: checkout-service }
  - { at: 5.5s, reset: checkout-service }
  - { at: 6s, reset: checkout-service }
  - { at: 6.5s, reset: checkout-service }
  - { at: 7s, reset: checkout-service }
  - { at: 7.5s, reset: checkout-service }
  - { at: 8s, reset: checkout-service }
  - { at: 8.5s, reset: checkout-service }
  - { at: 9s, reset: checkout-service }
  - { at: 9.5s, reset: checkout-service }
  - { at: 10s, reset: checkout-service }
`;

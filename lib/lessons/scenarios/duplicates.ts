// A duplicate without a crash: for two seconds ledger-service's acks never reach RabbitMQ, then its
// connection is reset and every unacknowledged payment, already booked, is delivered again to the
// same, still running, process. Lesson 11 has the learner make the consumer idempotent.

/** 300 payments at 50/s to a consumer a little slower than that, so its prefetch window is always full. */
export const lostAcks = `# lost-acks: acknowledgements lost on the wire, and the payments delivered twice.
version: 1
name: lost-acks
description: ledger-service books payments; for two seconds its acks never reach RabbitMQ, then the connection is reset.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: payments, type: classic, durable: true }

services:
  - name: checkout-service
    producers:
      - name: payments
        broker: rabbit
        to: { queue: payments }
        rate: { perSecond: 50 }
        count: 300
        payload: { paymentId: "{{seq}}", amount: "{{randomInt 5 300}}" }

  - name: ledger-service
    consumers:
      - name: book
        broker: rabbit
        from: { queue: payments }
        ack: manual
        prefetch: 50          # up to 50 booked-but-unacknowledged payments when the acks are lost
        work: { ms: 30 }      # about 33 a second: slower than checkout-service, so the window stays full
        idempotent: false     # books every delivery, even one it has booked before

faults:
  # Bytes to and from RabbitMQ vanish for 2 s (acks included); then the connection is reset.
  - { at: 2s, drop: ledger-service, for: 2s }
`;

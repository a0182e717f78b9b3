// Lesson scenarios on Google Cloud Pub/Sub (on its emulator): payments worked on by a pull
// subscriber that does not extend its ack deadline, so work longer than the deadline gets each
// payment delivered again; and payments the provider always declines, nacked until a dead-letter
// policy moves them to a topic of their own. The emulator reports no backlog, so the steps run for
// a fixed time.

/** shop publishes `count` payments at once on the topic payments, a second into the run. */
const shopPublishes = (count: number) => `  - name: shop
    producers:
      - name: payments
        broker: gcp
        to: { pubsubTopic: payments }
        rate: { burst: ${count} }
        count: ${count}
        startAfter: 1s
        payload:
          paymentId: "{{seq}}"
`;

/** 5 payments, each charged in 3 s, on a subscription with the minimum ack deadline of 10 s. */
export const slowCharges = `# slow-charges: payments on a Pub/Sub subscription with a 10 s ack deadline.
version: 1
name: slow-charges
description: shop publishes 5 payments; billing pulls them and charges each one, without extending the ack deadline.

brokers:
  gcp: { kind: pubsub }

resources:
  gcp:
    topics:
      - { name: payments }
    subscriptions:
      - name: billing
        topic: payments
        ackDeadline: 10s       # the least Pub/Sub allows; the default too

services:
${shopPublishes(5)}
  - name: billing
    consumers:
      - name: charge
        broker: gcp
        # One Pull call at a time, and no ModifyAckDeadline while a payment is charged.
        from: { subscription: billing, mode: pull, extendDeadline: false }
        concurrency: 5
        work: { ms: 3000 }     # the payment provider's answer takes 3 s
`;

/** 3 payments the provider declines every time; each failure is a nack, delivered again at once. */
export const declinedPayments = `# declined-payments: payments that fail every time on a Pub/Sub subscription.
version: 1
name: declined-payments
description: shop publishes 3 payments the provider declines every time; billing nacks each failure.

brokers:
  gcp: { kind: pubsub }

resources:
  gcp:
    topics:
      - { name: payments }
      - { name: payments-dead }
    subscriptions:
      - { name: billing, topic: payments }
      - { name: parked, topic: payments-dead }   # what lands on the dead-letter topic, kept for a person to look at

services:
${shopPublishes(3)}
  - name: billing
    consumers:
      - name: charge
        broker: gcp
        from: { subscription: billing, mode: pull }
        failures: { errorRate: 1 }   # the provider declines every payment
        onError: { then: requeue }   # a nack: Pub/Sub delivers it again at once

  - name: audit
    consumers:
      - name: parked
        broker: gcp
        from: { subscription: parked, mode: pull }
`;

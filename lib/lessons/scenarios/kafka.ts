// Lesson scenarios on Kafka: a longer keyed stream to kill a group member in, an event log to
// replay, and a consumer that dies between processing and committing (duplicates).

/** 400 keyed orders at 20/s: about 20 s, time to kill one member of the billing group. */
export const kafkaRebalance = `# kafka-rebalance: a two-member group loses a member mid-stream.
version: 1
name: kafka-rebalance
description: 400 keyed orders on 3 partitions; billing has two members, one of which you kill.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      - { name: orders, partitions: 3, replicationFactor: 1, retention: 10m }

services:
  - name: checkout-service
    producers:
      - name: orders
        broker: kafka
        to: { topic: orders, key: "{{customerId}}" }
        rate: { perSecond: 20 }
        count: 400
        startAfter: 2s
        acks: all
        payload:
          orderId: "{{seq}}"
          customerId: "{{randomInt 1 8}}"

  - name: billing-service
    replicas: 2
    consumers:
      - name: charge
        broker: kafka
        from: { topic: orders, group: billing, fromBeginning: true }
        ack: manual
        work: { ms: 20, jitterMs: 10 }
`;

/** An account's events on a one-partition log: the order of events is the order of the log. */
export const accountEvents = `# account-events: an event log on Kafka and a projection that folds it into balances.
version: 1
name: account-events
description: account-service appends 80 events to the account-events log; balance-view folds them into balances.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      # One partition: one total order of events, which a replay must follow. The retention is
      # explicit: a delete-policy topic drops events older than it (7 days by default). An hour
      # covers this lesson; a production event log keeps events forever (retention.ms = -1).
      - { name: account-events, partitions: 1, replicationFactor: 1, retention: 60m }

services:
  - name: account-service
    producers:
      - name: events
        broker: kafka
        to: { topic: account-events, key: "{{account}}" }
        rate: { perSecond: 20 }
        count: 80
        payload:
          account: "{{pick ACC-1 ACC-2 ACC-3}}"
          type: "{{pick Deposited Deposited Withdrawn}}"
          amount: "{{randomInt 5 100}}"

  - name: balance-view
    consumers:
      - name: fold
        broker: kafka
        from: { topic: account-events, group: balance-view, fromBeginning: true }
        ack: manual
        work: { ms: 5 }
`;

/** A second projection, deployed later: a new group that reads the existing log from offset 0. */
export const accountReplay = `# account-replay: a new read model rebuilt from the whole log.
# Start it while account-events is still running: the topic is marked existing, so this run
# neither creates nor deletes it, and reads what is already there.
version: 1
name: account-replay
description: audit-view joins late as a new consumer group and replays account-events from offset 0.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      - { name: account-events, partitions: 1, existing: true }

services:
  - name: audit-view
    consumers:
      - name: replay
        broker: kafka
        from: { topic: account-events, group: audit-view, fromBeginning: true }
        ack: manual
        work: { ms: 2 }
`;

/**
 * A burst read in one big batch with offsets committed per batch (ack: auto): killing the member
 * mid-batch means its successor reads the uncommitted part again.
 */
export const kafkaDuplicates = `# kafka-duplicates: at-least-once delivery makes duplicates when a consumer dies before committing.
version: 1
name: kafka-duplicates
description: 300 payments in a burst; the ledger consumer commits offsets per batch and is killed mid-batch.

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
        rate: { burst: 300 }
        startAfter: 1s
        payload:
          paymentId: "{{uuid}}"
          amount: "{{randomInt 5 300}}"

  - name: ledger-service
    consumers:
      - name: book
        broker: kafka
        from: { topic: payments, group: ledger, fromBeginning: true }
        ack: auto                 # offsets are committed after each batch, not after each message
        work: { ms: 40 }          # 300 x 40 ms: the batch takes about 12 s

faults:
  - { at: 5s, kill: ledger-service }    # mid-batch: the batch's offsets are not committed yet
  - { at: 6s, start: ledger-service }   # the new member takes over the partition and reads from the last commit
`;

/** The same workload on both brokers, side by side. */
export const brokerRace = `# broker-race: 5,000 messages through RabbitMQ and through Kafka, at the same time.
version: 1
name: broker-race
description: Two identical pipelines, one per broker, racing the same burst.

brokers:
  rabbit: { kind: rabbitmq }
  kafka: { kind: kafka }

resources:
  rabbit:
    queues:
      - { name: race.events, type: classic, durable: true }
  kafka:
    topics:
      - { name: race.events, partitions: 3, replicationFactor: 1, retention: 10m }

services:
  - name: rabbit-producer
    producers:
      - name: burst
        broker: rabbit
        to: { queue: race.events }
        rate: { burst: 5000 }
        startAfter: 1s
        payload: { n: "{{seq}}" }

  - name: kafka-producer
    producers:
      - name: burst
        broker: kafka
        to: { topic: race.events, key: "{{n}}" }
        rate: { burst: 5000 }
        startAfter: 1s
        payload: { n: "{{seq}}" }

  - name: rabbit-consumer
    consumers:
      - name: read
        broker: rabbit
        from: { queue: race.events }
        ack: manual
        prefetch: 200

  - name: kafka-consumer
    consumers:
      - name: read
        broker: kafka
        from: { topic: race.events, group: race, fromBeginning: true }
        ack: manual
`;

// Lesson scenarios on back-pressure: one fast producer (100 orders a second) and one slow consumer
// (40 ms an order, 25 a second), first on a RabbitMQ queue capped at 100 messages, then on Kafka.

/** The fast producer of both scenarios: 500 orders at 100 a second, once the consumer is up. */
const orderService = (broker: string, destination: "queue" | "topic") => `  - name: order-service
    producers:
      - name: orders
        broker: ${broker}
        to: { ${destination}: packing }
        rate: { perSecond: 100 }
        count: 500
        startAfter: 2s
        payload: { orderId: "{{seq}}", sku: "{{pick BOOK-1 MUG-7 PEN-3}}" }`;

/** The capped queue with drop-head; the lesson's steps switch it to reject-publish, then speed up the consumer. */
export const burstIntoCappedQueue = `# burst-into-capped-queue: 500 orders in 5 seconds into a queue that holds at most 100.
version: 1
name: burst-into-capped-queue
description: order-service sends 500 orders at 100/s; packing-service handles 25/s; the queue holds at most 100 ready messages.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      # max-length counts ready messages; the overflow rule says what happens to the 101st.
      - { name: packing, type: classic, durable: true, maxLength: 100, overflow: drop-head }

services:
${orderService("rabbit", "queue")}

  - name: packing-service
    consumers:
      - name: pack
        broker: rabbit
        from: { queue: packing }
        ack: manual
        prefetch: 10            # at most 10 unacknowledged orders in the service's hands
        concurrency: 1          # handled one at a time
        work: { ms: 40 }
`;

/** The same burst on a Kafka topic: the log has no length cap, so the group falls behind instead. */
export const burstIntoTopic = `# burst-into-topic: the same 500 orders and the same slow consumer, on Kafka.
version: 1
name: burst-into-topic
description: order-service sends 500 orders at 100/s to a topic; packing-service's group handles 25/s and falls behind.

brokers:
  kafka: { kind: kafka }

resources:
  kafka:
    topics:
      - { name: packing, partitions: 1, replicationFactor: 1, retention: 10m }

services:
${orderService("kafka", "topic")}

  - name: packing-service
    consumers:
      - name: pack
        broker: kafka
        from: { topic: packing, group: packing, fromBeginning: true }
        ack: manual
        work: { ms: 40 }
`;

// Lesson 8: Kafka's log: partitions and keys, consumer groups, and a rebalance after a crash.
import type { Lesson } from "../schema";
import { kafkaRebalance } from "../scenarios/kafka";

// The course's Java producer never flushes or closes: records still batched in memory are lost when
// the program ends. These versions close the producer, which sends what is batched first.
const java = `Properties props = new Properties();
props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
props.put(ProducerConfig.ACKS_CONFIG, "all");
props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);   // retries cannot reorder or duplicate

// try-with-resources: close() flushes the batch and waits for the broker's answers.
try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
    String customerId = "42";
    producer.send(new ProducerRecord<>("orders", customerId, "{\\"orderId\\":1,\\"customerId\\":42}"));
}`;

const typescript = `import { Kafka } from "kafkajs";

const producer = new Kafka({ brokers: ["localhost:9092"] }).producer({ idempotent: true });
await producer.connect();
try {
  // acks: -1 (all): send() resolves once the in-sync replicas have the record.
  await producer.send({ topic: "orders", acks: -1, messages: [{ key: "42", value: JSON.stringify({ orderId: 1, customerId: 42 }) }] });
} finally {
  await producer.disconnect();
}`;

const python = `from confluent_kafka import Producer

producer = Producer({
    "bootstrap.servers": "localhost:9092",
    "acks": "all",
    "enable.idempotence": True,  # retries cannot reorder or duplicate
})
customer_id = "42"
producer.produce("orders", key=customer_id, value='{"orderId": 1, "customerId": 42}')
# flush() sends what is batched and waits for the broker's answers: without it, a short
# program can end with the record still in memory, never sent.
producer.flush()`;

export const kafkaPartitions: Lesson = {
  id: "kafka-partitions-groups",
  number: 8,
  kind: "lesson",
  title: "Kafka: partitions, keys and consumer groups",
  summary: "Keys decide partitions, partitions decide order, groups decide who reads what. Then one member of a group dies and the others take over its partitions.",
  brokers: ["kafka"],
  minutes: 20,
  intro:
    "Kafka does not hand out messages and forget them: a topic is a log, split into partitions, and every consumer group keeps its own position (offset) in each partition. Within a group each partition is read by exactly one member, so a group shares the work like a queue. Every group reads the whole log, so several groups get a copy each, like publish/subscribe.",
  steps: [
    {
      id: "keys-partitions",
      title: "A key always lands on the same partition",
      body: `checkout-service writes 120 orders to the topic \`orders\` (3 partitions), with the customer id as the message **key**. Kafka's producer hashes the key to pick the partition, so all the orders of one customer go to one partition, and a partition is read in the order it was written.

One condition makes that order hold: the producer must not reorder the messages itself. A producer with several requests in flight that retries a failed one can write it after a later one. The idempotent producer (\`idempotent: true\` in this scenario; the default in recent Kafka clients) keeps order per partition through retries; without it, only one request in flight (\`max.in.flight.requests.per.connection=1\`) does.

The producer code below is the course's Kafka example, corrected: the course's version never flushes or closes its producer, so a short program can end with records still batched in memory, never sent. The scenario's checkout-service closes its producer when it stops, and waits for Kafka's acknowledgement of every record (\`acks: all\`).

Press **Start**. The check reads the run's message log (each key should show up on one partition only, and the orders of each customer should be processed in the order they were placed) and Kafka's admin API: group \`billing\` must have committed an offset on every partition.`,
      scenario: { example: "kafka-partitions" },
      code: [
        { language: "java", label: "Java (kafka-clients)", source: java },
        { language: "typescript", label: "TypeScript (kafkajs)", source: typescript },
        { language: "python", label: "Python (confluent-kafka)", source: python },
      ],
      check: {
        id: "keys-stay-put",
        kind: "all",
        label: "Keys stick to partitions, and each customer's orders stay in order",
        checks: [
          { kind: "runMetric", label: "Kafka acknowledged the 120 orders", path: "producers.checkout-service/orders.confirmed", op: ">=", value: 120 },
          { kind: "partitionByKey", label: "Every customer id stayed on one partition", consumer: "analytics-service/count", minKeys: 5 },
          { kind: "deliveryOrder", label: "billing processed each customer's orders in the order they were placed", consumer: "billing-service/charge", per: "key", expect: "ordered", minMessages: 60 },
          { kind: "consumerGroupOffsets", label: "Group billing committed offsets on all 3 partitions", group: "billing", topic: "orders", partitions: "all", committedAtLeast: 1 },
        ],
      },
      hints: [
        "Press Start; the run takes about 9 seconds.",
        "Offsets are read from Kafka about once a second; the last part turns green a moment after the first orders are charged.",
      ],
      quiz: [
        {
          id: "ordering-scope",
          prompt: "Where does Kafka guarantee the order of messages?",
          options: [
            { text: "Across the whole topic" },
            { text: "Within one partition", correct: true },
            { text: "Within one consumer group, whatever the partition" },
            { text: "Nowhere: ordering is up to the consumer" },
          ],
          explanation: "A partition is an append-only log read front to back, so order holds within it. Across partitions there is no order at all. That is why related messages (the orders of one customer) share a key: the same key, the same partition, the same order. One condition: the producer must not reorder them itself. With several requests in flight and retries, a failed batch can be retried after a later one was written; the idempotent producer (this scenario sets idempotent: true) or max.in.flight.requests.per.connection = 1 rules that out.",
        },
      ],
    },
    {
      id: "groups",
      title: "One group is a queue, two groups are pub/sub",
      body: `Give billing-service a third replica (\`replicas: 3\`): three members in group \`billing\`, one per partition. analytics-service stays alone in its own group, \`analytics\`.

**Predict** how many of the 120 orders analytics-service receives, then run it. The check wants every billing member to have received orders (they share the topic) and both groups to have read all of it.`,
      solution: { patch: [{ set: "services[billing-service].replicas", value: 3 }] },
      predict: {
        prompt: "billing now has three members; analytics-service is the only member of group analytics. How many of the 120 orders does analytics-service receive?",
        metric: "consumers.analytics-service/count.received",
        options: [
          { text: "Fewer than 120: it shares the orders with the billing members", min: 0, max: 119 },
          { text: "All 120 (or a few more if some are read twice)", min: 120 },
        ],
        explanation: "Groups do not share with each other: each group reads the whole log with its own offsets. Inside group billing the three members split the three partitions; group analytics, alone, reads all of them. One group behaves like a work queue, several groups like publish/subscribe, on the same topic.",
      },
      check: {
        id: "groups-split-and-copy",
        kind: "all",
        label: "billing's members share the topic; each group reads all of it",
        checks: [
          { kind: "scenario", label: "billing-service runs 3 replicas", path: "services[billing-service].replicas", equals: 3 },
          { kind: "replicaMetric", label: "Every billing member received orders", consumer: "billing-service/charge", field: "received", op: ">", value: 0, need: "all" },
          { kind: "runMetric", label: "Group billing read all 120 orders", path: "consumers.billing-service/charge.received", op: ">=", value: 120 },
          { kind: "runMetric", label: "Group analytics read all 120 orders", path: "consumers.analytics-service/count.received", op: ">=", value: 120 },
        ],
      },
      hints: [
        "Set `replicas: 3` on billing-service, answer the prediction, then Start. Or use Show me.",
        "With 3 partitions, a fourth billing member would get no partition at all and sit idle.",
      ],
      quiz: [
        {
          id: "more-members-than-partitions",
          prompt: "A topic has 3 partitions. What does a 4th member of the same consumer group do?",
          options: [
            { text: "It takes a quarter of each partition" },
            { text: "It reads every partition too, so each message is processed twice" },
            { text: "It gets no partition and stays idle, a standby", correct: true },
            { text: "Kafka refuses to let it join" },
          ],
          explanation: "A partition is read by at most one member of a group. Extra members wait and take over a partition when another member leaves. The partition count caps a group's parallelism.",
        },
      ],
    },
    {
      id: "rebalance",
      title: "A member dies: the group rebalances",
      body: `This scenario sends 400 orders over about 20 seconds to a group of two billing members. **Predict** how many orders billing processes in the end, then press **Start** and, while orders are flowing, press **Kill** next to *one* of the two billing-service replicas.

The dead member stops sending heartbeats. After its session times out (30 seconds here), Kafka **rebalances** the group: the surviving member takes over the dead one's partitions and resumes from the last committed offsets. Until then those partitions lag, and you can watch the lag grow in the run panel. The run ends once the group has caught up.`,
      scenario: { yaml: kafkaRebalance },
      predict: {
        prompt: "One of the two billing members is killed mid-run and never comes back. How many of the 400 orders does group billing process in the end?",
        metric: "ledger.consumed",
        options: [
          { text: "Fewer than 400: the dead member's share is lost", min: 0, max: 399 },
          { text: "All 400, some perhaps twice", min: 400 },
        ],
        explanation: "Nothing is lost: the messages stay in the log, and the partitions of the dead member are reassigned to the survivor, which continues from the last committed offsets. Orders processed but not yet committed before the crash are read again: at-least-once delivery.",
      },
      check: {
        id: "group-rebalanced",
        kind: "all",
        label: "The survivor took over and the group caught up",
        checks: [
          { kind: "replicaState", sticky: true, label: "One billing-service replica was killed", service: "billing-service", state: "killed" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "consumerGroupLag", label: "Group billing has no lag left", group: "billing", topic: "orders", op: "==", value: 0 },
          // The ledger counts distinct orders processed, whichever member did it.
          { kind: "ledger", label: "Group billing processed all 400 orders", field: "consumed", op: ">=", value: 400 },
        ],
      },
      hints: [
        "Answer the prediction, Start, then press Kill next to billing-service #1 (one replica, not the whole service).",
        "The takeover waits for the dead member's session to expire: expect about 30 seconds of growing lag.",
        "Killing both members leaves nobody to take over; start one again if you did.",
      ],
      quiz: [
        {
          id: "rebalance-when",
          prompt: "Why did the takeover wait about 30 seconds?",
          options: [
            { text: "Kafka moves partitions only every 30 seconds" },
            { text: "The group coordinator waited for the dead member's session timeout before declaring it gone", correct: true },
            { text: "The surviving member was busy and had to finish its partition first" },
            { text: "The producer paused until the group was healthy" },
          ],
          explanation: "A member that crashes cannot say goodbye, so the coordinator only notices when its heartbeats stop for a whole session timeout. A member that shuts down cleanly leaves the group at once and the rebalance starts immediately.",
        },
      ],
    },
  ],
  recap: [
    "A topic is a log split into partitions; order holds within a partition (given a producer that cannot reorder on retry: idempotent, or one request in flight), so related messages share a key.",
    "A producer must be flushed and closed before its process exits; the course's Java snippet does neither, so records still batched in memory are never sent. Close it in a finally block (or try-with-resources).",
    "Within a consumer group each partition has one reader: a group shares the work. Each group reads everything: groups are subscribers.",
    "The partition count caps a group's parallelism; extra members stand by.",
    "When a member dies, the group rebalances after its session times out and the survivors resume from committed offsets: nothing is lost, some messages may be read twice.",
  ],
};

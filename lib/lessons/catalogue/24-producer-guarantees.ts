// Lesson 24: what a Kafka producer's acks and idempotence guarantee when its connections fail:
// acks 0 loses, acks all with plain retries writes duplicates, the idempotent producer does neither.
import type { Lesson } from "../schema";
import { paymentsUnderResets } from "../scenarios/producer-guarantees";

const payments = "services[checkout-service].producers[payments]";

// The idempotent producer in the three languages of the course (each run by hand against the local
// stack's Kafka: 4,000, 4,000 and 200 records written, none failed).
const java = `Properties props = new Properties();
props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
// The defaults of recent Java clients, written out: wait for every in-sync replica, and number the
// batches so that the broker drops a retried batch it has already written.
props.put(ProducerConfig.ACKS_CONFIG, "all");
props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
  for (int paymentId = 1; paymentId <= 4000; paymentId++) {
    producer.send(new ProducerRecord<>("payments", "{\\"paymentId\\": " + paymentId + "}"), (metadata, error) -> {
      if (error != null) System.err.println("not written: " + error.getMessage());
    });
  }
  producer.flush(); // wait until every payment is acknowledged
} // close() releases the connections`;

const python = `from confluent_kafka import Producer

producer = Producer({
    "bootstrap.servers": "localhost:9092",
    "acks": "all",
    "enable.idempotence": True,
})

def report(error, message):
    if error is not None:
        print(f"not written: {error}")

for payment_id in range(1, 4001):
    producer.produce("payments", value=f'{{"paymentId": {payment_id}}}', on_delivery=report)
    producer.poll(0)  # serve the delivery reports that have arrived
producer.flush()  # wait until every payment is acknowledged`;

const typescript = `import { Kafka } from "kafkajs";

const kafka = new Kafka({ clientId: "checkout-service", brokers: ["localhost:9092"] });
// kafkajs is not idempotent by default; idempotence needs acks -1 (all).
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
for (let paymentId = 1; paymentId <= 4000; paymentId++) {
  await producer.send({ topic: "payments", acks: -1, messages: [{ value: JSON.stringify({ paymentId }) }] });
}
await producer.disconnect();`;

export const producerGuarantees: Lesson = {
  id: "producer-guarantees",
  number: 24,
  kind: "lesson",
  title: "Kafka producer guarantees: acks and idempotence",
  summary: "Reset a producer's connections while it sends 4,000 payments: with acks 0 some vanish, with acks all its retries write some twice, with the idempotent producer every payment is written once.",
  brokers: ["kafka"],
  minutes: 20,
  intro:
    "A consumer's guarantees (lessons 3, 8 and 11) start where the producer's end: a message the producer never got onto the broker cannot be delivered at all, and one it wrote twice will be consumed twice. What a Kafka producer promises depends on two settings: `acks`, how much of an answer it waits for, and idempotence, whether the broker can recognise a retried batch. In this lesson checkout-service sends 4,000 payments while its connections to Kafka are reset every half second (a fault on the link between the service and the broker), and the ledger counts what arrived.",
  steps: [
    {
      id: "acks-zero",
      title: "acks 0: fire and forget",
      body: `checkout-service sends with \`acks: 0\`: it writes each batch to the connection and counts it as sent without waiting for Kafka to answer. Its link to Kafka is slow (40 ms each way, like a long network path), and between 4 and 10 seconds into the run its connections are reset every half second. Each reset finds some payments still on the wire: they are gone, and the producer has no answer to miss, so it never finds out.

**Predict**, then press **Start** (about 15 seconds). The ledger compares what the producer counted as sent with what ledger-service consumed.`,
      scenario: { yaml: paymentsUnderResets },
      predict: {
        prompt: "With acks 0 and 13 connection resets, how many of the 4,000 payments that the producer counted as sent never reach ledger-service?",
        metric: "ledger.lost",
        options: [
          { text: "None: the producer resends whatever a reset interrupted", min: 0, max: 0 },
          { text: "Some: what was in flight at each reset is gone, and nobody notices", min: 1 },
        ],
        explanation: "With acks 0 the producer never hears from the broker, so a failed write and a successful one look the same to it: nothing to retry, no error to report. It is the fastest setting and the right one only where losing some messages is acceptable (metrics samples, for instance).",
      },
      check: {
        id: "acks-zero-loses",
        kind: "all",
        label: "Payments vanished while the producer saw no error",
        checks: [
          { kind: "scenario", label: "The producer uses acks 0", path: `${payments}.acks`, equals: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "The producer counted no failed send", path: "producers.checkout-service/payments.failed", op: "==", value: 0 },
          { kind: "ledger", label: "Payments it counted as sent never reached ledger-service", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Press Start; the resets are in the scenario's faults.", "The ledger's lost is final once the run has finished."],
    },
    {
      id: "acks-all",
      title: "acks all: nothing lost, some written twice",
      body: `Set the producer's \`acks\` to \`all\`: now it waits until Kafka has written each batch (to every in-sync replica) and retries a batch that got no answer.

A reset can fall between Kafka writing a batch and its answer reaching the producer. The producer cannot tell that case from a batch that never arrived, so it sends the batch again, and Kafka, which cannot recognise it, writes it a second time. **Predict**, then run it.`,
      scenario: { yaml: paymentsUnderResets },
      solution: { patch: [{ set: `${payments}.acks`, value: "all" }] },
      predict: {
        prompt: "With acks all (and no idempotence), how many payments does ledger-service consume twice?",
        metric: "ledger.duplicated",
        options: [
          { text: "None: acks all means exactly once", min: 0, max: 0 },
          { text: "Some: the retried batches that Kafka had already written", min: 1 },
        ],
        explanation: "Waiting for the answer turns silent loss into retries, and a retry after a lost answer is a duplicate: at-least-once on the producer's side. With more than one request in flight a retried batch can also land after a later one, changing the order within the partition.",
      },
      check: {
        id: "acks-all-duplicates",
        kind: "all",
        label: "Nothing lost; retries wrote some payments twice",
        checks: [
          { kind: "scenario", label: "The producer uses acks all", path: `${payments}.acks`, equals: "all" },
          { kind: "scenario", label: "…without idempotence", path: `${payments}.idempotent`, equals: false },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", id: "none-lost", label: "No payment was lost", field: "lost", op: "==", value: 0 },
          { kind: "ledger", id: "some-duplicates", label: "Some payments were consumed twice", field: "duplicated", op: ">", value: 0 },
        ],
      },
      hints: ["Change `acks: 0` to `acks: all`, or use Show me."],
    },
    {
      id: "idempotent",
      title: "The idempotent producer: each payment once",
      body: `Now set \`idempotent: true\` as well. The broker gives the producer an id, and the producer numbers every batch it sends to a partition. When a retried batch arrives with a number Kafka has already written, Kafka acknowledges it without writing it again; a batch that arrives out of turn is refused and sent again in order.

Run it. The check wants all 4,000 payments consumed, none lost and none twice. (Recent versions of Kafka's Java client, 3.2 and later, default to \`acks=all\` and \`enable.idempotence=true\`. kafkajs, which Brokerlab uses, still defaults to non-idempotent.) The code below sets it up in Java, Python and TypeScript, each flushing before it ends: records still in the client's buffer when a program exits are lost whatever the settings.`,
      scenario: { yaml: paymentsUnderResets, patch: [{ set: `${payments}.acks`, value: "all" }] },
      solution: { patch: [{ set: `${payments}.idempotent`, value: true }] },
      code: [
        { language: "java", label: "Java (kafka-clients)", source: java },
        { language: "python", label: "Python (confluent-kafka)", source: python },
        { language: "typescript", label: "TypeScript (kafkajs)", source: typescript },
      ],
      check: {
        id: "idempotent-once",
        kind: "all",
        label: "Every payment was written and consumed exactly once",
        checks: [
          { kind: "scenario", label: "The producer is idempotent", path: `${payments}.idempotent`, equals: true },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "ledger-service consumed all 4,000 payments", field: "consumed", op: ">=", value: 4000 },
          { kind: "ledger", label: "No payment was lost", field: "lost", op: "==", value: 0 },
          { kind: "ledger", id: "no-duplicates", label: "No payment was consumed twice", field: "duplicated", op: "==", value: 0 },
        ],
      },
      hints: ["Add `idempotent: true` under the producer, or use Show me."],
      quiz: [
        {
          id: "idempotence-scope",
          prompt: "What does the idempotent producer protect against, and what not?",
          options: [
            { text: "Duplicates from its own retries within one producer session; not an application that sends the same payment again as a new message", correct: true },
            { text: "Every duplicate anywhere in the system, consumers included" },
            { text: "Message loss when acks is 0" },
            { text: "Consumers reading a record twice after a crash" },
          ],
          explanation: "The broker deduplicates by producer id and sequence number, which covers the producer library's retries. A restarted producer (a new id, unless it is transactional) or an application-level resend is a new message, and a consumer that crashes before committing still reads again (lesson 11). End to end, consumers still need to be idempotent.",
        },
        {
          id: "ordering-in-flight",
          prompt: "A non-idempotent producer allows 5 requests in flight and retries. What can happen to the order within a partition?",
          options: [
            { text: "Nothing: Kafka orders by send time" },
            { text: "A retried batch can be written after a later batch that succeeded first", correct: true },
            { text: "The partition is sorted again by the consumer" },
            { text: "Retries are disabled when more than one request is in flight" },
          ],
          explanation: "Without sequence numbers the broker writes batches in the order they arrive, and a retry arrives late. Keep order with the idempotent producer (up to 5 requests in flight stay ordered) or with a single request in flight.",
        },
      ],
    },
  ],
  recap: [
    "acks 0 never hears from the broker: failed writes go unnoticed and messages are lost.",
    "acks all turns loss into retries, and a retry after a lost answer writes a duplicate (and, with several requests in flight, can reorder).",
    "The idempotent producer numbers its batches so the broker writes each once and in order; recent Java clients (3.2 and later) do this by default.",
    "It covers the producer's own retries only: consumers still need to be idempotent.",
  ],
};

// Lesson 16: the same burst through RabbitMQ and Kafka on your own machine, and what to choose when.
import type { Lesson } from "../schema";
import { brokerRace } from "../scenarios/kafka";

const kafkaStart = "services[kafka-producer].producers[burst].startAfter";

export const choosingBroker: Lesson = {
  id: "choosing-a-broker",
  number: 16,
  kind: "lesson",
  title: "Choosing a broker: RabbitMQ or Kafka",
  summary: "Race the same 5,000 messages through both brokers on your machine, then weigh what the numbers do not show: routing, replay, ordering and operations.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 15,
  intro:
    "RabbitMQ is, first of all, a broker of queues: it routes each message to queues by exchanges and bindings, hands it to a consumer, and deletes it from a queue once acknowledged. (Since version 3.9 it also has **streams**, an append-only log that consumers read by offset and that keeps messages after they are read, much like a Kafka partition; this lesson uses its classic queues.) Kafka is a distributed log: it appends messages to partitions, keeps them for a retention period, and lets every consumer group read at its own offset. Both move a lot of messages; they differ in what they make easy.",
  steps: [
    {
      id: "race",
      title: "The same burst through both",
      body: `Two pipelines, one per broker: 5,000 messages published as fast as possible, one consumer each. They are alike, not identical, and the differences matter more than the brand:

- RabbitMQ's consumer may hold 200 unacknowledged messages (\`prefetch: 200\`) and acknowledges each one; Kafka's consumer fetches in batches and commits its offset after each message it processes.
- RabbitMQ has one queue; the Kafka topic has three partitions (but one consumer reading all three).
- As loaded, both start at the same moment on the same machine, so they compete for the same CPUs: whichever is busier slows the other down. That is not a fair race.

Make it fairer before you read any numbers: let Kafka start after RabbitMQ is done. Set \`startAfter: 12s\` on kafka-producer's producer (the RabbitMQ burst takes a few seconds), then press **Start** and watch each pipeline's rate and latency in the run panel, one after the other. The numbers are yours: they depend on this machine, on the single-node local stack, and on settings (prefetch, batching, acks) that both brokers let you tune. The check wants the pipelines run one after the other, both finished and nothing lost.`,
      scenario: { yaml: brokerRace },
      solution: { yaml: brokerRace, patch: [{ set: kafkaStart, value: "12s" }] },
      check: {
        id: "both-finished",
        kind: "all",
        label: "Both brokers delivered the whole burst, one after the other",
        checks: [
          { kind: "scenario", label: "Kafka's burst starts at least 8 s in, after RabbitMQ's", path: kafkaStart, op: ">=", value: 8000 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "RabbitMQ's consumer read all 5,000", path: "consumers.rabbit-consumer/read.received", op: ">=", value: 5000 },
          { kind: "runMetric", label: "Kafka's consumer read all 5,000", path: "consumers.kafka-consumer/read.received", op: ">=", value: 5000 },
          { kind: "ledger", label: "Nothing was lost on either side", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change `startAfter: 1s` under kafka-producer's burst to `startAfter: 12s`, then Start. Or use Show me.", "The run takes about 20 seconds."],
      quiz: [
        {
          id: "replay-which",
          prompt: "A new service must read every order of the last week. Which broker makes that straightforward?",
          options: [
            { text: "RabbitMQ: acknowledged messages stay in the queue" },
            { text: "Kafka: the log is retained and a new consumer group can start from the oldest offset", correct: true },
            { text: "Neither can do it" },
            { text: "Both, in the same way" },
          ],
          explanation: "A queue deletes a message once it is acknowledged, so a newcomer sees only what arrives after it subscribes. A log keeps messages for its retention period, independent of who read them, so replay is built in. (A RabbitMQ stream is such a log too: a new consumer can read it from the first offset. Classic and quorum queues are not.)",
        },
        {
          id: "routing-which",
          prompt: "Messages must go to different consumers by flexible rules (exact keys, wildcards, headers), with per-message acknowledgement and dead-lettering. Which fits more naturally?",
          options: [
            { text: "RabbitMQ", correct: true },
            { text: "Kafka" },
          ],
          explanation: "Exchanges, bindings, per-message acks, TTLs and dead-letter exchanges are RabbitMQ's home ground. With Kafka, routing means choosing topics and filtering in consumers, and retries and dead letters are topics you manage yourself.",
        },
      ],
    },
  ],
  recap: [
    "RabbitMQ: smart routing to queues, per-message acknowledgement; a queue's message is gone once acknowledged, while a RabbitMQ stream keeps messages like a log.",
    "A fair benchmark changes one thing at a time: pipelines that share CPUs, or differ in prefetch, batching and partitions, measure those differences as much as the brokers.",
    "Kafka: a partitioned, retained log; consumer groups with offsets; replay and very high throughput.",
    "Measure on your own workload and hardware; then choose by the features you need (routing, replay, ordering) as much as by speed.",
  ],
};

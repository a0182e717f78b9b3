// Lesson 16: the same burst through RabbitMQ and Kafka on your own machine, and what to choose when.
import type { Lesson } from "../schema";
import { brokerRace } from "../scenarios/kafka";

export const choosingBroker: Lesson = {
  id: "choosing-a-broker",
  number: 16,
  kind: "lesson",
  title: "Choosing a broker: RabbitMQ or Kafka",
  summary: "Race the same 5,000 messages through both brokers on your machine, then weigh what the numbers do not show: routing, replay, ordering and operations.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 15,
  intro:
    "RabbitMQ is a broker of queues: it routes each message to queues by exchanges and bindings, hands it to a consumer, and deletes it once acknowledged. Kafka is a distributed log: it appends messages to partitions, keeps them for a retention period, and lets every consumer group read at its own offset. Both move a lot of messages; they differ in what they make easy.",
  steps: [
    {
      id: "race",
      title: "The same burst through both",
      body: `Two identical pipelines start at the same moment: 5,000 messages published as fast as possible, one consumer each, manual acknowledgement (RabbitMQ) or offset commits after processing (Kafka).

Press **Start** and watch the rates and latency in the run panel. The numbers are yours: they depend on this machine, on the single-node local stack, and on settings (prefetch, batching, acks) that both brokers let you tune. The check only wants both pipelines to finish with nothing lost.`,
      scenario: { yaml: brokerRace },
      check: {
        id: "both-finished",
        kind: "all",
        label: "Both brokers delivered the whole burst",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "RabbitMQ's consumer read all 5,000", path: "consumers.rabbit-consumer/read.received", op: ">=", value: 5000 },
          { kind: "runMetric", label: "Kafka's consumer read all 5,000", path: "consumers.kafka-consumer/read.received", op: ">=", value: 5000 },
          { kind: "ledger", label: "Nothing was lost on either side", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start; the run takes about 10 seconds."],
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
          explanation: "A queue deletes a message once it is acknowledged, so a newcomer sees only what arrives after it subscribes. A log keeps messages for its retention period, independent of who read them, so replay is built in.",
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
    "RabbitMQ: smart routing to queues, per-message acknowledgement, messages gone once consumed.",
    "Kafka: a partitioned, retained log; consumer groups with offsets; replay and very high throughput.",
    "Measure on your own workload and hardware; then choose by the features you need (routing, replay, ordering) as much as by speed.",
  ],
};

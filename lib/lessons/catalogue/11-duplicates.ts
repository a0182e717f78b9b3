// Lesson 11: at-least-once means duplicates; competing consumers reorder; why not distributed transactions.
import type { Lesson } from "../schema";
import { kafkaDuplicates } from "../scenarios/kafka";

export const duplicatesOrdering: Lesson = {
  id: "duplicates-ordering",
  number: 11,
  kind: "lesson",
  title: "Duplicates, idempotency and out-of-order delivery",
  summary: "A consumer dies after doing the work and before recording it: the work happens twice. Parallel consumers finish out of order. Design for both instead of wishing them away.",
  brokers: ["kafka", "rabbitmq"],
  minutes: 20,
  intro:
    "Brokers that never lose a message (acks after processing, offsets committed after processing) must sometimes deliver one twice: if a consumer crashes between doing the work and recording that it did, the work is redone. That is **at-least-once** delivery, and the fix lives in the consumer: make processing **idempotent**, so doing it twice has the effect of doing it once. Parallelism has a similar price: several consumers finish in whatever order their work takes.",
  steps: [
    {
      id: "at-least-once",
      title: "Killed before the commit: the work is done twice",
      body: `ledger-service books 300 payments from a Kafka topic. It commits offsets once per fetched batch (\`ack: auto\`), and a batch here takes about 12 seconds. Five seconds in, the scenario kills it mid-batch and starts it again.

The new member resumes from the last **committed** offset, so it books again the payments the dead one had already booked. The group has to notice the dead member and rebalance before the new one gets the partition, so expect the run to take half a minute or more. **Predict**, then **Start**.`,
      scenario: { yaml: kafkaDuplicates },
      predict: {
        prompt: "Will any payment be booked twice?",
        metric: "ledger.duplicated",
        options: [
          { text: "No: Kafka delivers each message exactly once", min: 0, max: 0 },
          { text: "Yes: the payments processed after the last commit are processed again", min: 1 },
        ],
        explanation: "Committing an offset is how a Kafka consumer says \"done up to here\". Everything processed after the last commit is, as far as Kafka knows, not done: the next member of the group processes it again. Without idempotency, those are double bookings.",
      },
      check: {
        id: "booked-twice",
        kind: "all",
        label: "The crash made the ledger book payments twice",
        checks: [
          { kind: "replicaState", label: "ledger-service was killed mid-batch and started again", service: "ledger-service", minRestarts: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "Some payments were processed twice", field: "duplicated", op: ">", value: 0 },
          { kind: "ledger", label: "…and none was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start and wait: the takeover after the kill waits about 30 seconds for the session to expire."],
      quiz: [
        {
          id: "idempotent-means",
          prompt: "What makes a consumer idempotent?",
          options: [
            { text: "It processes messages one at a time" },
            { text: "Processing the same message twice has the same effect as processing it once", correct: true },
            { text: "It acknowledges before processing" },
            { text: "It never crashes" },
          ],
          explanation: "Idempotency is about effects: record the message id (or a business key) together with the change, in the same database transaction, and skip ids already seen; or make the change naturally repeatable (set the stock to 7, rather than subtract 2). Brokerlab's `idempotent: true` keeps the ids in memory, which is enough for redeliveries within one process but not across a crash: real systems keep them next to the data.",
        },
      ],
    },
    {
      id: "out-of-order",
      title: "Parallel consumers finish out of order",
      body: `The work-queue example: three workers take jobs of 10 to 110 ms from one queue. RabbitMQ hands the jobs out in order, but a short job taken later can finish before a long one taken earlier.

Press **Start**. The check reads the message log and wants to see jobs **processed** out of their publish order. If an order must hold (all events of one order, one account), it has to be kept by design: one consumer per key, or a partition per key as in Kafka (lesson 8), or a sequence number the consumer checks.`,
      scenario: { example: "work-queue" },
      check: {
        id: "reordered",
        kind: "deliveryOrder",
        label: "The workers finished jobs out of publish order",
        consumer: "worker/process",
        event: "processed",
        expect: "reordered",
        minMessages: 30,
      },
      hints: ["Press Start; the run takes about 7 seconds."],
      quiz: [
        {
          id: "why-not-2pc",
          prompt: "Why do microservices usually avoid distributed transactions (two-phase commit) across services and brokers?",
          options: [
            { text: "They block every participant on the slowest one and on the coordinator, which hurts availability and scalability", correct: true },
            { text: "They are not supported by any database" },
            { text: "They make messages arrive out of order" },
            { text: "They require Kafka" },
          ],
          explanation: "Two-phase commit couples every participant's availability to the others: locks are held until everyone votes, and a coordinator failure can leave them in doubt. Message-driven systems instead accept eventual consistency, make consumers idempotent, and use patterns like the outbox and sagas with compensating actions.",
        },
      ],
    },
  ],
  recap: [
    "At-least-once delivery: a crash between processing and acknowledging (or committing) repeats the work.",
    "Idempotent consumers make repeats harmless; keep the processed ids where the data lives.",
    "Competing consumers process in parallel and finish out of order; keep order by key when it matters.",
    "Prefer idempotency, the outbox pattern and sagas to distributed transactions across services.",
  ],
};

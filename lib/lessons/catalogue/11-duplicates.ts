// Lesson 11: at-least-once means duplicates; competing consumers reorder; why not distributed transactions.
import type { Lesson } from "../schema";
import { lostAcks } from "../scenarios/duplicates";
import { kafkaDuplicates } from "../scenarios/kafka";

const book = "services[ledger-service].consumers[book]";

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

The new member resumes from the last **committed** offset, so it books again the payments the dead one had already booked.

Compare \`ack: auto\` on RabbitMQ (lesson 3): there the broker forgets a message the moment it delivers it, so a crash **loses** what the consumer held. On Kafka, \`ack: auto\` means offsets are committed automatically, every few seconds or per batch, for messages already processed, so a crash **repeats** what came after the last commit. The same words, opposite failures: loss on RabbitMQ, duplicates on Kafka. The group has to notice the dead member and rebalance before the new one gets the partition, so expect the run to take half a minute or more. **Predict**, then **Start**.`,
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
          id: "auto-ack-two-brokers",
          prompt: "A consumer with ack: auto is killed mid-stream. What happens to the messages it was working on, on RabbitMQ and on Kafka?",
          options: [
            { text: "Lost on both" },
            { text: "Redelivered on both" },
            { text: "Lost on RabbitMQ (deleted on delivery); processed again on Kafka (the offset was not committed yet)", correct: true },
            { text: "Processed again on RabbitMQ; lost on Kafka" },
          ],
          explanation: "RabbitMQ's auto-ack removes a message as soon as it is sent to the consumer, so whatever the process held dies with it (lesson 3 counts the loss). Kafka's automatic commits trail the processing: the group resumes from the last committed offset, and everything processed since is processed again. Manual acks or commits after the work make both at-least-once.",
        },
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
      id: "idempotent-consumer",
      title: "Make the consumer idempotent",
      body: `A duplicate does not need a crash. In this scenario RabbitMQ delivers 300 payments to ledger-service, which books each one and acknowledges it. Two seconds in, the network drops everything between ledger-service and RabbitMQ for two seconds: the payments already in the service's hands are booked, but their acks never arrive. Then the connection is reset, and RabbitMQ delivers every unacknowledged payment again, with the redelivered flag, to the same process, which has booked them already.

As loaded (\`idempotent: false\`) the ledger books those payments twice: run it if you like, and read **duplicated** in the ledger. Then make the consumer idempotent: set \`idempotent: true\` on ledger-service's consumer. It then remembers the id of every payment it booked and acknowledges a repeat without booking it again, counting it as a **duplicate** instead.

**Predict**, then **Start**.`,
      scenario: { yaml: lostAcks },
      solution: { yaml: lostAcks, patch: [{ set: `${book}.idempotent`, value: true }] },
      predict: {
        prompt: "With idempotent: true, how many payments does the ledger count as booked twice?",
        metric: "ledger.duplicated",
        options: [
          { text: "None: the repeats arrive, and are recognised and skipped", min: 0, max: 0 },
          { text: "Some: the redelivered ones are booked again", min: 1 },
        ],
        explanation: "The redeliveries still happen (the broker cannot know the work was done), but the consumer checks each id before booking it. Here the ids live in the process's memory, which is enough because the same process gets the repeats; a consumer that may restart keeps them next to its data, in the same transaction as the booking.",
      },
      check: {
        id: "duplicates-once",
        kind: "all",
        label: "The repeats arrived and were booked only once",
        checks: [
          { kind: "scenario", label: "ledger-service's consumer is idempotent", path: `${book}.idempotent`, equals: true },
          { kind: "runMetric", label: "RabbitMQ delivered payments again after the lost acks", path: "consumers.ledger-service/book.redelivered", op: ">", value: 0 },
          { kind: "runMetric", label: "ledger-service recognised repeats and skipped them", path: "consumers.ledger-service/book.duplicates", op: ">", value: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "No payment was booked twice", field: "duplicated", op: "==", value: 0 },
          { kind: "ledger", label: "…and none was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change `idempotent: false` to `idempotent: true` under ledger-service's consumer, answer the prediction, then Start. Or use Show me.", "The run takes about 15 seconds."],
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

// Lesson 22: what retries do to the order of a keyed stream: a delay queue reorders a customer's
// orders on RabbitMQ; retrying in place keeps the order, and on Kafka a poison message stops its partition.
import type { Lesson } from "../schema";
import { keyedRetriesKafka, keyedRetriesRabbit } from "../scenarios/ordering";

const charge = "services[billing-service].consumers[charge]";

export const orderingRetries: Lesson = {
  id: "ordering-retries",
  number: 22,
  kind: "lesson",
  title: "Ordering under retries",
  summary: "One customer's orders, 10 % of attempts failing: a retry through a delay queue overtakes nothing and is overtaken by everything, while retrying in place keeps the order and blocks what waits behind.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 20,
  intro:
    "Many systems need the events of one entity (one customer, one account) handled in the order they happened: a refund before its payment makes no sense. Brokers keep order only in a narrow sense: a RabbitMQ queue hands messages out in the order they were enqueued, a Kafka partition in the order they were appended. A retry is a new enqueue or a wait, and that is where the order of a key is won or lost. This lesson runs the same keyed stream with the same 10 % failure rate three ways and reads, in the message log, whether each customer's orders were processed in the order they were placed.",
  steps: [
    {
      id: "delay-queue-reorders",
      title: "Retries through a delay queue reorder a customer's orders",
      body: `checkout-service publishes 200 orders of 8 customers to the topic exchange \`orders\`, with the customer in the routing key (\`customer.3\`). billing-service takes them one at a time (\`prefetch: 1\`) and fails 10 % of its attempts. A failed order is retried the usual RabbitMQ way: a copy goes to the delay queue \`orders.retry.300\`, the original is acked, and 300 ms later the copy expires back into \`orders\`, **at the tail**, behind every order published in the meantime, including later orders of the same customer.

Press **Start** (about 8 seconds). The check reads the run's message log: for each customer (each routing key) it compares the order in which billing-service finished the orders with the order they were placed, and wants to see a customer whose later order was charged before an earlier one.`,
      scenario: { yaml: keyedRetriesRabbit },
      check: {
        id: "retries-reorder",
        kind: "all",
        label: "Retried orders were charged after later orders of the same customer",
        checks: [
          { kind: "runMetric", label: "billing-service retried failed orders through the delay queue", path: "consumers.billing-service/charge.retried", op: ">", value: 0 },
          { kind: "deliveryOrder", label: "Some customer's orders were charged out of order", consumer: "billing-service/charge", event: "processed", per: "key", expect: "reordered", minMessages: 100 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "…and no order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Press Start; the retries are in the scenario (onError with retries and backoffMs).",
        "The ordering part needs 100 charged orders in the message log before it judges.",
      ],
      quiz: [
        {
          id: "why-tail",
          prompt: "Why does a retry through a delay queue break the order of a key?",
          options: [
            { text: "RabbitMQ shuffles messages in delay queues" },
            { text: "The retry is a new message that joins the queue at the tail, after the key's later messages", correct: true },
            { text: "The message TTL changes the message's routing key" },
            { text: "It does not: the broker restores the original position" },
          ],
          explanation: "The failed message was acked and a copy was published again. Whatever was enqueued while the copy waited (later orders of the same customer among them) is now ahead of it. The same holds for Kafka retry topics: the retried record is read from another topic, after the partition has moved on.",
        },
      ],
    },
    {
      id: "requeue-in-place",
      title: "Retry in place: order kept, the line waits",
      body: `Now make billing-service retry **in place**: set its \`onError\` to \`requeue\`. A failed order is rejected with requeue, and on a classic queue RabbitMQ puts it back where it was, at the head; with one consumer and \`prefetch: 1\`, the very next delivery is the same order again.

Run it. Each customer's orders are now charged in the order they were placed, and the price is visible too: while an order is being retried, nothing behind it moves. Had one order failed forever, the whole queue would wait behind it (lesson 10's poison message); with several consumers or a larger prefetch, orders are handed out in parallel and can overtake each other again.`,
      solution: { patch: [{ set: `${charge}.onError`, value: "requeue" }] },
      check: {
        id: "requeue-keeps-order",
        kind: "all",
        label: "Orders retried in place, each customer's orders charged in order",
        checks: [
          { kind: "scenario", label: "billing-service requeues on error", path: `${charge}.onError.then`, equals: "requeue" },
          { kind: "runMetric", label: "Failed orders were requeued", path: "consumers.billing-service/charge.requeued", op: ">", value: 0 },
          { kind: "deliveryOrder", label: "Every customer's orders were charged in the order they were placed", consumer: "billing-service/charge", event: "processed", per: "key", expect: "ordered", minMessages: 150 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
        ],
      },
      hints: ["Replace the whole onError block with `onError: requeue`, or use Show me."],
      quiz: [
        {
          id: "requeue-cost",
          prompt: "A consumer retries in place to keep each customer's order. What does one order that can never succeed do?",
          options: [
            { text: "Nothing: the broker skips it after a while by default" },
            { text: "It blocks every message behind it, of every customer, until someone removes it or a delivery limit dead-letters it", correct: true },
            { text: "It is moved to the tail, so only its own customer waits" },
            { text: "It makes the consumer crash" },
          ],
          explanation: "Ordering and progress pull against each other. A classic queue has no delivery limit, so the poison message comes back forever; a quorum queue's delivery limit (lesson 10) dead-letters it, giving up that message's order to let the others move.",
        },
      ],
    },
    {
      id: "kafka-partition-waits",
      title: "Kafka: order per partition, and a poison message stops its partition",
      body: `The same orders on Kafka: the topic \`orders\` has 3 partitions, the customer id is the key, and billing has three members, one per partition. A failed attempt is retried in place (\`onError: requeue\`: the member processes the same record again). Order 60 can never be charged: a poison message.

**Predict** the group's lag at the end, then press **Start**. The run lasts 30 seconds. The check wants every customer's orders charged in order, the group still behind when the run ends (the poison's partition cannot move past it, because an offset is committed only after a record succeeds) and the orders of the other partitions charged all the same.`,
      scenario: { yaml: keyedRetriesKafka },
      run: { durationSeconds: 30 },
      predict: {
        prompt: "Order 60 always fails and billing retries in place. What is group billing's lag when the run ends (the unprocessed records, summed over the partitions)?",
        metric: "lag.*.total",
        options: [
          { text: "0: Kafka skips a record that keeps failing", min: 0, max: 0 },
          { text: "More than 0: order 60 and every record after it in its partition wait", min: 1 },
        ],
        explanation: "A Kafka consumer commits an offset to say \"done up to here\", and it cannot commit past a record it has not processed without skipping it. Retrying in place keeps the partition's order and stops that partition behind the poison message: its lag only grows. The other partitions, read by other members, go on. Real consumers bound the attempts and then write the record to a dead-letter topic, accepting that the key's order is broken for that one record.",
      },
      check: {
        id: "partition-blocked",
        kind: "all",
        label: "Order kept per key; the poison's partition waits while the others go on",
        checks: [
          { kind: "runMetric", label: "billing retried failed records in place", path: "consumers.billing-service/charge.requeued", op: ">", value: 0 },
          { kind: "deliveryOrder", label: "Every customer's orders were charged in the order they were placed", consumer: "billing-service/charge", event: "processed", per: "key", expect: "ordered", minMessages: 80 },
          { kind: "runMetric", label: "The other partitions were processed: at least 100 orders charged", path: "consumers.billing-service/charge.acked", op: ">=", value: 100 },
          // Decided on the final frame: while orders still arrive, any group lags for a moment.
          { kind: "runStatus", label: "The run has finished (30 s)", is: ["finished"] },
          { kind: "consumerGroupLag", label: "Group billing is still behind at the end: the poison's partition is stuck", group: "billing", topic: "orders", op: ">", value: 0 },
        ],
      },
      hints: [
        "Answer the prediction and Start. The lag shows per partition in the run panel: one partition's lag grows, the others reach 0.",
        "The check is decided when the run ends, 30 seconds in: a group that keeps up would have no lag left by then.",
      ],
      quiz: [
        {
          id: "kafka-order-scope",
          prompt: "Which retry strategy keeps a key's order on Kafka?",
          options: [
            { text: "Writing the failed record to a retry topic and carrying on" },
            { text: "Retrying the record in place before committing its offset", correct: true },
            { text: "Adding more members to the group" },
            { text: "Committing the offset first, then retrying" },
          ],
          explanation: "Only retrying in place keeps the record ahead of the key's later records, at the price of stopping the partition while it fails. A retry topic lets the partition move on and the record come back later, out of order. Committing first and then failing loses the record if the consumer dies.",
        },
      ],
    },
  ],
  recap: [
    "A retry through a delay queue or a retry topic is a new message: it lands behind the key's later messages, so per-key order breaks.",
    "Retrying in place keeps the order, and everything behind the failing message waits (head-of-line blocking).",
    "On Kafka a poison message stops its partition: the offset cannot be committed past it, and the lag grows while other partitions go on.",
    "To keep order and make progress, bound the retries, then park the message (a dead-letter queue or topic) and decide what to do with its key's later messages.",
  ],
};

// Lesson 4: producer and consumer must agree on their declarations; unroutable messages vanish.
import type { Lesson } from "../schema";
import { matchingDeclarations, mismatchedDeclarations, unroutableOrders } from "../scenarios/queues";

const consumerQueue = "services[inventory-service].consumers[update-stock].from.queue";

export const declarationPitfalls: Lesson = {
  id: "declaration-pitfalls",
  number: 4,
  kind: "lesson",
  title: "Declaration pitfalls",
  summary: "A queue name that does not match, a queue declared twice with different arguments, and messages published to a route nobody bound.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Declaring a queue is idempotent: declare it again with the same name and the same arguments and nothing happens, which is why both producer and consumer usually declare the queues they use. Two things go wrong in practice: the names do not match, or the arguments do not. And a message sent to an exchange with a routing key nobody bound goes nowhere, silently, unless you ask the broker to tell you.",
  steps: [
    {
      id: "wrong-name",
      title: "A consumer on a queue nobody declared",
      body: `The scenario on the right is the working hello-queue pair: both services use \`order_queue\`. Make the classic mistake yourself: change inventory-service's \`from: { queue: order_queue }\` to \`orders_queue\` (one letter more), then press **Start**.

In plain client code nothing would complain: the consumer would declare its own, empty \`orders_queue\` and wait forever, while the orders pile up in \`order_queue\`. Brokerlab validates the whole scenario before it touches the broker, and refuses this one, naming the field. That refusal is the check; the scenario as loaded runs fine and does not pass it.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: consumerQueue, value: "orders_queue" }] },
      check: {
        id: "undeclared-queue-refused",
        kind: "scenarioProblem",
        label: "Brokerlab refused the consumer of an undeclared queue",
        path: "consumers\\[\\d+\\]\\.from\\.queue",
        message: "is not a queue declared",
      },
      hints: ["Edit `from: { queue: order_queue }` under inventory-service to `orders_queue`, then Start. Or use Show me.", "Read the error under the editor: it names the path of the bad field."],
      quiz: [
        {
          id: "declare-both",
          prompt: "Why do producer and consumer code both declare the same queue?",
          options: [
            { text: "Because a queue must be declared twice before it accepts messages" },
            { text: "Because declaring is idempotent, and neither side can know the other started first", correct: true },
            { text: "To give the queue two owners" },
            { text: "It is a mistake; only the producer should" },
          ],
          explanation: "Whichever side starts first creates the queue; for the other the declaration is a no-op. It only works if both sides use the same name and the same arguments, which is exactly what breaks in this lesson.",
        },
      ],
    },
    {
      id: "mismatched-arguments",
      title: "The same queue, declared differently",
      body: `Now both services declare \`order_queue\`, as in the course's code, each through its own connection. (The scenario uses two broker entries for the same RabbitMQ, one per service, so that each declaration really reaches the broker.) As loaded, both declare a plain durable queue, so the run would start.

Give inventory-service's declaration one more argument: add \`messageTtl: 60s\` to the \`order_queue\` under \`inventory-side\`, then press **Start**. RabbitMQ accepts the first declaration and answers the second with PRECONDITION_FAILED ("inequivalent arg"), closing the channel. Brokerlab reports it as a CONFLICT and names the argument that differs.`,
      scenario: { yaml: matchingDeclarations },
      solution: { yaml: mismatchedDeclarations },
      check: {
        id: "conflict-named",
        kind: "runError",
        label: "RabbitMQ refused the second, different declaration",
        code: "CONFLICT",
        message: "order_queue",
      },
      hints: ["Under resources.inventory-side.queues, write `- { name: order_queue, type: classic, durable: true, messageTtl: 60s }`, then Start. Or use Show me.", "The run fails to start, and that is the point: the message names the argument that differs, x-message-ttl."],
      quiz: [
        {
          id: "precondition-failed",
          prompt: "An existing queue is declared again with a different x-message-ttl. What does RabbitMQ do?",
          options: [
            { text: "Updates the queue to the new TTL" },
            { text: "Keeps the old TTL and ignores the new declaration silently" },
            { text: "Refuses with PRECONDITION_FAILED and closes the channel", correct: true },
            { text: "Creates a second queue with the same name" },
          ],
          explanation: "A queue's arguments are fixed when it is created. A differing redeclaration is an error (406 PRECONDITION_FAILED) that closes the channel. To change the arguments, delete and recreate the queue, or use a policy, which can be changed on a live queue.",
        },
      ],
    },
    {
      id: "unroutable",
      title: "Published, confirmed, and gone",
      body: `order-service publishes \`order.placed\` to the direct exchange \`orders\`, but the only binding is for \`order.created\`. The broker confirms every publish (it received them), finds no queue to route them to, and drops them.

**Predict** how many orders fulfilment-service receives, then run it. The run lasts 10 seconds; the ledger counts every confirmed order that nobody consumed.`,
      scenario: { yaml: unroutableOrders },
      run: { durationSeconds: 10 },
      predict: {
        prompt: "50 orders are published with routing key order.placed; the queue is bound with order.created. How many reach fulfilment-service?",
        metric: "consumers.fulfilment-service/pick-items.received",
        options: [
          { text: "All 50: a direct exchange falls back to the only queue", min: 50 },
          { text: "None: nothing matches, so the exchange drops them", min: 0, max: 0 },
          { text: "Some of them", min: 1, max: 49 },
        ],
        explanation: "An exchange routes by its bindings and stores nothing. With no matching binding the message is discarded, and, without mandatory, the producer is not told. The confirm only says the broker took responsibility, not that a queue got the message.",
      },
      check: {
        id: "vanished",
        kind: "all",
        label: "Every order was confirmed and none arrived",
        checks: [
          { kind: "runMetric", label: "RabbitMQ confirmed the 50 orders", path: "producers.order-service/place-order.confirmed", op: ">=", value: 50 },
          { kind: "runMetric", label: "fulfilment-service received nothing", path: "consumers.fulfilment-service/pick-items.received", op: "==", value: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "The ledger counts them lost", field: "lost", op: ">=", value: 50 },
        ],
      },
      hints: ["Answer the prediction, then Start and wait 10 seconds."],
    },
    {
      id: "mandatory",
      title: "mandatory: make the broker say so",
      body: `Set \`mandatory: true\` on the producer. Now an unroutable message is returned to the publisher (basic.return) instead of vanishing, and Brokerlab counts it as **returned**.

Run it: the check wants the returns. In real code, handle them: log, alert, or park the message somewhere safe. (Or fix the binding: \`routingKey: order.placed\`.)`,
      solution: { patch: [{ set: "services[order-service].producers[place-order].mandatory", value: true }] },
      run: { durationSeconds: 10 },
      check: {
        id: "returned",
        kind: "all",
        label: "Unroutable orders came back to order-service",
        checks: [
          { kind: "scenario", label: "The producer sets mandatory: true", path: "services[order-service].producers[place-order].mandatory", equals: true },
          { kind: "runMetric", label: "order-service saw returned orders", path: "producers.order-service/place-order.returned", op: ">=", value: 1 },
        ],
      },
      hints: ["Change `mandatory: false` to `mandatory: true` on place-order, or use Show me."],
    },
  ],
  recap: [
    "Declarations are idempotent only when name and arguments match; a differing redeclaration fails with PRECONDITION_FAILED.",
    "A consumer of a misspelled queue waits on an empty queue of its own; Brokerlab's validation catches it before the broker is touched.",
    "Exchanges store nothing: a message no binding matches is dropped, even though the publish was confirmed.",
    "mandatory: true turns that silence into a returned message the producer can act on.",
  ],
};

// Lesson 25: what happens when a producer outruns its consumer. A capped RabbitMQ queue drops
// (drop-head) or refuses (reject-publish); a Kafka topic keeps everything and the group lags; and
// inside the consumer, prefetch and bounded concurrency are the back-pressure of reactive streams.
import type { Lesson } from "../schema";
import { burstIntoCappedQueue, burstIntoTopic } from "../scenarios/back-pressure";
import { boundedConsumerSamples } from "../samples/back-pressure";

const queue = "resources.rabbit.queues[packing]";
const pack = "services[packing-service].consumers[pack]";

export const backPressure: Lesson = {
  id: "back-pressure",
  number: 25,
  kind: "lesson",
  title: "Back-pressure: when the producer is faster",
  summary: "Send 500 orders at 100 a second to a consumer that handles 25: a capped queue drops or refuses the overflow, a Kafka group falls behind, and prefetch with bounded concurrency is back-pressure inside the consumer.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 25,
  intro:
    "A queue lets a producer go faster than its consumer for a while (lesson 1). Not forever: something has to give when the difference lasts. **Back-pressure** is the general name for the slower side telling the faster one to slow down; without it, the only choices are to store more, drop something or refuse something. In this lesson order-service sends 500 orders at 100 a second, and packing-service handles 25 a second. You try each choice RabbitMQ and Kafka offer, then see where back-pressure lives inside a consumer, the idea behind reactive streams libraries such as Project Reactor, RxJava, Akka Streams and Vert.x.",
  steps: [
    {
      id: "drop-head",
      title: "A capped queue that drops the oldest",
      body: `The queue \`packing\` has \`maxLength: 100\` and \`overflow: drop-head\`: it keeps at most 100 ready messages (the ones not yet handed to a consumer), and when a new one arrives at a full queue, RabbitMQ deletes the oldest to make room. The publish still succeeds, and the producer is never told.

The burst lasts 5 seconds. packing-service takes orders one at a time, 40 ms each, with up to 10 in its hands (\`prefetch: 10\`). **Predict**, then press **Start** (about 15 seconds). The ledger compares what RabbitMQ confirmed to order-service with what packing-service handled.`,
      scenario: { yaml: burstIntoCappedQueue },
      predict: {
        prompt: "Of the 500 orders, how many does packing-service handle?",
        metric: "ledger.consumed",
        options: [
          { text: "All 500: the queue stores the rest until the consumer catches up", min: 500 },
          { text: "About 100: what fits in the queue", min: 0, max: 149 },
          { text: "Between the two: the 100 in the queue, plus the 10 prefetched, plus what it handled during the burst (about 125)", min: 150, max: 499 },
        ],
        explanation: "During the 5-second burst packing-service handles about 25 a second, roughly 125 orders. At the end the queue holds its 100 and the service holds up to 10 more, so roughly 200 to 240 orders are handled in practice, and the other 260 to 300 were deleted from the head of the queue while the producer saw only successful confirms. drop-head suits data where the newest value matters most (prices, positions, sensor readings), never orders.",
      },
      check: {
        id: "drop-head-loses",
        kind: "all",
        label: "The queue dropped confirmed orders and the producer saw no error",
        checks: [
          { kind: "scenario", label: "The queue's overflow rule is drop-head", path: `${queue}.overflow`, equals: "drop-head" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "order-service counted no failed send", path: "producers.order-service/orders.failed", op: "==", value: 0 },
          { kind: "ledger", label: "Orders confirmed by RabbitMQ never reached packing-service", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Press Start; the producer and the consumer are already set up.", "The ledger's lost is final once the run has finished."],
    },
    {
      id: "reject-publish",
      title: "A capped queue that refuses",
      body: `Set the queue's \`overflow\` to \`reject-publish\`. Now a full queue keeps what it has and refuses the new message: RabbitMQ answers the producer's publish with a negative confirm (a nack). Brokerlab's producers publish with confirms, so order-service counts each refused order as a **failed** send, visible to the producer, which could slow down, retry later or report the error.

Run it. The check wants failed sends and no order lost: everything RabbitMQ accepted reaches packing-service. (RabbitMQ fixes a queue's arguments when the queue is declared. A lesson run declares its queues under names of its own, so the new rule applies; an existing queue keeps its old arguments, as lesson 4 showed.)`,
      scenario: { yaml: burstIntoCappedQueue },
      solution: { patch: [{ set: `${queue}.overflow`, value: "reject-publish" }] },
      predict: {
        prompt: "With reject-publish, how many of the orders RabbitMQ confirmed are lost?",
        metric: "ledger.lost",
        options: [
          { text: "None: what the queue accepted stays until it is consumed", min: 0, max: 0 },
          { text: "Some: the queue still drops when it is full", min: 1 },
        ],
        explanation: "reject-publish moves the loss to where it can be handled: the producer. Every order the broker confirmed is delivered; every order it refused comes back as a nack. Without publisher confirms the producer would not notice the refusal either, and the orders would be as gone as with drop-head.",
      },
      check: {
        id: "reject-publish-refuses",
        kind: "all",
        label: "The full queue refused orders visibly, and lost none it had accepted",
        checks: [
          { kind: "scenario", label: "The queue's overflow rule is reject-publish", path: `${queue}.overflow`, equals: "reject-publish" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", id: "sends-refused", label: "order-service counted refused (nacked) sends", path: "producers.order-service/orders.failed", op: ">", value: 0 },
          { kind: "ledger", id: "none-lost", label: "No confirmed order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change `overflow: drop-head` to `overflow: reject-publish` on the queue, or use Show me.", "Failed sends show on the producer's card in the run panel."],
    },
    {
      id: "kafka-lag",
      title: "The same burst on Kafka",
      body: `Kafka has no queue to fill. The topic \`packing\` is a log that keeps every record for its retention time (10 minutes here), whether anyone has read it or not, so the producer is never refused and nothing is dropped. The consumer group simply falls behind: its **lag**, the records written but not yet processed, grows during the burst and shrinks afterwards.

Press **Start** (about 25 seconds: 500 orders at 25 a second). Watch the lag in the run panel. The check wants the lag seen above 0 while order-service was producing, and every order handled.`,
      scenario: { yaml: burstIntoTopic },
      check: {
        id: "kafka-lags",
        kind: "all",
        label: "The group fell behind, and caught up without losing an order",
        checks: [
          { kind: "consumerGroupLag", label: "Group packing lagged during the burst", group: "packing", topic: "packing", op: ">", value: 0, sticky: true },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "order-service counted no failed send", path: "producers.order-service/orders.failed", op: "==", value: 0 },
          { kind: "ledger", label: "packing-service handled all 500 orders", field: "consumed", op: ">=", value: 500 },
          { kind: "ledger", label: "No order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start.", "The lag part is decided while the burst runs, the rest when the run ends."],
      quiz: [
        {
          id: "lag-limit",
          prompt: "Kafka dropped nothing here. When does a lagging group lose records after all?",
          options: [
            { text: "Never: Kafka keeps every record until it is consumed" },
            { text: "When the lag outlasts the topic's retention: records older than that are deleted whether the group has read them or not", correct: true },
            { text: "When the lag passes the topic's partition count" },
            { text: "When the producer uses acks all" },
          ],
          explanation: "Retention is by time or size, not by consumption. A group that stays behind longer than the retention finds its next offset deleted and restarts from wherever its reset policy says, skipping what was deleted. Alert on lag long before that.",
        },
      ],
    },
    {
      id: "bounded-concurrency",
      title: "Back-pressure inside the consumer",
      body: `Back to the capped queue with \`drop-head\`. The broker does not push orders at packing-service as fast as it can: with \`prefetch: 10\` it has at most 10 unacknowledged orders out at once, and sends another only when one is acknowledged. That is exactly the **request(n)** of the Reactive Streams specification (the contract behind Project Reactor, RxJava, Akka Streams and Vert.x): a subscriber asks its publisher for n more items, and the publisher may never send more than was asked for. Prefetch is the broker's side of it; the service's side is how many it works on at once.

Set the consumer's \`concurrency\` to 8 (keep \`prefetch: 10\`): up to 8 orders in work at a time, never more, and still never more than 10 fetched. At 40 ms each that is up to 200 a second, more than the 100 arriving. Run it: the check wants nothing lost.

The code below is the same consumer written as a reactive pipeline. The TypeScript is what Brokerlab generates for it in the RxJS style: the queue becomes an Observable, \`mergeMap(handler, 8)\` keeps at most 8 orders in work, and \`prefetch(10)\` is the request(n) that keeps the rest of the burst in RabbitMQ. The Java version does the same with Project Reactor's \`flatMap(handler, 8)\`; the Python one with a pool of 8 threads.`,
      scenario: { yaml: burstIntoCappedQueue },
      solution: { patch: [{ set: `${pack}.concurrency`, value: 8 }] },
      check: {
        id: "consumer-keeps-up",
        kind: "all",
        label: "A bounded-concurrency consumer kept up: nothing dropped",
        checks: [
          { kind: "scenario", label: "packing-service works on more than one order at a time", path: `${pack}.concurrency`, op: ">", value: 1 },
          { kind: "scenario", label: "…bounded by a prefetch", path: `${pack}.prefetch`, op: ">", value: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", id: "none-lost", label: "No order was dropped", field: "lost", op: "==", value: 0 },
          { kind: "ledger", label: "packing-service handled all 500 orders", field: "consumed", op: ">=", value: 500 },
        ],
      },
      hints: ["Add `concurrency: 8` under the consumer `pack` (or change the 1), or use Show me.", "`prefetch: 0` would mean no limit at all: keep it at 10."],
      code: boundedConsumerSamples,
      quiz: [
        {
          id: "prefetch-is-request-n",
          prompt: "In Reactive Streams terms, what is a RabbitMQ consumer's prefetch of 10?",
          options: [
            { text: "A buffer of 10 messages in the broker" },
            { text: "The subscriber's standing request(10): the broker may have at most 10 unacknowledged messages out to it, and each ack asks for one more", correct: true },
            { text: "The number of consumer processes" },
            { text: "A rate limit of 10 messages a second" },
          ],
          explanation: "Demand flows upstream: the consumer signals how much more it can take, and the broker sends no more than that. A prefetch of 0 means no limit, the equivalent of request(Long.MAX_VALUE): the broker pushes everything and the consumer's memory is the only bound.",
        },
        {
          id: "unbounded-flatmap",
          prompt: "A reactive consumer handles each message with an asynchronous call and no concurrency limit (flatMap without a bound, or Promise.all over everything fetched). With prefetch 0, what happens under a burst?",
          options: [
            { text: "Nothing: asynchronous code cannot be overloaded" },
            { text: "It starts work on every message at once: memory and the downstream service take the whole burst, and the broker's queue no longer protects anything", correct: true },
            { text: "The broker slows the producer down" },
            { text: "The messages are processed in order, one at a time" },
          ],
          explanation: "Back-pressure only works if every stage passes it on. Bound the work in progress (Reactor's flatMap(fn, 8), RxJS's mergeMap(fn, 8), a semaphore) and bound what is fetched (prefetch, max.poll.records on Kafka); then a burst waits in the broker, where it is visible and durable, instead of in the process.",
        },
      ],
    },
  ],
  recap: [
    "When a producer outruns its consumer for long, something gives: the system stores more, drops or refuses, unless back-pressure slows the producer.",
    "A RabbitMQ queue with max-length and drop-head deletes the oldest messages silently; reject-publish refuses new ones with a nack, which a producer using confirms sees as a failed send.",
    "A Kafka topic is not capped by consumption: the group's lag grows and shrinks, until it outlasts the retention.",
    "Prefetch is Reactive Streams' request(n); a consumer with bounded concurrency keeps a burst in the broker rather than in its own memory.",
  ],
};

// Lesson 18: every question of the course's quiz, reworded, with explanations, each group tied
// to a run that shows the idea on the real brokers.
import type { Lesson } from "../schema";

const stock = "services[inventory-service].consumers[update-stock]";

export const knowledgeChecks: Lesson = {
  id: "knowledge-checks",
  number: 18,
  kind: "lesson",
  title: "Knowledge checks",
  summary: "The course's quiz, question by question, each group next to a run that shows the answer on a real broker.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 15,
  intro:
    "Ten questions from the course, in three groups. Each group comes with a short run that demonstrates the idea on the live brokers: answer the questions while it runs, and read the explanations even when you were right.",
  steps: [
    {
      id: "decoupling",
      title: "Asynchronous and decoupled",
      body: `The hello-queue pair once more: order-service publishes 40 orders a second and moves on, inventory-service consumes at its own pace. Make that pace slow: set inventory-service's \`work: { ms: 60 }\`, so it manages about 15 orders a second, then press **Start**.

If order-service had to wait for inventory-service, it would slow down to match. It does not: it finishes its 200 orders in about 5 seconds while the rest wait in \`order_queue\`, and inventory-service works them off afterwards. While it runs, answer the questions about what asynchronous messaging is for, and what counts as a broker.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: `${stock}.work`, value: { ms: 60 } }] },
      check: {
        id: "pair-ran",
        kind: "all",
        label: "The producer finished without waiting for the slow consumer",
        checks: [
          { kind: "scenario", label: "inventory-service takes at least 40 ms an order", path: `${stock}.work.ms`, op: ">=", value: 40 },
          {
            kind: "all",
            sticky: true,
            label: "order-service had sent all 200 while at least 30 still waited in order_queue",
            checks: [
              { kind: "runMetric", label: "RabbitMQ confirmed all 200 orders", path: "producers.order-service/new-orders.confirmed", op: ">=", value: 200 },
              { kind: "queueDepth", label: "order_queue still held 30 orders or more", queue: "order_queue", op: ">=", value: 30 },
            ],
          },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "inventory-service acknowledged 200 orders", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 200 },
          { kind: "ledger", label: "Nothing was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change `work: { ms: 15, jitterMs: 5 }` under inventory-service to `work: { ms: 60 }`, then Start. Or use Show me.", "The run takes about 15 seconds: order-service is done after 5, inventory-service after 15."],
      quiz: [
        {
          id: "key-benefit",
          prompt: "What is the main thing asynchronous messaging gives a set of microservices?",
          options: [
            { text: "Services interact without waiting on each other, so they stay loosely coupled and a slow one does not hold up its callers", correct: true },
            { text: "Services become tightly coupled, which makes them easier to change together" },
            { text: "Every service must answer every request immediately" },
            { text: "It only works with brokers that answer synchronously" },
          ],
          explanation: "The sender hands the message to the broker and continues; the receiver processes when it can. Neither waits for the other, neither needs the other to be up, and each scales on its own. The cost is more infrastructure and eventual, not immediate, consistency.",
        },
        {
          id: "which-are-brokers",
          prompt: "Which of these are message brokers? Choose every one that is.",
          options: [
            { text: "RabbitMQ", correct: true },
            { text: "Apache Kafka", correct: true },
            { text: "HTTP" },
            { text: "FTP" },
          ],
          explanation: "RabbitMQ and Kafka store and deliver messages between services. HTTP and FTP are protocols for talking to a server directly; they have no queues, topics or subscribers of their own.",
        },
        {
          id: "aws-not-broker",
          prompt: "Which AWS service is not a messaging service?",
          options: [
            { text: "Amazon EC2", correct: true },
            { text: "Amazon SNS" },
            { text: "Amazon SQS" },
            { text: "Amazon EventBridge" },
          ],
          explanation: "EC2 rents virtual machines. SNS (pub/sub notifications), SQS (queues) and EventBridge (an event bus with routing rules) all carry messages or events between services.",
        },
        {
          id: "sns-sqs-managed",
          prompt: "True or false: SNS and SQS are fully managed, so you run no broker servers yourself.",
          options: [{ text: "True", correct: true }, { text: "False" }],
          explanation: "AWS operates, scales and patches them; you create topics and queues and pay per use. The trade-off is less control (and a different feature set) than running RabbitMQ or Kafka yourself.",
        },
      ],
    },
    {
      id: "one-to-many",
      title: "One message, many subscribers",
      body: `The fanout example: web-app publishes 100 log lines to the exchange \`logs\`, and each bound queue gets a copy. Add a third subscriber without touching web-app:

- a queue \`logs.alerts\` under \`resources.rabbit.queues\` (\`type: classic, durable: true\`)
- a binding \`{ exchange: logs, queue: logs.alerts }\`
- a service \`alert-service\` with a consumer \`alert\` on broker \`rabbit\`, \`from: { queue: logs.alerts }\`

Press **Start**. Then answer the questions on publish/subscribe and event-driven architecture.`,
      scenario: { example: "fanout-logs" },
      solution: {
        example: "fanout-logs",
        patch: [
          { set: "resources.rabbit.queues[+]", value: { name: "logs.alerts", type: "classic", durable: true } },
          { set: "resources.rabbit.bindings[+]", value: { exchange: "logs", queue: "logs.alerts" } },
          { set: "services[+]", value: { name: "alert-service", consumers: [{ name: "alert", broker: "rabbit", from: { queue: "logs.alerts" }, ack: "manual", work: { ms: 2 } }] } },
        ],
      },
      check: {
        id: "copies-for-all",
        kind: "all",
        label: "Three subscribers each received all 100 log lines",
        checks: [
          { kind: "runMetric", label: "web-app published 100 lines", path: "producers.web-app/app-logs.confirmed", op: ">=", value: 100 },
          { kind: "runMetric", label: "Three subscribers received all 100 each", path: "consumers.*.received", op: ">=", value: 100, need: 3 },
        ],
      },
      hints: ["Copy the lines of logs.monitor (its queue, its binding, its service) and rename them, or use Show me.", "The run takes about 6 seconds."],
      quiz: [
        {
          id: "pubsub-receivers",
          prompt: "With publish/subscribe, how many subscribers receive a published message?",
          options: [
            { text: "Every current subscriber: one or more if someone is subscribed, none if nobody is", correct: true },
            { text: "Exactly one" },
            { text: "Always at least one" },
            { text: "Only the publisher" },
          ],
          explanation: "The message is broadcast to every current subscriber, as the run shows: one copy per bound queue. The course's answer key says \"one or more\" and marks \"none\" wrong, but with no subscriber bound the broker drops the message and nobody receives it (lesson 6, step 2, runs exactly that).",
        },
        {
          id: "one-to-many-pattern",
          prompt: "Which messaging pattern is built for one-to-many communication?",
          options: [
            { text: "Publish/subscribe", correct: true },
            { text: "Request/response" },
            { text: "Singleton" },
            { text: "Batch processing" },
          ],
          explanation: "Publish/subscribe sends one message to many receivers. Request/response is one-to-one; singleton is an object-design pattern; batch processing is about grouping work, not addressing it.",
        },
        {
          id: "eda-is",
          prompt: "What characterises an event-driven architecture?",
          options: [
            { text: "Services emit events about what happened, and other services react to them", correct: true },
            { text: "Services call each other's methods directly" },
            { text: "Services communicate through a shared database" },
            { text: "Every interaction is a remote procedure call" },
          ],
          explanation: "In an event-driven architecture the flow is driven by events (OrderPlaced, PaymentReceived). The emitter does not know who reacts; new reactions are added by subscribing, not by changing the emitter.",
        },
        {
          id: "deferred-processing",
          prompt: "Which paradigm best supports deferred processing, where work happens later rather than inside the request?",
          options: [
            { text: "Event-driven architecture", correct: true },
            { text: "Monolithic architecture" },
            { text: "Client-server architecture" },
            { text: "Peer-to-peer architecture" },
          ],
          explanation: "When services react to events asynchronously, the work an event triggers can happen whenever the reacting service gets to it: deferred, buffered by the broker.",
        },
      ],
    },
    {
      id: "streams",
      title: "Streams and client libraries",
      body: `The Kafka example: a keyed stream of 120 orders read by two consumer groups, billing and analytics. A stream is read by as many groups as want it, each at its own offset. Add a third: a service \`fraud-service\` with a consumer \`scan\` on broker \`kafka\`, \`from: { topic: orders, group: fraud, fromBeginning: true }\`.

Press **Start**. Then the last two questions.`,
      scenario: { example: "kafka-partitions" },
      solution: {
        example: "kafka-partitions",
        patch: [{ set: "services[+]", value: { name: "fraud-service", consumers: [{ name: "scan", broker: "kafka", from: { topic: "orders", group: "fraud", fromBeginning: true }, ack: "manual", work: { ms: 5 } }] } }],
      },
      check: {
        id: "stream-read",
        kind: "all",
        label: "Three groups read the whole stream",
        checks: [
          { kind: "runMetric", label: "billing read all 120 orders", path: "consumers.billing-service/charge.received", op: ">=", value: 120 },
          { kind: "runMetric", label: "analytics read all 120 orders", path: "consumers.analytics-service/count.received", op: ">=", value: 120 },
          { kind: "runMetric", label: "A third consumer read all 120 orders too", path: "consumers.*.received", op: ">=", value: 120, need: 3 },
        ],
      },
      hints: ["Add `- name: fraud-service` under services with one consumer, as analytics-service has, in group fraud. Or use Show me.", "The run takes about 9 seconds."],
      quiz: [
        {
          id: "stream-processing",
          prompt: "Which of these was designed for high-throughput, fault-tolerant stream processing?",
          options: [
            { text: "Apache Kafka", correct: true },
            { text: "RabbitMQ" },
            { text: "AWS Lambda" },
            { text: "Amazon RDS" },
          ],
          explanation: "Kafka was built around a partitioned, replicated, retained log for streams of events. RabbitMQ is a queueing broker (it has added streams since, but that was not its design centre); Lambda runs functions; RDS is a managed relational database.",
        },
        {
          id: "clojure-rabbitmq",
          prompt: "Which Clojure library is a RabbitMQ client?",
          options: [
            { text: "Langohr", correct: true },
            { text: "Ring" },
            { text: "Reagent" },
            { text: "Compojure" },
          ],
          explanation: "Langohr wraps the RabbitMQ Java client for Clojure. Ring and Compojure are for HTTP servers and routing; Reagent is a ClojureScript interface to React.",
        },
      ],
    },
  ],
  recap: [
    "Asynchronous messaging decouples services in time and in knowledge of each other.",
    "RabbitMQ and Kafka are brokers; SNS, SQS and EventBridge are managed messaging services; HTTP, FTP and EC2 are not brokers.",
    "Publish/subscribe is one-to-many; event-driven architecture is services reacting to each other's events, which makes deferred processing natural.",
    "Kafka is built for streams; Langohr is how Clojure talks to RabbitMQ.",
  ],
};

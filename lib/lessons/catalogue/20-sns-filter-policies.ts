// Lesson 20: fan-out with SNS and SQS, filter policies, and the same fan-out on all three brokers.
import type { Lesson } from "../schema";
import { fanoutThreeWays, orderEventsTopic } from "../scenarios/aws";

const refundsSubscription = "resources.aws.subscriptions[1]";
const everyConsumer = (service: string, what: string) =>
  ["rabbit", "kafka", "sqs"].map((consumer) => ({ kind: "runMetric" as const, label: `${service} read all 100 ${what} through ${consumer === "sqs" ? "SNS/SQS" : consumer === "rabbit" ? "RabbitMQ" : "Kafka"}`, path: `consumers.${service}/${consumer}.received`, op: ">=" as const, value: 100 }));

export const snsFilterPolicies: Lesson = {
  id: "sns-filter-policies",
  number: 20,
  kind: "lesson",
  title: "Amazon SNS: fan-out to queues, and filter policies",
  summary: "An SNS topic copies each message to every subscribed SQS queue; a filter policy lets a subscriber take only the messages it wants. Then the same fan-out on RabbitMQ, Kafka and SNS/SQS at once.",
  brokers: ["aws", "rabbitmq", "kafka"],
  minutes: 20,
  intro:
    "On Amazon, publish/subscribe takes two services. **SNS** is the topic: a publisher sends to it and it keeps nothing. **SQS** queues subscribe to the topic, and SNS pushes a copy of every message into each of them; every subscriber then reads its own queue at its own pace, as with one queue per subscriber on a RabbitMQ fanout exchange. A subscription may carry a **filter policy**: a rule on the message attributes, checked by SNS, so a queue only gets the messages it asked for.",
  steps: [
    {
      id: "fan-out",
      title: "One topic, a copy for every queue",
      body: `order-service publishes 60 created and 40 cancelled orders to the SNS topic \`order-events\`; each carries a message attribute \`type\`. Two SQS queues subscribe: \`billing\` and \`refunds\` (raw delivery, so the queue gets the message itself rather than SNS's JSON envelope).

Press **Start** (about 5 seconds). Both queues get all 100: refund-service receives 60 created orders it has no use for.`,
      scenario: { yaml: orderEventsTopic },
      check: {
        id: "every-queue",
        kind: "all",
        label: "Both subscribed queues received every order",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "billing-service received all 100", path: "consumers.billing-service/bill.received", op: ">=", value: 100 },
          { kind: "runMetric", label: "refund-service received all 100, wanted or not", path: "consumers.refund-service/refund.received", op: ">=", value: 100 },
          { kind: "ledger", label: "Nothing was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start and wait for the run to finish."],
    },
    {
      id: "filter",
      title: "A filter policy on one subscription",
      body: `Give the **refunds** subscription (the second one) a filter policy that lets only cancelled orders through:

\`\`\`
- { topic: order-events, queue: refunds, raw: true, filterPolicy: { type: [cancelled] } }
\`\`\`

Leave billing's subscription alone. **Predict**, then **Start**. SNS now compares each message's \`type\` attribute with the policy before copying it to \`refunds\`; a message that does not match is simply not delivered to that queue.`,
      solution: { patch: [{ set: `${refundsSubscription}.filterPolicy`, value: { type: ["cancelled"] } }] },
      predict: {
        prompt: "With the filter on refunds only, how many orders does refund-service receive?",
        metric: "consumers.refund-service/refund.received",
        options: [
          { text: "None: a filtered subscription gets nothing", min: 0, max: 0 },
          { text: "40: only the cancelled ones", min: 1, max: 99 },
          { text: "Still 100: filtering happens in the consumer", min: 100 },
        ],
        explanation: "SNS applies the policy per subscription: the 40 messages whose type attribute is cancelled match and are copied to refunds; the 60 created ones are not. billing has no policy and still gets all 100. The filtering happens in SNS, so refund-service never receives, pays for or discards the others.",
      },
      check: {
        id: "only-cancelled",
        kind: "all",
        label: "refunds got only the cancelled orders; billing still got everything",
        checks: [
          { kind: "scenario", label: "The refunds subscription filters on type: cancelled", path: `${refundsSubscription}.filterPolicy.type[0]`, equals: "cancelled" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "refund-service received the 40 cancelled orders", path: "consumers.refund-service/refund.received", op: ">=", value: 40 },
          { kind: "runMetric", label: "…and none of the 60 created ones", path: "consumers.refund-service/refund.received", op: "<=", value: 40 },
          { kind: "runMetric", label: "billing-service still received all 100", path: "consumers.billing-service/bill.received", op: ">=", value: 100 },
        ],
      },
      hints: [
        "Add `filterPolicy: { type: [cancelled] }` to the second subscription, the one with `queue: refunds`.",
        "The policy's values are lists: `[cancelled]` matches a type attribute equal to cancelled. Or use Show me.",
      ],
      quiz: [
        {
          id: "filter-where",
          prompt: "Where does an SNS filter policy look?",
          options: [
            { text: "At the message attributes (or, when set so, the message body), in SNS, before the copy is sent to the queue", correct: true },
            { text: "At the queue, after the message arrived" },
            { text: "In the consumer's code" },
          ],
          explanation: "The policy belongs to the subscription and is evaluated by SNS. By default it reads message attributes, which is why the producer sets type as an attribute and not only in the body.",
        },
      ],
    },
    {
      id: "three-brokers",
      title: "The same fan-out on RabbitMQ, Kafka and SNS/SQS",
      body: `One run, three brokers: order-service publishes 100 orders to each, and billing-service and shipping-service each read all of them from all three.

- **RabbitMQ**: a fanout exchange \`orders.fanout\` copies each message into two bound queues, one per subscriber.
- **Kafka**: one topic \`orders.log\`; nothing is copied. Each service is its own **consumer group** and reads the whole log at its own offset.
- **SNS/SQS**: the topic \`order-events\` copies each message into two subscribed SQS queues.

Press **Start** (about 15 seconds; Kafka's groups take a few seconds to form) and compare the six consumers in the run panel. The result is the same everywhere, every subscriber gets every order; what differs is where the copies live and what a late subscriber can still read.`,
      scenario: { yaml: fanoutThreeWays },
      check: {
        id: "fan-out-everywhere",
        kind: "all",
        label: "Every subscriber got every order on all three brokers",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          ...everyConsumer("billing-service", "orders"),
          ...everyConsumer("shipping-service", "orders"),
          { kind: "ledger", label: "Nothing was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start and wait for the run to finish; the Kafka consumers start reading once their groups have formed."],
      quiz: [
        {
          id: "late-subscriber",
          prompt: "A third service subscribes an hour after these orders were published. Which broker can still give it those orders?",
          options: [
            { text: "RabbitMQ: the fanout exchange keeps a copy" },
            { text: "Kafka: the log is kept for its retention, and a new group can read it from the beginning", correct: true },
            { text: "SNS: the topic keeps the messages for 14 days" },
          ],
          explanation: "An exchange and an SNS topic store nothing: they copy into the queues that exist at publish time. A Kafka topic is a retained log, so a new consumer group can start from the oldest offset and read everything still kept.",
        },
      ],
    },
  ],
  recap: [
    "SNS copies each message to every subscribed SQS queue; each subscriber reads its own queue at its own pace.",
    "A filter policy on a subscription, evaluated by SNS on message attributes, sends a queue only the messages it wants.",
    "The same fan-out: RabbitMQ copies into bound queues, SNS into subscribed queues, Kafka keeps one log that each group reads.",
  ],
};

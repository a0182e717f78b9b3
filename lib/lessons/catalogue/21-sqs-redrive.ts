// Lesson 21: redrive on Amazon SQS: a message that keeps failing moves to a dead-letter queue after maxReceiveCount receives.
import type { Lesson } from "../schema";
import { paymentsRedrive } from "../scenarios/aws";

const payments = "resources.aws.queues[0]";
const charge = "consumers.payment-service/charge";

export const sqsRedrive: Lesson = {
  id: "sqs-redrive",
  number: 21,
  kind: "lesson",
  title: "Amazon SQS: redrive to a dead-letter queue",
  summary: "A failed SQS message comes back after its visibility timeout, again and again. A redrive policy counts the receives and, after maxReceiveCount, moves the message to a dead-letter queue.",
  brokers: ["aws"],
  minutes: 15,
  intro:
    "On SQS a consumer does not reject a message: it just does not delete it, and the message returns when its visibility timeout runs out. SQS counts how often each message was received. A queue's **redrive policy** names a dead-letter queue and a **maxReceiveCount**: once a message has been received that many times without being deleted, SQS moves it to the dead-letter queue instead of handing it out again. The broker does the counting; the consumer only has to fail.",
  steps: [
    {
      id: "redrive",
      title: "Three receives, then the dead-letter queue",
      body: `checkout-service queues 50 payments on \`payments\`; 5 of them carry an expired card, and payment-service fails those every time. The queue hides a received message for 1 s and has a redrive policy: \`deadLetter: { queue: payments-dlq, maxReceiveCount: 3 }\`. ops-service reads \`payments-dlq\`, standing in for the person who looks at what landed there.

**Predict**, then **Start** (about 10 seconds). Watch payment-service's \`redelivered\` and \`deadLettered\` counts and ops-service's \`received\`.`,
      scenario: { yaml: paymentsRedrive },
      predict: {
        prompt: "How many times in all does payment-service receive an expired payment again (redelivered), before the five reach the dead-letter queue?",
        metric: `${charge}.redelivered`,
        options: [
          { text: "Never: SQS moves a failed message at once", min: 0, max: 0 },
          { text: "About 5: once each", min: 1, max: 7 },
          { text: "About 10: twice each (receives 2 and 3)", min: 8, max: 14 },
          { text: "More: SQS keeps retrying", min: 15 },
        ],
        explanation: "Each expired payment is received three times: the first receive and two redeliveries, each after the 1 s visibility timeout. After the third receive fails, SQS does not hand it out again: the next time it would, it moves the message to payments-dlq. Five payments, two redeliveries each: about ten.",
      },
      check: {
        id: "redriven",
        kind: "all",
        label: "The failing payments came back, then SQS moved them to payments-dlq",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "The failing payments were received again after each failure", path: `${charge}.redelivered`, op: ">=", value: 10 },
          { kind: "runMetric", label: "Five payments were dead-lettered on their third receive", path: `${charge}.deadLettered`, op: ">=", value: 5 },
          { kind: "runMetric", label: "ops-service found the five in payments-dlq", path: "consumers.ops-service/inspect.received", op: ">=", value: 5 },
          { kind: "runMetric", label: "The 45 good payments were charged", path: `${charge}.acked`, op: ">=", value: 45 },
          { kind: "ledger", label: "Nothing was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Answer the prediction, then Start. The dead-letter part needs about three seconds per failing payment: three receives, 1 s apart."],
      quiz: [
        {
          id: "who-counts",
          prompt: "Who decides that a message has failed often enough to be dead-lettered?",
          options: [
            { text: "The consumer, by counting its own attempts" },
            { text: "SQS, from the message's receive count and the queue's maxReceiveCount", correct: true },
            { text: "SNS" },
            { text: "The producer" },
          ],
          explanation: "SQS keeps ApproximateReceiveCount on every message. The consumer only fails (does not delete); the queue's redrive policy moves the message once the count reaches maxReceiveCount. Even a consumer that crashes on the message, and so can count nothing, cannot keep it looping.",
        },
      ],
    },
    {
      id: "more-receives",
      title: "Five receives before giving up",
      body: `Raise \`maxReceiveCount\` on \`payments\` to **5** and **Start** again.

The same five payments still end in \`payments-dlq\`, but each one now comes back four times first, and takes about five seconds to get there. A higher count gives transient failures more chances to succeed; a lower one clears a poison message out of the way sooner. Either way, the visibility timeout is the pause between attempts.`,
      solution: { patch: [{ set: `${payments}.deadLetter.maxReceiveCount`, value: 5 }] },
      check: {
        id: "five-receives",
        kind: "all",
        label: "With maxReceiveCount 5 each failing payment came back four times",
        checks: [
          { kind: "scenario", label: "payments allows 5 receives", path: `${payments}.deadLetter.maxReceiveCount`, equals: 5 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "The failing payments were received again four times each", path: `${charge}.redelivered`, op: ">=", value: 20 },
          { kind: "runMetric", label: "…and still dead-lettered in the end", path: `${charge}.deadLettered`, op: ">=", value: 5 },
          { kind: "runMetric", label: "ops-service found them in payments-dlq", path: "consumers.ops-service/inspect.received", op: ">=", value: 5 },
        ],
      },
      hints: ["Change `maxReceiveCount: 3` to `maxReceiveCount: 5` in the deadLetter of payments, or use Show me."],
    },
  ],
  recap: [
    "A failed SQS message is not rejected: it is left undeleted and comes back after the visibility timeout.",
    "A redrive policy moves a message to the dead-letter queue once it was received maxReceiveCount times.",
    "SQS does the counting, so even a consumer that crashes on a message cannot make it loop forever.",
  ],
};

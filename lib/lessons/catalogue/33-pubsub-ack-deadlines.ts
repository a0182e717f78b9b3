// Lesson 33: Google Cloud Pub/Sub's ack deadline. Work that outlasts it gets the message delivered
// again while the first delivery is still being worked on; a longer deadline, a deadline extended
// while working, or shorter work makes the duplicates go away; and a dead-letter policy with max
// delivery attempts ends the redeliveries of a message that always fails.
import type { CheckOf } from "../checks";
import type { Lesson } from "../schema";
import { declinedPayments, slowCharges } from "../scenarios/pubsub";

const billing = "resources.gcp.subscriptions[billing]";
// Checks select the subscription by position: a lesson run renames it (billing-k3f9), and check paths map only queues, exchanges and topics.
const billingInRun = "resources.gcp.subscriptions[0]";
const charge = "services[billing].consumers[charge]";
const slowProvider = { set: `${charge}.work.ms`, value: 15000 };
const finished: CheckOf<"runStatus"> = { kind: "runStatus", label: "The run has finished", is: ["finished"] };

export const pubsubAckDeadlines: Lesson = {
  id: "pubsub-ack-deadlines",
  number: 33,
  kind: "lesson",
  title: "Google Pub/Sub: ack deadlines",
  summary: "Work longer than a subscription's ack deadline and Pub/Sub delivers the message again while it is still worked on; give the work enough time and each message is handled once; end endless redeliveries with a dead-letter topic.",
  brokers: ["pubsub"],
  minutes: 20,
  intro:
    "Google Cloud Pub/Sub, which the course names beside Redis Pub/Sub, delivers each message of a topic to every **subscription** of it, and the consumers of one subscription share its messages. A consumer acknowledges each message it has handled. Until then the message is leased to it for the subscription's **ack deadline** (10 s unless set, at most 10 minutes). If no ack arrives in time, Pub/Sub assumes the consumer is gone and delivers the message again, to it or to another consumer. A nack hands it back at once.\n\nThe runs use Google's Pub/Sub emulator from the local stack; each lasts a fixed 25 to 30 seconds, because the emulator does not report how many messages a subscription still holds. **If the home page's card for the Pub/Sub emulator is red**, the emulator is not running there: where it is not installed, install it with `apt-get install google-cloud-cli-pubsub-emulator openjdk-17-jre-headless` (from Google's Cloud SDK apt repository; it needs Java 17) and run `npm run stack:up` again. Docker users get it as the compose service `pubsub`. Until then a run of this lesson fails while it declares its topics, after about a minute of retries, with an error naming `14 UNAVAILABLE` and `ECONNREFUSED`: that error means the emulator is not running.",
  steps: [
    {
      id: "work-outlasts-deadline",
      title: "Work longer than the ack deadline",
      body: `shop publishes 5 payments on the topic \`payments\`. billing pulls them from the subscription \`billing\`, whose ack deadline is **10 s**, and charges each one. Its consumer uses \`mode: pull\` with \`extendDeadline: false\`: it never asks Pub/Sub for more time (a \`ModifyAckDeadline\` call), so the 10 s are all a payment gets.

The payment provider has become slow: set billing's \`work\` to \`{ ms: 15000 }\`, 15 seconds per payment. **Predict**, then press **Start** (30 seconds). The ledger counts a payment delivered again to a consumer that already had it as duplicated.`,
      scenario: { yaml: slowCharges },
      solution: { patch: [slowProvider] },
      run: { durationSeconds: 30 },
      predict: {
        prompt: "Each charge now takes 15 s; the ack deadline is 10 s. Will any payment be delivered twice?",
        metric: "ledger.duplicated",
        options: [
          { text: "No: a message leased to billing stays with billing until it acks", min: 0, max: 0 },
          { text: "Yes: after 10 s without an ack, Pub/Sub delivers each payment again", min: 1 },
        ],
        explanation: "The lease lasts as long as the ack deadline. Ten seconds after a delivery, with no ack and no extension, Pub/Sub delivers the payment again, and a second charge starts while the first is still running. The late ack of the first delivery does not undo the second one.",
      },
      check: {
        id: "charged-twice",
        kind: "all",
        label: "Charges outlasted the ack deadline and payments were delivered again",
        checks: [
          { kind: "scenario", label: "A charge takes longer than the 10 s ack deadline", path: `${charge}.work.ms`, op: ">", value: 10000 },
          finished,
          { kind: "runMetric", label: "billing received payments it already had", path: "consumers.billing/charge.duplicates", op: ">", value: 0 },
          { kind: "ledger", id: "some-duplicated", label: "The ledger counts duplicated deliveries", field: "duplicated", op: ">", value: 0 },
          { kind: "ledger", label: "…and none was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change billing's `work: { ms: 3000 }` to `work: { ms: 15000 }`, or use Show me.", "The first redeliveries come about 11 s into the run."],
      quiz: [
        {
          id: "pubsub-late-ack",
          prompt: "A consumer acks a message 15 s after receiving it, on a subscription with a 10 s ack deadline. What has Pub/Sub done meanwhile?",
          options: [
            { text: "Delivered the message again after 10 s, so it may be worked on twice", correct: true },
            { text: "Waited: an ack is accepted at any time, and redelivery happens only after a nack" },
            { text: "Sent the message to the dead-letter topic" },
            { text: "Closed the consumer's connection" },
          ],
          explanation: "An expired deadline counts like a nack. Pub/Sub delivers at least once: the consumer must finish and ack within the deadline, or extend it, and be ready for the duplicates that can still happen.",
        },
      ],
    },
    {
      id: "enough-time",
      title: "Give the work enough time",
      body: `Make the deadline fit the work, in one of three ways:

- raise the subscription's \`ackDeadline\` above the work time, with room to spare (at least \`20s\`);
- or let the consumer extend the deadline while it works: \`extendDeadline: true\` on billing's consumer (Pub/Sub's client libraries do this by themselves with streaming pull, \`mode: streaming\`);
- or make the work shorter than the deadline (at most 8 s, to leave room).

**Start** again. The check wants all 5 payments charged and none delivered twice.`,
      scenario: { yaml: slowCharges, patch: [slowProvider] },
      solution: { patch: [{ set: `${billing}.ackDeadline`, value: "60s" }] },
      run: { durationSeconds: 30 },
      // Any of the three fixes will do, so the run's outcome is checked, not which field changed.
      check: {
        id: "charged-once",
        kind: "all",
        label: "Every payment was charged once",
        checks: [
          finished,
          { kind: "ledger", label: "All 5 payments were charged", field: "consumed", op: ">=", value: 5 },
          { kind: "runMetric", label: "No payment came back", path: "consumers.billing/charge.duplicates", op: "==", value: 0 },
          { kind: "ledger", id: "none-duplicated", label: "No payment was delivered twice", field: "duplicated", op: "==", value: 0 },
        ],
      },
      hints: ["Change `ackDeadline: 10s` to `ackDeadline: 60s` on the billing subscription, or use Show me.", "A longer deadline has a cost: a consumer that crashes holds its messages that long before anyone else gets them."],
      quiz: [
        {
          id: "pubsub-deadline-choice",
          prompt: "Most charges take 2 s, a few take 2 minutes. Which setup handles both without duplicates and without long waits after a crash?",
          options: [
            { text: "A short ack deadline that the consumer extends while a charge is still running", correct: true },
            { text: "A 10-minute ack deadline for every message" },
            { text: "The 10 s deadline, and acking before charging" },
          ],
          explanation: "Extension (ModifyAckDeadline, done for you by streaming pull) keeps a long charge's lease alive while the consumer lives, and a crashed consumer stops extending, so its messages come back soon. A 10-minute deadline makes every crash cost 10 minutes; acking before the work loses the payment if the consumer crashes.",
        },
      ],
    },
    {
      id: "dead-letter",
      title: "A message that always fails: a dead-letter topic",
      body: `Here the provider declines every payment, and billing nacks each failure. A nack asks Pub/Sub for the message again at once, so the 3 payments go round and round until the run ends: the received count climbs, and nothing is ever done with them.

Give the subscription a dead-letter policy, and let billing's failures end there:

- on the subscription \`billing\`: \`deadLetter: { topic: payments-dead, maxDeliveryAttempts: 5 }\` (5 is the least Pub/Sub allows, 100 the most);
- on billing's consumer: \`onError: { retries: 0, then: dead-letter }\`.

After a payment's fifth delivery attempt, Pub/Sub publishes it to \`payments-dead\`, where the subscription \`parked\` keeps it for audit. Run it (25 seconds).`,
      scenario: { yaml: declinedPayments },
      solution: {
        patch: [
          { set: `${billing}.deadLetter`, value: { topic: "payments-dead", maxDeliveryAttempts: 5 } },
          { set: `${charge}.onError`, value: { retries: 0, then: "dead-letter" } },
        ],
      },
      run: { durationSeconds: 25 },
      check: {
        id: "parked-after-attempts",
        kind: "all",
        label: "The declined payments ended on the dead-letter topic",
        checks: [
          { kind: "scenario", label: "billing has a dead-letter policy", path: `${billingInRun}.deadLetter.maxDeliveryAttempts`, op: ">=", value: 5 },
          finished,
          { kind: "runMetric", label: "billing gave the payments up to the dead-letter topic", path: "consumers.billing/charge.deadLettered", op: ">=", value: 3 },
          { kind: "runMetric", id: "parked-received", label: "audit read the 3 payments from payments-dead", path: "consumers.audit/parked.received", op: ">=", value: 3 },
          { kind: "ledger", label: "No payment was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Add `deadLetter: { topic: payments-dead, maxDeliveryAttempts: 5 }` to the billing subscription and set billing's `onError` to `{ retries: 0, then: dead-letter }`, or use Show me."],
      quiz: [
        {
          id: "pubsub-max-attempts",
          prompt: "A subscription has maxDeliveryAttempts 5 and a dead-letter topic. Who moves a message there, and when?",
          options: [
            { text: "Pub/Sub itself, once the message has been delivered 5 times without an ack (nacks and expired deadlines both count)", correct: true },
            { text: "The consumer, by publishing the message to the dead-letter topic itself" },
            { text: "Pub/Sub, after the message's fifth nack, while expired deadlines do not count" },
          ],
          explanation: "The delivery attempt counter goes up with every delivery, whatever ended the last one. Pub/Sub publishes the message to the dead-letter topic and removes it from the subscription; on Google Cloud its service account needs permission to publish there and to ack on the subscription.",
        },
      ],
    },
  ],
  recap: [
    "Pub/Sub leases a delivered message to its consumer for the subscription's ack deadline (10 s to 10 minutes).",
    "Work that outlasts the deadline without extending it gets the message delivered again: duplicates, not losses.",
    "Extend the deadline while working (streaming pull does it for you), or set it above the work time, and keep consumers idempotent.",
    "A dead-letter topic with maxDeliveryAttempts ends the redeliveries of a message that always fails, and keeps it for someone to look at.",
  ],
};

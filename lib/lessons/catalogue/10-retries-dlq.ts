// Lesson 10: retries with backoff, a poison message, dead-letter queues and timeouts (TTL).
import type { Lesson } from "../schema";
import { expiringQuotes } from "../scenarios/patterns";

const charge = "services[payment-service].consumers[charge]";

export const retriesDeadLetters: Lesson = {
  id: "retries-dead-letters",
  number: 10,
  kind: "lesson",
  title: "Retries, dead letters and expiry",
  summary: "Retry transient failures with backoff, park the poison message in a dead-letter queue instead of looping on it, and let stale messages expire.",
  brokers: ["rabbitmq"],
  minutes: 20,
  intro:
    "Processing fails. Some failures are transient (a flaky downstream service) and a retry a little later succeeds; some are permanent (a malformed message, a poison message) and no number of retries will help. A good consumer retries with growing delays, a bounded number of times, and then moves the message aside, to a **dead-letter queue**, where a human or a repair job can look at it. Expiry completes the picture: a message nobody handled in time is no longer worth handling. (A **timeout** in the course's sense is a deadline on a response, a caller that stops waiting; lesson 14 runs that. A message TTL is its cousin on the broker's side: a deadline on a message waiting in a queue.)",
  steps: [
    {
      id: "poison",
      title: "Retry, then dead-letter the poison message",
      body: `payment-service fails 3 % of its attempts at random (a flaky downstream) and always fails on order 13 (a poison message). Each failure is retried up to 3 times, after 100, 200 and 400 ms. Brokerlab retries by publishing a copy of the message again after the delay, the way delay (retry) queues do, so a retried message joins the **tail** of the queue: messages published after it are processed before it, and the order is lost. A retried copy is a new message to RabbitMQ, so it arrives with \`redelivered = false\`: the flag cannot tell a consumer that this is a second try (the check counts the redelivered flags, and expects none). When the retries run out, the message is rejected without requeue and RabbitMQ moves it through the dead-letter exchange \`payments.dlx\` into \`payments.dead\`, adding an **x-death** header that says where it came from and why.

**Predict** how many payments end up dead-lettered, then **Start**. This run lasts 20 seconds so that the check can look into \`payments.dead\` through RabbitMQ's management API.`,
      scenario: { example: "retry-dead-letter" },
      run: { durationSeconds: 20 },
      predict: {
        prompt: "Of 100 payments, 3 % of attempts fail at random and order 13 always fails. With 3 retries each, how many payments are dead-lettered?",
        metric: "consumers.payment-service/charge.deadLettered",
        options: [
          { text: "None: retries fix everything", min: 0, max: 0 },
          { text: "One, the poison message (a random failure would need 4 in a row)", min: 1, max: 1 },
          { text: "About 3: every failed attempt", min: 2, max: 5 },
          { text: "More than 5", min: 6 },
        ],
        explanation: "A random 3 % failure must fail four attempts in a row to be dead-lettered: about one chance in a million per message. The poison message fails every time, exhausts its retries and is dead-lettered. Retries absorb transient failures; the DLQ catches the permanent ones.",
      },
      check: {
        id: "poison-parked",
        kind: "all",
        label: "Failures were retried and the poison message was parked with its x-death",
        checks: [
          { kind: "runMetric", label: "payment-service retried failed payments", path: "consumers.payment-service/charge.retried", op: ">", value: 0 },
          // The retries are republished copies: new deliveries, so RabbitMQ's redelivered flag stays false (lesson 3).
          { kind: "runMetric", label: "…and no retry arrived flagged redelivered: each is a new copy", path: "consumers.payment-service/charge.redelivered", op: "==", value: 0 },
          { kind: "runMetric", label: "One payment was dead-lettered", path: "consumers.payment-service/charge.deadLettered", op: ">=", value: 1 },
          { kind: "xDeath", sticky: true, label: "payments.dead holds a message with x-death (rejected, from payments)", queue: "payments.dead", reason: "rejected", fromQueue: "payments" },
          { kind: "ledger", label: "Nothing was lost: processed or dead-lettered", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Answer the prediction and Start. The dead-letter part turns green a few seconds in, once order 13 has used up its retries.",
        "x-death is read by peeking into payments.dead while the run is on; the queue is deleted when the run ends.",
      ],
      quiz: [
        {
          id: "poison-why-dlq",
          prompt: "Why dead-letter a poison message instead of requeueing it?",
          options: [
            { text: "Requeueing is slower" },
            { text: "A requeued poison message comes straight back and fails forever, using a consumer's time and blocking others", correct: true },
            { text: "RabbitMQ cannot requeue a message twice" },
            { text: "Dead-lettering deletes it, which is what we want" },
          ],
          explanation: "Requeueing a message that can never succeed creates a hot loop: it fails, returns to the queue, fails again. Dead-lettering moves it out of the way, keeps it (with x-death saying why and from where) and lets the good messages through.",
        },
      ],
    },
    {
      id: "requeue-loop",
      title: "Requeue forever? The broker's safety net",
      body: `Set the consumer's \`onError\` to \`requeue\`: no retries with backoff, no dead-lettering by the consumer; a failed message goes straight back to the queue.

Order 13 now loops: delivered, failed, requeued, delivered again… until the quorum queue's **delivery limit** (10, set on \`payments\`) stops it: RabbitMQ dead-letters it itself, with reason \`delivery_limit\`. Run it (20 s) and watch the requeued counter climb. The check looks for that reason in the x-death header: in the first step the consumer rejected the message (\`rejected\`); here the broker gave up on it.`,
      solution: { patch: [{ set: `${charge}.onError`, value: "requeue" }] },
      run: { durationSeconds: 20 },
      check: {
        id: "delivery-limit",
        kind: "all",
        label: "The poison message looped until the delivery limit dead-lettered it",
        checks: [
          { kind: "scenario", label: "The consumer requeues on error", path: `${charge}.onError.then`, equals: "requeue" },
          { kind: "runMetric", label: "Failed payments were requeued many times", path: "consumers.payment-service/charge.requeued", op: ">=", value: 5 },
          { kind: "xDeath", sticky: true, label: "payments.dead holds a message the broker dead-lettered at the delivery limit (reason delivery_limit)", queue: "payments.dead", reason: "delivery_limit", fromQueue: "payments" },
        ],
      },
      hints: ["Replace the whole onError block with `onError: requeue`, or use Show me."],
    },
    {
      id: "timeout",
      title: "Expiry: stale messages time out in the queue",
      body: `A quote is only worth accepting for 2 seconds. The queue \`quotes\` has a message TTL of 2 s and a dead-letter exchange; pricing-service takes about 150 ms per quote while 20 arrive each second, so a backlog builds and the oldest quotes expire.

Press **Start** (20 s). Expired quotes land in \`quotes.expired\` with an x-death reason of \`expired\`: the broker enforces a deadline on the message, with no timer in your code. It is not a response timeout: nobody here waits for an answer. A requester that waits for a reply needs its own deadline (lesson 14).`,
      scenario: { yaml: expiringQuotes },
      run: { durationSeconds: 20 },
      check: {
        id: "expired",
        kind: "all",
        label: "Stale quotes timed out into quotes.expired",
        checks: [
          { kind: "queueDepth", sticky: true, label: "quotes backed up", queue: "quotes", op: ">=", value: 10 },
          { kind: "xDeath", sticky: true, label: "quotes.expired holds quotes with x-death reason expired", queue: "quotes.expired", reason: "expired", fromQueue: "quotes" },
        ],
      },
      hints: ["Press Start; expiries begin about 3 seconds in."],
      quiz: [
        {
          id: "retry-backoff",
          prompt: "Why do retries wait longer each time (100, 200, 400 ms)?",
          options: [
            { text: "To give a struggling dependency room to recover instead of hammering it", correct: true },
            { text: "Because RabbitMQ requires increasing delays" },
            { text: "To keep messages in order" },
            { text: "So that the message expires before the last retry" },
          ],
          explanation: "Exponential backoff (with a cap, and ideally jitter) spreads retries out: a dependency that is briefly overloaded gets time to recover, and a thousand failing clients do not retry in the same millisecond.",
        },
      ],
    },
  ],
  recap: [
    "Retry transient failures a bounded number of times, with capped exponential backoff.",
    "Dead-letter what cannot succeed: the DLQ keeps the message, and x-death records the queue, the reason (rejected, expired, delivery_limit) and the count.",
    "A quorum queue's delivery limit is the broker's safety net against endless requeue loops.",
    "A message TTL is a deadline on a waiting message: stale messages expire into the dead-letter exchange instead of being processed late. A response timeout is the caller's deadline (lesson 14).",
    "Retries through delay queues republish the message at the tail of the queue: later messages overtake it, so retries reorder.",
  ],
};

// Lesson 12: an asynchronous HTTP API that accepts at once and calls back a signed webhook later;
// a receiver that is down for a while, and one that rejects a forged signature.
import type { Lesson } from "../schema";

const callbacks = "services[report-worker].workers[builders].callbacks";
const hooks = "patterns.webhooks";

export const callbacksWebhooks: Lesson = {
  id: "callbacks-webhooks",
  number: 12,
  kind: "lesson",
  title: "Callbacks and webhooks",
  summary: "An HTTP API that answers 202 Accepted at once, builds the report in the background, and calls the client back at the URL it gave: signed, retried while the receiver is down.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Some requests take too long to answer while the client waits: a report, a video transcode, a payment that needs a bank. An **asynchronous HTTP API** accepts the request (`202 Accepted` and a task id), puts the work on a queue, and when it is done **calls back**: it sends an HTTP request to the `callback_url` the client gave, a webhook. The receiver must tell a genuine callback from a forged one (the sender signs the body with a shared secret), and the sender must retry while the receiver is down, so the receiver must also cope with getting a callback twice.",
  steps: [
    {
      id: "accept-then-call-back",
      title: "Accept now, call back when done",
      body: `The shop calls the report API 20 times with its webhook URL as \`callback_url\`. report-api answers 202 at once and queues a task in \`report-jobs\`. report-worker is a **task worker** (the \`workers:\` part of its service): it takes tasks, each a job name and its arguments, off that queue and runs them, a few at a time, acknowledging each when it is done. Lesson 13 is about task queues themselves (retries, time limits, stored results); here what matters is what happens after the work. report-worker builds each report (about 150 ms) and POSTs the outcome to the callback URL, signed with \`X-Brokerlab-Signature: sha256=…\` (an HMAC of the body under a secret only the run's processes know).

The shop's receiver is down for its first two callbacks (it answers 503), so the worker retries them after a backoff. Press **Start**: the check wants every callback delivered with a valid signature, the retries, and one trace from the shop's HTTP call to the callback.`,
      scenario: { example: "webhooks" },
      check: {
        id: "all-called-back",
        kind: "all",
        label: "Every accepted request was called back",
        checks: [
          { kind: "runMetric", label: "report-api accepted 20 requests", path: `${hooks}.api.report-api.accepted`, op: ">=", value: 20 },
          { kind: "runMetric", label: "20 callbacks were delivered", path: `${hooks}.deliveries.delivered`, op: ">=", value: 20 },
          { kind: "runMetric", label: "The two refused callbacks were retried", path: `${hooks}.deliveries.retries`, op: ">=", value: 2 },
          { kind: "runMetric", label: "The shop verified 20 signatures", path: `${hooks}.receivers.shop.valid`, op: ">=", value: 20 },
          { kind: "traceCrosses", sticky: true, label: "One trace goes from the HTTP call to its callback", services: ["shop", "report-api", "report-worker"] },
        ],
      },
      hints: ["Press Start; the run takes about 6 seconds.", "The retries come from `failFirst: 2` on the shop's webhookReceiver."],
      quiz: [
        {
          id: "callback-what",
          prompt: "In an asynchronous API with a webhook, how does the client learn that its job is done?",
          options: [
            { text: "It keeps the HTTP connection open until the job ends" },
            { text: "The service sends a request to the callback URL the client gave", correct: true },
            { text: "It reads the service's database" },
            { text: "It cannot; it has to send the job again" },
          ],
          explanation: "The client registers a URL (per request or once); the service calls it when the work is done. The client is free in between, and needs an endpoint that accepts the callback, checks its signature, and tolerates getting it twice.",
        },
      ],
    },
    {
      id: "forged",
      title: "A callback the receiver must refuse",
      body: `Make the worker sign with the wrong secret: \`signature: wrong-secret\` under report-worker's \`callbacks\`. That is what a forged callback looks like to the receiver: a body anyone could have sent.

**Predict** how many callbacks the shop accepts, then run it. The receiver answers 401 to a bad signature, and a 401 is final: the worker does not retry it.`,
      solution: { patch: [{ set: `${callbacks}.signature`, value: "wrong-secret" }] },
      run: { durationSeconds: 12 },
      predict: {
        prompt: "The worker signs every callback with the wrong secret. How many does the shop accept as valid?",
        metric: `${hooks}.receivers.shop.valid`,
        options: [
          { text: "All 20: the body is fine, only the signature is off", min: 20 },
          { text: "None: a wrong signature is refused", min: 0, max: 0 },
          { text: "Some of them", min: 1, max: 19 },
        ],
        explanation: "The signature is the receiver's only proof that the callback comes from the service it trusts. With the wrong secret every HMAC fails and every callback is refused with 401; retrying cannot help, so the sender gives up on each at once.",
      },
      check: {
        id: "forgeries-refused",
        kind: "all",
        label: "The receiver refused every badly signed callback",
        checks: [
          { kind: "scenario", label: "The worker signs with the wrong secret", path: `${callbacks}.signature`, equals: "wrong-secret" },
          { kind: "runMetric", label: "The shop refused callbacks (401)", path: `${hooks}.receivers.shop.invalid`, op: ">=", value: 1 },
          { kind: "runMetric", label: "…and accepted none", path: `${hooks}.receivers.shop.valid`, op: "==", value: 0 },
          { kind: "runMetric", label: "The worker gave up on them", path: `${hooks}.deliveries.failed`, op: ">=", value: 1 },
        ],
      },
      hints: ["Set `signature: wrong-secret` under report-worker's callbacks, or use Show me."],
      quiz: [
        {
          id: "receiver-duplicates",
          prompt: "The sender retries a callback whose first attempt timed out, though the receiver had processed it. What should the receiver do?",
          options: [
            { text: "Process it again" },
            { text: "Recognise the task (or delivery) id it has seen and answer 200 without doing the work twice", correct: true },
            { text: "Answer 500 so the sender stops" },
            { text: "Nothing: retries never repeat a delivered callback" },
          ],
          explanation: "A timeout does not mean the callback failed; it may have arrived and only the answer got lost. Retrying senders deliver at least once, so receivers deduplicate by an id and acknowledge repeats.",
        },
      ],
    },
  ],
  recap: [
    "An asynchronous API answers 202 with a task id at once and calls back a registered URL when the work is done.",
    "A queue between accepting and working lets each side scale and fail on its own.",
    "Callbacks are signed (an HMAC under a shared secret) so receivers can refuse forgeries; a 401 is not retried.",
    "Senders retry with backoff while a receiver is down; receivers must tolerate duplicates.",
  ],
};

// Lesson 12: an asynchronous API that accepts now and calls back later; callbacks retried with backoff.
import type { Lesson } from "../schema";
import { reportCallbacks } from "../scenarios/patterns";

const dispatcher = "services[webhook-dispatcher].consumers[call-back]";

export const callbacksWebhooks: Lesson = {
  id: "callbacks-webhooks",
  number: 12,
  kind: "lesson",
  title: "Callbacks and webhooks",
  summary: "An API that answers \"accepted\" at once, builds the report in the background, and calls the client back at the URL it gave when the work is done.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Some requests take too long to answer while the client waits: a report, a video transcode, a payment that needs a bank. An **asynchronous HTTP API** accepts the request (202 Accepted), does the work in the background, and then **calls back**: it sends an HTTP request to a URL the client registered, a webhook. Between the two, a queue holds the work, and a second queue holds the callbacks still to deliver, so a client that is down for a while does not lose its notification.",
  steps: [
    {
      id: "accept-then-call-back",
      title: "Accept now, call back when done",
      body: `api-gateway accepts 60 report requests, each with a \`callbackUrl\`, and queues them in \`reports.requested\`. Two report-workers build them (120 to 180 ms each) and, when a report is ready, queue a callback in \`callbacks.due\`. webhook-dispatcher delivers each callback (here the HTTP POST is simulated by its processing time).

Press **Start**. The check wants every request called back, and one trace that follows a request through all three services: the trace context travels in the message headers.`,
      scenario: { yaml: reportCallbacks },
      check: {
        id: "all-called-back",
        kind: "all",
        label: "Every accepted request got its callback",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "60 reports were built and forwarded", path: "consumers.report-worker/build-report.forwarded", op: ">=", value: 60 },
          { kind: "runMetric", label: "webhook-dispatcher delivered 60 callbacks", path: "consumers.webhook-dispatcher/call-back.acked", op: ">=", value: 60 },
          { kind: "traceCrosses", sticky: true, label: "One trace goes from the request to its callback", services: ["api-gateway", "report-worker", "webhook-dispatcher"] },
        ],
      },
      hints: ["Press Start; the run takes about 8 seconds."],
      quiz: [
        {
          id: "callback-what",
          prompt: "In an asynchronous API with a webhook, how does the client learn that its job is done?",
          options: [
            { text: "It keeps the HTTP connection open until the job ends" },
            { text: "The service sends a request to the callback URL the client registered", correct: true },
            { text: "It reads the service's database" },
            { text: "It cannot; it has to send the job again" },
          ],
          explanation: "The client registers a URL (per request or once); the service calls it when the work is done. The client is free in between, and needs an endpoint that accepts the callback, checks that it is genuine (a signature), and tolerates getting it twice.",
        },
      ],
    },
    {
      id: "flaky-receiver",
      title: "The client's endpoint fails: retry the callback",
      body: `Real callback URLs fail: the client deploys, times out, answers 500. Make the dispatcher fail 30 % of its attempts (\`failures.errorRate: 0.3\`) and retry up to 4 times with growing delays (\`onError: { retries: 4, backoffMs: [100, 200, 400, 800], then: dead-letter }\`).

Run it. Callbacks that keep failing go to \`callbacks.failed\`, where they can be replayed later; the rest get through on a retry. The check wants retries to have happened and every callback to be accounted for.`,
      solution: {
        patch: [
          { set: `${dispatcher}.failures`, value: { errorRate: 0.3 } },
          { set: `${dispatcher}.onError`, value: { retries: 4, backoffMs: [100, 200, 400, 800], then: "dead-letter" } },
        ],
      },
      check: {
        id: "callbacks-retried",
        kind: "all",
        label: "Failed callbacks were retried with backoff, none lost",
        checks: [
          { kind: "scenario", label: "The dispatcher retries failed callbacks", path: `${dispatcher}.onError.retries`, op: ">=", value: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "Callbacks were retried", path: "consumers.webhook-dispatcher/call-back.retried", op: ">", value: 0 },
          { kind: "ledger", label: "Every callback was delivered or parked", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Add a failures block and an onError block to webhook-dispatcher's consumer, or use Show me."],
    },
  ],
  recap: [
    "An asynchronous API answers \"accepted\" at once and calls back a registered URL when the work is done.",
    "Queues between the steps decouple accepting, working and notifying: each scales and fails on its own.",
    "Callback delivery needs retries with backoff and a place for the ones that never get through; receivers must tolerate duplicates.",
  ],
};

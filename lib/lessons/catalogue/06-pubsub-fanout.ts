// Lesson 6: publish/subscribe with a fanout exchange: one message, a copy per subscriber queue.
import type { Lesson } from "../schema";

export const pubsubFanout: Lesson = {
  id: "pubsub-fanout",
  number: 6,
  kind: "lesson",
  title: "Publish/subscribe with a fanout exchange",
  summary: "The web app publishes log lines to the exchange logs; every subscriber with a bound queue gets its own copy, and the publisher never knows how many there are.",
  brokers: ["rabbitmq"],
  minutes: 10,
  intro:
    "A producer can publish to an exchange instead of a queue. A **fanout** exchange ignores routing keys and copies each message to every queue bound to it. Give each subscriber its own queue and you have publish/subscribe: one message, many receivers, and a publisher that does not know or care who they are. This is the course's `logs` example.",
  steps: [
    {
      id: "two-subscribers",
      title: "One log line, two copies",
      body: `web-app publishes 100 log lines to the fanout exchange \`logs\`. Two queues are bound to it: \`logs.archive\` (read by a slow archiver) and \`logs.monitor\` (read by a fast monitor).

**Predict** how many deliveries the two subscribers see in total, then **Start**.

The course shows this publisher in Java and in Clojure. The Clojure version will not run as written: Langohr has no \`rmq/publish\` (\`langohr.core\` only connects); publishing is \`langohr.basic/publish\`, as in \`(lb/publish ch "logs" "" message)\` after \`(require '[langohr.basic :as lb])\`, which takes the string itself, so the stray \`(.getBytes message)\` line does nothing. The scenario publishes the same way the corrected code does: to the exchange \`logs\` with an empty routing key.`,
      scenario: { example: "fanout-logs" },
      predict: {
        prompt: "100 log lines go to a fanout exchange with two bound queues. How many messages do the two consumers receive in total?",
        metric: "consumers.*.received",
        options: [
          { text: "100: the subscribers share them", min: 100, max: 100 },
          { text: "200: each subscriber gets every line", min: 200, max: 200 },
          { text: "Something else", min: 0, max: 99 },
        ],
        explanation: "A fanout exchange puts a copy of each message in every bound queue. Two queues, two copies: 200 deliveries for 100 publishes. Competing consumers on one queue share; subscribers with their own queues each get everything.",
      },
      check: {
        id: "every-subscriber",
        kind: "all",
        label: "Each subscriber received every log line",
        checks: [
          { kind: "runMetric", label: "web-app published 100 lines", path: "producers.web-app/app-logs.confirmed", op: ">=", value: 100 },
          { kind: "runMetric", label: "Every subscriber received all 100", path: "consumers.*.received", op: ">=", value: 100, need: "all" },
        ],
      },
      hints: ["Answer the prediction, then Start. The run takes about 6 seconds."],
      quiz: [
        {
          id: "pubsub-how-many",
          prompt: "In publish/subscribe, how many subscribers receive a published message?",
          options: [
            { text: "Exactly one" },
            { text: "Always one or more" },
            { text: "Every subscriber subscribed at that moment: fifty, one, or none at all", correct: true },
            { text: "Only the publisher" },
          ],
          explanation: "Publishing is a broadcast to whoever is subscribed at that moment: fifty subscribers, one, or nobody. With no queue bound, a fanout exchange drops the message and the publisher is not told (the next step shows it). The course's own quiz answers \"one or more\"; that holds only when someone is subscribed.",
        },
      ],
    },
    {
      id: "unbind",
      title: "No binding, no copy",
      body: `Remove the binding of \`logs.monitor\` (the second entry under \`bindings\`) and run again.

log-monitor still runs and still consumes \`logs.monitor\`, but nothing arrives: an exchange only copies to bound queues, and it keeps nothing for later. Subscribing means binding a queue before the messages are published.`,
      solution: { patch: [{ remove: "resources.rabbit.bindings[1]" }] },
      check: {
        id: "unbound-gets-nothing",
        kind: "all",
        label: "The unbound subscriber got nothing; the other got everything",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "log-archiver received all 100", path: "consumers.log-archiver/archive.received", op: ">=", value: 100 },
          { kind: "runMetric", label: "log-monitor received nothing", path: "consumers.log-monitor/watch.received", op: "==", value: 0 },
        ],
      },
      hints: ["Delete the line `- { exchange: logs, queue: logs.monitor }` under bindings, or use Show me."],
      quiz: [
        {
          id: "nobody-bound",
          prompt: "Both bindings of logs are removed and web-app publishes a line. How many subscribers receive it?",
          options: [
            { text: "None: no queue is bound, so the exchange has nowhere to copy it and drops it", correct: true },
            { text: "One: the exchange keeps it for the first queue that binds" },
            { text: "Both, once they bind again" },
          ],
          explanation: "An exchange is a router, not a store. With no bound queue, a published message reaches nobody and is gone; a queue bound later sees only what is published after. A producer that must know sets mandatory and handles returns (lesson 4), or the subscribers' queues are declared before anything is published.",
        },
      ],
    },
  ],
  recap: [
    "A fanout exchange copies each message to every bound queue and ignores routing keys.",
    "Each subscriber owns a queue: it gets every message, at its own pace, without slowing the others.",
    "Exchanges store nothing: a queue bound after a message was published never sees that message, and with no queue bound a message reaches nobody.",
  ],
};

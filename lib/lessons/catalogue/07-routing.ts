// Lesson 7: routing keys, direct and topic exchanges, and an event-driven order flow.
import type { Lesson } from "../schema";

const producer = "services[order-service].producers[order-events]";

export const routing: Lesson = {
  id: "routing-topics",
  number: 7,
  kind: "lesson",
  title: "Routing with direct and topic exchanges",
  summary: "An order service announces what happened to each order; shipping, notifications and audit each bind to the events they care about, with exact keys and wildcards.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "In an event-driven system a service does not call the others: it announces what happened (`order.paid`) and whoever cares reacts. A **direct** exchange routes a message to the queues bound with exactly its routing key. A **topic** exchange matches patterns over dot-separated words: `*` stands for exactly one word, `#` for zero or more.",
  steps: [
    {
      id: "patterns",
      title: "Exact keys and wildcards",
      body: `order-service publishes 150 events to the topic exchange \`order-events\`, each with a routing key \`order.created\`, \`order.paid\` or \`order.shipped\`. Three queues are bound:

- \`order.paid\` for shipping-service: exactly that key, about a third of the events
- \`order.*\` for notification-service: any single word after \`order.\`
- \`#\` for audit-service: everything

Press **Start**. The check wants the audit and notification services to get all 150, and shipping only some.`,
      scenario: { example: "topic-order-events" },
      check: {
        id: "routed-by-pattern",
        kind: "all",
        label: "Each service got the events its binding matches",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "audit-service (#) received all 150", path: "consumers.audit-service/record-event.received", op: ">=", value: 150 },
          { kind: "runMetric", label: "notification-service (order.*) received all 150", path: "consumers.notification-service/notify-customer.received", op: ">=", value: 150 },
          { kind: "runMetric", label: "shipping-service (order.paid) received some…", path: "consumers.shipping-service/ship-paid-orders.received", op: ">", value: 0 },
          { kind: "runMetric", label: "…but not all", path: "consumers.shipping-service/ship-paid-orders.received", op: "<", value: 150 },
        ],
      },
      hints: ["Press Start; the run takes about 6 seconds."],
      quiz: [
        {
          id: "star-vs-hash",
          prompt: "Which binding key matches the routing key order.eu.paid?",
          options: [
            { text: "order.*" },
            { text: "order.#", correct: true },
            { text: "*.paid" },
            { text: "order.paid" },
          ],
          explanation: "`*` matches exactly one word, so `order.*` matches order.paid but not order.eu.paid, and `*.paid` needs exactly two words. `#` matches zero or more words, so `order.#` matches both.",
        },
      ],
    },
    {
      id: "new-event",
      title: "A new kind of event",
      body: `Change the producer's routing key so that it announces invoice events instead, for example \`invoice.{{pick created paid}}\` (any key whose first word is \`invoice\` will do: \`invoice.created\`, \`invoice.eu.paid\`…).

**Predict** how many of them notification-service receives, then run it. Only a binding whose pattern matches gets a copy; adding a new kind of event needs no change anywhere else, and nobody who did not ask for it is bothered.`,
      solution: { patch: [{ set: `${producer}.to.routingKey`, value: "invoice.{{pick created paid}}" }] },
      predict: {
        prompt: "The events are now invoice.created and invoice.paid. How many does notification-service (bound with order.*) receive?",
        metric: "consumers.notification-service/notify-customer.received",
        options: [
          { text: "None", min: 0, max: 0 },
          { text: "About half (the paid ones)", min: 1, max: 149 },
          { text: "All 150", min: 150 },
        ],
        explanation: "order.* requires the first word to be order; invoice.anything never matches it. Only audit-service, bound with #, sees the invoice events.",
      },
      check: {
        id: "only-audit",
        kind: "all",
        label: "Only the catch-all binding matched the invoice events",
        checks: [
          { kind: "scenario", label: "The producer publishes invoice events (invoice.…)", path: `${producer}.to.routingKey`, matches: "^invoice\\.[^.]" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "audit-service received all 150", path: "consumers.audit-service/record-event.received", op: ">=", value: 150 },
          { kind: "runMetric", label: "notification-service received none", path: "consumers.notification-service/notify-customer.received", op: "==", value: 0 },
          { kind: "runMetric", label: "shipping-service received none", path: "consumers.shipping-service/ship-paid-orders.received", op: "==", value: 0 },
        ],
      },
      hints: ["Edit `routingKey:` under order-service's producer, or use Show me."],
    },
  ],
  recap: [
    "Direct exchanges route on the exact routing key; topic exchanges on patterns with * (one word) and # (zero or more words).",
    "Events name what happened; consumers choose what to hear by their bindings.",
    "Adding an event type or a consumer needs no change to the services already there: the loose coupling of event-driven architecture.",
  ],
};

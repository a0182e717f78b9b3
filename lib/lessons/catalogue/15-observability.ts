// Lesson 15: follow one order across services in its trace; find the slow consumer.
import type { Lesson } from "../schema";

export const observability: Lesson = {
  id: "observability",
  number: 15,
  kind: "lesson",
  title: "Observability: follow one order",
  summary: "One trace follows an order through three services and two queues. Then one service slows down, and queue depth, lag and traces point at it.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "In a synchronous call chain a stack of timings tells you where the time went. With queues in between, the request is gone the moment it is published, and a slow service shows up far away as a growing queue. Distributed tracing stitches the pieces back together: the producer injects the trace context into the message headers, the consumer extracts it, and Jaeger draws one trace across every service. Metrics on the queues tell you where messages wait.",
  steps: [
    {
      id: "one-trace",
      title: "One trace, three services",
      body: `order-service → \`orders\` → payment-service → \`payments\` → shipping-service. payment-service consumes an order, charges it and forwards a payment message: consume, then produce.

Press **Start**. The check asks Jaeger, by this run's id, for a trace that holds spans of all three services. Open one of the run's traces: a PRODUCER span in order-service, CONSUMER and PRODUCER spans in payment-service, a CONSUMER span in shipping-service, and the gaps between them are time spent waiting in a queue.`,
      scenario: { example: "order-chain" },
      check: {
        id: "trace-crosses-three",
        kind: "all",
        label: "One trace follows an order end to end",
        checks: [
          { kind: "traceCrosses", sticky: true, label: "A trace holds order-service, payment-service and shipping-service", services: ["order-service", "payment-service", "shipping-service"] },
          { kind: "traceHasSpan", sticky: true, label: "shipping-service has CONSUMER spans in Jaeger", service: "shipping-service", spanKind: "consumer" },
          { kind: "runMetric", label: "shipping-service received all 50", path: "consumers.shipping-service/ship.received", op: ">=", value: 50 },
        ],
      },
      hints: ["Press Start; spans reach Jaeger a second or two after the messages."],
      quiz: [
        {
          id: "trace-context-where",
          prompt: "How does the trace continue from order-service to payment-service across the queue?",
          options: [
            { text: "Jaeger guesses it from the timestamps" },
            { text: "The trace context (traceparent) travels in the message headers", correct: true },
            { text: "Both services share a database row" },
            { text: "RabbitMQ records the trace" },
          ],
          explanation: "The producer's instrumentation injects the W3C trace context into the message headers; the consumer's extracts it and makes its span a child of (or a link to) the producer's span. Without that header, the consumer starts a new, unrelated trace.",
        },
      ],
    },
    {
      id: "slow-consumer",
      title: "Find the slow consumer",
      body: `Slow payment-service down: \`work: { ms: 200 }\`. Orders arrive at 10 a second; payment-service now manages 5.

Run it and find the culprit from the signals: the depth of \`orders\` grows (the queue in front of the slow service), \`payments\` stays empty (nothing downstream is waiting), and in the traces the gap before payment-service's span keeps getting longer. The check wants that backlog to show up in front of payment-service.`,
      solution: { patch: [{ set: "services[payment-service].consumers[charge].work", value: { ms: 200 } }] },
      check: {
        id: "backlog-in-front",
        kind: "all",
        label: "A backlog built up in front of payment-service",
        checks: [
          { kind: "scenario", label: "payment-service takes 200 ms an order", path: "services[payment-service].consumers[charge].work.ms", op: ">=", value: 100 },
          { kind: "queueDepth", sticky: true, label: "orders held at least 15 waiting orders", queue: "orders", op: ">=", value: 15 },
        ],
      },
      hints: ["Set `work: { ms: 200 }` on payment-service's consumer, or use Show me."],
      quiz: [
        {
          id: "slow-where",
          prompt: "The orders queue grows while the payments queue stays empty. Which service is the bottleneck?",
          options: [
            { text: "order-service" },
            { text: "payment-service: the queue in front of it grows", correct: true },
            { text: "shipping-service" },
            { text: "RabbitMQ" },
          ],
          explanation: "A queue grows when its consumers are slower than its producers. orders is consumed by payment-service; an empty payments queue shows shipping keeps up. Lag and depth point at the slow consumer; its spans show why.",
        },
      ],
    },
  ],
  recap: [
    "Trace context in message headers stitches producer and consumer spans into one trace across queues.",
    "Gaps between spans are time spent waiting in a queue; span durations are processing time.",
    "A growing queue (or consumer lag) sits right in front of the slow consumer.",
  ],
};

// Lesson 15: follow one order across services in its trace; find the slow consumer.
import type { Lesson } from "../schema";

const payment = "services[payment-service]";

export const observability: Lesson = {
  id: "observability",
  number: 15,
  kind: "lesson",
  title: "Observability: follow one order",
  summary: "One trace follows an order through three services and two queues. Then one service slows down, and queue depth, lag and traces point at it.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "In a synchronous call chain a stack of timings tells you where the time went. With queues in between, the request is gone the moment it is published, and a slow service shows up far away as a growing queue. Distributed tracing stitches the pieces back together: the producer injects the trace context into the message headers, the consumer extracts it, and Jaeger draws one trace across every service. Metrics on the queues tell you where messages wait. (The course lists Prometheus and Grafana among tracing tools; they are not: Prometheus collects metrics and Grafana draws dashboards. Jaeger and Zipkin, and Grafana's Tempo, store traces. A service mesh such as Istio or Linkerd traces and retries HTTP and gRPC calls between sidecars; to it, broker traffic is mostly opaque TCP, so messaging needs the clients' own instrumentation, as here.)",
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
      title: "Find the slow service",
      body: `A new deploy of this chain made one of the three services slower than the 10 orders a second that arrive, and this step does not say which. Find it from the signals alone, not from the services' settings in the editor: press **Start** and watch the depth of each queue and the rates in the run panel, then open a trace or two.

The check turns green once a backlog has built up somewhere. Then answer the question below: name the slow service. Nothing in this lesson says which one it is before you answer, and the next step's check only turns green when you fix the service you found.`,
      scenario: { example: "order-chain", patch: [{ set: `${payment}.consumers[charge].work`, value: { ms: 200 } }, { set: "services[order-service].producers[place-order].count", value: 150 }] },
      check: {
        id: "backlog-somewhere",
        kind: "runMetric",
        sticky: true,
        label: "A queue held at least 15 waiting orders: something after it is slower than what arrives",
        path: "queues.*.messages",
        op: ">=",
        value: 15,
        need: "any",
      },
      hints: ["Press Start and watch the Queues list of the run panel: which queue grows, and which stays near zero?", "A queue grows when whoever consumes it is slower than whoever fills it."],
      quiz: [
        {
          id: "slow-where",
          prompt: "In this run, which service is the bottleneck?",
          options: [
            { text: "order-service" },
            { text: "payment-service", correct: true },
            { text: "shipping-service" },
            { text: "RabbitMQ" },
          ],
          explanation: "orders grew while payments stayed near empty. A queue grows when its consumers are slower than its producers: orders is consumed by payment-service, and an empty payments queue shows shipping-service keeps up. Its consumer now takes 200 ms an order, 5 a second against 10 arriving. Depth and lag point at the slow consumer; its spans show why.",
        },
      ],
    },
    {
      id: "fix-the-bottleneck",
      title: "Give the slow service more hands",
      body: `Fix the service you named in the last step, and only that one: give it three replicas (\`replicas: 3\` next to its name), three competing consumers on the queue in front of it, about 15 orders a second together. Leave the other two services at one replica each and order-service's 150 orders at 10 a second: the check reads the run's scenario and wants the extra hands exactly where the backlog was, not everywhere.

This run lasts 20 seconds; the check wants all 150 orders shipped within it. Without the fix, about 100 get through.

While it runs, look at the slow service's CONSUMER spans in a trace of the last run: they were long, far longer than the work each order takes. A CONSUMER span of the amqplib instrumentation runs from the moment the client hands over the delivery to the moment it is acknowledged. With \`prefetch: 10\`, up to ten deliveries sit in the client's buffer, each with its span already started, waiting for the one ahead to be processed. So a span's duration is buffer wait plus processing, not processing alone; Brokerlab's processing-time histogram measures the work itself.`,
      solution: { patch: [{ set: `${payment}.replicas`, value: 3 }] },
      run: { durationSeconds: 20 },
      check: {
        id: "chain-keeps-up",
        kind: "all",
        label: "With more capacity at the slow service, and only there, the chain kept up",
        checks: [
          // The labels do not name the service: the learner names it in the previous step's quiz.
          { kind: "scenario", id: "slow-one-scaled", label: "The service you found runs 2 or more replicas", path: `${payment}.replicas`, op: ">=", value: 2 },
          { kind: "scenario", label: "…and order-service still runs one replica", path: "services[order-service].replicas", equals: 1 },
          { kind: "scenario", label: "…and shipping-service still runs one replica", path: "services[shipping-service].replicas", equals: 1 },
          { kind: "scenario", label: "order-service still sends 150 orders", path: "services[order-service].producers[place-order].count", equals: 150 },
          { kind: "scenario", label: "…at 10 a second", path: "services[order-service].producers[place-order].rate.perSecond", equals: 10 },
          { kind: "runMetric", id: "all-shipped", label: "shipping-service received all 150 orders within the 20 seconds", path: "consumers.shipping-service/ship.received", op: ">=", value: 150 },
        ],
      },
      hints: ["The slow service is the one that consumes the queue that grew. Set `replicas: 3` next to its name.", "The producer still sends 150 orders at 10 a second: about 15 seconds of orders in a 20-second run.", "Show me scales the right service (and so tells you which one it was)."],
    },
  ],
  recap: [
    "Trace context in message headers stitches producer and consumer spans into one trace across queues.",
    "Gaps between spans are time spent waiting in a queue; a CONSUMER span runs from delivery to ack, so it also holds the wait in the client's prefetch buffer, not processing alone.",
    "Prometheus (metrics) and Grafana (dashboards) are not tracing tools; Jaeger, Zipkin and Tempo store traces. A service mesh sees HTTP and gRPC, not the messages inside broker connections.",
    "A growing queue (or consumer lag) sits right in front of the slow consumer.",
  ],
};

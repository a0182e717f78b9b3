// Lesson 27: span links instead of parent spans, the run's Prometheus /metrics, a slow service found
// from its traces alone and then fixed, and what a service mesh does (and does not) see of a broker.
import type { Lesson } from "../schema";
import { mysteryPipeline, slowService } from "../scenarios/observability";

const payment = "services[payment-service]";
const orders = "services[order-service].producers[place-order]";

export const observability2: Lesson = {
  id: "observability-2",
  number: 27,
  kind: "lesson",
  title: "Observability II: links, metrics and a mystery",
  summary: "Split a trace into linked traces, answer questions from the run's Prometheus metrics, find a slow service from its traces alone and fix it, and see what a service mesh can and cannot show of broker traffic.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "Lesson 15 followed one order through one trace. This lesson goes further with the same tools. A consumer can continue the producer's trace or start its own and link back to it. A run also publishes metrics in Prometheus's text format, and those metrics answer questions that a single trace cannot. Then one service in a four-service pipeline is slow for a reason its settings do not show, and you have to find which one from its traces. The last step is about service meshes, which the course describes as a tool for asynchronous communication. For messages going through a broker, a mesh cannot do most of that.",
  steps: [
    {
      id: "span-links",
      title: "From one trace to linked traces",
      body: `This is lesson 15's chain: order-service → \`orders\` → payment-service → \`payments\` → shipping-service. By default (\`tracing: { propagation: parent }\`), each CONSUMER span is a **child** of the PRODUCER span whose message it received, so the whole chain forms one trace.

Change it to \`propagation: link\` and press **Start**. Now each CONSUMER span starts a **new trace** and carries a **link** (a FOLLOWS_FROM reference, in Jaeger's words) to the producer's span. In Jaeger, one order becomes three traces: order-service's, payment-service's (its CONSUMER span and the PRODUCER span of its forward) and shipping-service's. Open one of shipping-service's traces and follow its reference back.

Brokerlab's trace view grades each trace against the OpenTelemetry messaging conventions (the **conventions** line above the timeline; click it for the list). In link mode a \`process\` span must link to its message's \`send\` span instead of being its child, and the grade says so when it is not.

The check asks Jaeger for shipping-service's CONSUMER spans in this run and wants them to link to another trace rather than sit inside the producer's, and grades shipping-service's traces against the conventions with link propagation.`,
      scenario: { example: "order-chain" },
      solution: { example: "order-chain", patch: [{ set: "tracing.propagation", value: "link" }] },
      check: {
        id: "consumer-spans-link",
        kind: "all",
        label: "Consumer spans start their own traces and link to the producer's",
        checks: [
          { kind: "scenario", label: "The scenario propagates trace context as links", path: "tracing.propagation", equals: "link" },
          { kind: "traceLinked", sticky: true, label: "shipping-service's CONSUMER spans link to another trace (5 or more)", service: "shipping-service", spanKind: "consumer", atLeast: 5 },
          { kind: "traceConforms", sticky: true, label: "shipping-service's traces follow the messaging conventions, each process span linked to its send span (5 or more)", service: "shipping-service", propagation: "link", atLeast: 5 },
          { kind: "runMetric", label: "shipping-service received all 50 orders", path: "consumers.shipping-service/ship.received", op: ">=", value: 50 },
        ],
      },
      hints: ["`tracing:` sits near the top of the scenario; set `propagation: link`, or use Show me.", "Spans reach Jaeger a second or two after the messages."],
      quiz: [
        {
          id: "why-links",
          prompt: "When are links a better fit than parent spans?",
          options: [
            { text: "Never: a link loses the trace context" },
            { text: "When one consumer span handles messages from many traces (a batch), or a message is handled long after it was sent", correct: true },
            { text: "Only on Kafka" },
            { text: "When the broker does not support headers" },
          ],
          explanation: "A span has only one parent, but it can have many links, so a consumer that handles a batch of 100 messages can link to 100 producers. A message read hours later (a replay, a retry from a dead-letter queue) would also stretch one trace over hours. Linking keeps each trace short and still connects them. The context still travels in the message headers.",
        },
      ],
    },
    {
      id: "read-metrics",
      title: "Ask the run's metrics",
      body: `Brokerlab publishes every run it keeps at \`/metrics\`, in the text format Prometheus scrapes. Each line has a \`run\` label with the run's id. Open \`/metrics\` on the Brokerlab address in a second tab **while this run is on**, and reload it to read it again. This run lasts about 20 seconds.

In this run, order-service sends 200 orders at 20 a second, and payment-service takes 100 ms for each one. Find these lines for your run:
- \`brokerlab_consumer_messages_total\`: counters per consumer and \`outcome\` (received, acked, forwarded, …).
- \`brokerlab_consumer_latency_seconds\`: the median (\`quantile="0.5"\`) and tail of the messages handled in the latest moment (the last tenth of a second or so; the lines are left out when none were). \`kind="queue_wait"\` is the time from publish until the consumer starts on a message, and \`kind="processing"\` is the work itself.
- \`brokerlab_queue_messages\`: each queue's depth, ready and unacked.

Then answer the questions below from those lines.`,
      scenario: { example: "order-chain", patch: [{ set: `${payment}.consumers[charge].work`, value: { ms: 100 } }, { set: `${orders}.rate`, value: { perSecond: 20 } }, { set: `${orders}.count`, value: 200 }] },
      check: {
        id: "metrics-run",
        kind: "all",
        label: "A run with a backlog in front of payment-service",
        checks: [
          { kind: "queueDepth", sticky: true, label: "orders held 20 or more waiting orders", queue: "orders", op: ">=", value: 20 },
          { kind: "runMetric", label: "payment-service forwarded all 200 orders", path: `consumers.payment-service/charge.forwarded`, op: ">=", value: 200 },
        ],
      },
      hints: ["`/metrics` is on the same address as this page; search the text for your run's id.", "The latency lines only cover the latest moment, so read them while orders are still flowing."],
      quiz: [
        {
          id: "wait-or-work",
          prompt: "Halfway through the run, what do payment-service's median latency lines show?",
          options: [
            { text: "processing about 0.1 s, queue_wait a second or more and growing: most of the time is spent waiting", correct: true },
            { text: "Both about 0.1 s: nothing waits" },
            { text: "processing several seconds and queue_wait near 0" },
            { text: "There are no latency lines for a consumer" },
          ],
          explanation: "Orders are sent faster than payment-service's 10 a second, so a backlog builds up in orders. Each order's work still takes 100 ms, but every new order waits behind a longer line. When you see a long wait and short processing, the cause is capacity, not slow code. Lesson 15's CONSUMER spans mixed the two; these metrics keep them apart.",
        },
        {
          id: "which-counter",
          prompt: "Which line counts the orders payment-service passed on to the payments queue?",
          options: [
            { text: "brokerlab_consumer_messages_total with service=\"payment-service\" and outcome=\"forwarded\"", correct: true },
            { text: "brokerlab_queue_messages with queue=\"payments\"" },
            { text: "brokerlab_consumer_latency_seconds with kind=\"processing\"" },
            { text: "brokerlab_server_process_cpu_seconds_total" },
          ],
          explanation: "The forwarded outcome counts each forward that was published and confirmed. A queue's depth is a gauge: it shows what is waiting right now, not how much has gone through, and shipping-service empties payments as fast as it fills. In Prometheus, rate() of a counter gives messages per second.",
        },
      ],
    },
    {
      id: "mystery",
      title: "The mystery slow service",
      body: `A new pipeline: order-service sends 150 orders at 10 a second, and they pass through stock-service, tax-service and invoice-service. Every service has the same settings, and one of them is still too slow.

Find it **from the traces alone**, not from the scenario. Press **Start**, open Jaeger, search for this run's traces (service invoice-service, tag \`brokerlab.run.id\`) and open a few. Compare the CONSUMER spans of the three consumers, the gaps between the spans, and the events logged on each span.

The check turns green once one trace crosses all four services and a backlog has built up. Then name the slow service below. The next step fixes it.`,
      scenario: { yaml: mysteryPipeline },
      check: {
        id: "mystery-signals",
        kind: "all",
        label: "Traces cross the pipeline, and a backlog shows that a service is slow",
        checks: [
          { kind: "traceCrosses", sticky: true, label: "A trace holds all four services", services: ["invoice-service", "order-service", "stock-service", "tax-service"] },
          { kind: "runMetric", sticky: true, label: "A queue held 15 or more waiting orders", path: "queues.*.messages", op: ">=", value: 15, need: "any" },
        ],
      },
      hints: ["The gap before a CONSUMER span is time spent in a queue; a long gap means the consumer of that queue could not keep up.", "Open a span's Logs in Jaeger: Brokerlab records faults that touch a span there."],
      quiz: [
        {
          id: "name-the-slow-one",
          prompt: "Which service is the slow one?",
          options: [
            { text: "order-service" },
            { text: "stock-service" },
            { text: slowService, correct: true },
            { text: "invoice-service" },
            { text: "RabbitMQ" },
          ],
          explanation: `${slowService}'s CONSUMER spans are the long ones, and each carries a brokerlab.fault event: a slow fault adds 150 ms to its work, about 175 ms an order, fewer than 6 a second against the 10 that arrive. The gap before its spans keeps growing (reserved, its queue, fills up). The gaps before invoice-service's spans stay short because it gets orders no faster than ${slowService} passes them on. The cause was not in the services' settings, only in a fault, and the traces showed it.`,
        },
      ],
    },
    {
      id: "fix-mystery",
      title: "Fix it and watch throughput recover",
      body: `Fix the service you named. You can give it more replicas (\`replicas: 3\` next to its name), or remove the cause you found in its traces. Do not slow down order-service: it still sends 150 orders at 10 a second.

This run lasts 22 seconds. Orders take about 15 seconds to send, so a pipeline that keeps up delivers all 150 to invoice-service in time. Unchanged, it delivers about 120.`,
      scenario: { yaml: mysteryPipeline },
      solution: { yaml: mysteryPipeline, patch: [{ set: `services[${slowService}].replicas`, value: 3 }] },
      run: { durationSeconds: 22 },
      check: {
        id: "pipeline-recovers",
        kind: "all",
        label: "The pipeline keeps up with 10 orders a second again",
        checks: [
          { kind: "scenario", label: "order-service still sends 150 orders", path: `${orders}.count`, equals: 150 },
          { kind: "scenario", label: "…at 10 a second", path: `${orders}.rate.perSecond`, equals: 10 },
          { kind: "runMetric", id: "all-invoiced", label: "invoice-service received all 150 within the 22 seconds", path: "consumers.invoice-service/invoice.received", op: ">=", value: 150 },
        ],
      },
      hints: ["More replicas of a service means more competing consumers on its queue: three handle about three times as many orders.", "Show me gives the slow service three replicas."],
    },
    {
      id: "service-mesh",
      title: "What a service mesh sees",
      body: `A service mesh (Istio, Linkerd, Consul) puts a proxy next to every service (a sidecar, or a per-node proxy) and sends the service's network traffic through it. For **HTTP and gRPC** calls, the proxy understands each request, so the mesh can:
- encrypt and authenticate service-to-service traffic with **mTLS**, and apply rules about who may call whom;
- **retry** failed requests and set **timeouts**, and cut off failing instances;
- **shift traffic**, for example 5% of requests to a new version;
- record **telemetry** per request: rates, errors, latencies, and spans for the calls.

For a **broker**, the proxy sees one long-lived TCP connection (AMQP on 5672, Kafka on 9092) with frames it does not parse. It can encrypt that connection and count its bytes. It cannot see messages, so it cannot retry a single message, send 5% of the messages to a new consumer, or tell which message took long. Istio, for example, handles AMQP and Kafka connections as plain TCP. For messaging, acknowledgements, redelivery, dead-letter queues and the clients' own trace instrumentation (the headers of step 1) do that work. The course says that a mesh manages asynchronous communication; for brokers, it does not.

Press **Start**: payment-service handles all 50 orders over one connection to RabbitMQ. That connection is all a mesh would see.`,
      scenario: { example: "order-chain" },
      check: {
        id: "one-connection",
        kind: "all",
        label: "Every order went over payment-service's one connection",
        checks: [
          { kind: "connectionState", sticky: true, label: "payment-service holds a connection to RabbitMQ", service: "payment-service", broker: "rabbit", state: "connected" },
          { kind: "runMetric", label: "payment-service received and forwarded all 50 orders", path: "consumers.payment-service/charge.forwarded", op: ">=", value: 50 },
        ],
      },
      hints: ["Press Start; the RabbitMQ management page lists payment-service's one connection and its channel."],
      quiz: [
        {
          id: "mesh-retries-message",
          prompt: "payment-service fails on one order. Can an Istio or Linkerd sidecar retry that message?",
          options: [
            { text: "Yes, the sidecar retries it like a failed HTTP request" },
            { text: "No: to the sidecar it is bytes in a TCP connection to the broker; a nack, redelivery or a retry queue retries it", correct: true },
            { text: "Yes, if mTLS is on" },
          ],
          explanation: "Mesh retries work on requests the proxy understands (HTTP, gRPC). A message goes to the broker over a connection that the proxy does not parse, and the consumer takes it from the broker over another, so there is no request for the proxy to retry. Redelivery after a nack, delay queues and dead-lettering (lessons 3 and 10) are the retries for messaging.",
        },
        {
          id: "mesh-gives-broker",
          prompt: "What can a mesh add to a service's connection to RabbitMQ or Kafka?",
          options: [
            { text: "Encryption and identity (mTLS) on the connection, and bytes and connection counts", correct: true },
            { text: "Per-message traces and per-message retries" },
            { text: "Sending 5% of the messages to a canary consumer" },
            { text: "Nothing at all" },
          ],
          explanation: "At the TCP level a mesh can encrypt and authenticate the connection and count it. Everything per message stays with the broker and the clients: acks, ordering, retries, routing and trace context in the headers. Some proxies (Envoy's Kafka filter) can decode a protocol and record metrics from it, but that is not a mesh's usual job and does not give per-message retries.",
        },
      ],
    },
  ],
  recap: [
    "A consumer span can be the producer span's child (one long trace) or the root of its own trace with a link back; links suit batches and late reads.",
    "A run's /metrics shows counters per outcome, queue depth, and latency split into queue wait and processing; long wait with short processing means too little capacity, not slow code.",
    "A slow service shows in its traces: long CONSUMER spans, growing gaps in front of them, and span events that say why.",
    "More replicas on the slow service bring throughput back; the queue in front of it drains.",
    "A service mesh secures, retries, shifts and measures HTTP and gRPC requests; broker traffic is one TCP connection to it, so messaging relies on acks, redelivery and client instrumentation.",
  ],
};

// The RabbitMQ Java client programs: a producer paced like the scenario's, and a consumer with its
// prefetch, ack mode, simulated work, retries through delayed-retry queues and dead-lettering.
import { javaComment, javaQuote, quotedName } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders, rabbitEndpointWithForward } from "./plan";
import { lines } from "./source";
import { javaBlock, javaKafkaBrokers, javaKafkaProducer, javaKafkaTopics, javaRabbitConnect, javaRabbitPublish, javaRabbitUrl } from "./java-clients";
import { forwardExprs, forwardKafkaOf, forwardRabbitOf, javaForward } from "./java-forward";
import { java, javaExpr, javaHelpers, javaShutdown, javaWork } from "./java-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
const q = javaQuote;

export const javaRabbitImports = ["import com.rabbitmq.client.AMQP;", "import com.rabbitmq.client.Channel;", "import com.rabbitmq.client.Connection;", "import com.rabbitmq.client.ConnectionFactory;", "import com.rabbitmq.client.Delivery;"];

/**
 * The producer loop around `send` (which has `payload` and `id` in scope): constants, and the loop
 * with the pause that keeps the scenario's rate.
 */
export function javaProducerLoop(plan: ProducerPlan, send: string): { constants: string[]; loop: string } {
  const { schedule } = plan;
  const count = schedule.kind === "rate" ? schedule.count : schedule.kind === "burst" ? schedule.count : 1;
  const constants = [
    schedule.kind === "rate" && `static final double PER_SECOND = ${schedule.perSecond};`,
    count !== undefined && `static final long COUNT = ${count};${schedule.kind === "once" ? " // the scenario sends these by hand: one per run" : ""}`,
  ].filter((line): line is string => Boolean(line));
  const loop = lines(
    "long started = System.nanoTime();",
    `for (long seq = 1; ${count !== undefined ? "seq <= COUNT && " : ""}!stopping; seq++) {`,
    "    Map<String, Object> payload = render(seq);",
    `    String id = ${q(`${plan.service}/${plan.name}/`)} + seq;`,
    java(send, 1),
    "    sent++;",
    schedule.kind === "rate" && "    sleep((started + seq * 1e9 / PER_SECOND - System.nanoTime()) / 1e6); // keep the scenario's rate",
    "}",
  );
  return { constants, loop };
}

export const javaRender = (plan: ProducerPlan) => {
  const body = javaExpr(plan.payload);
  const value = plan.payload.kind === "object" ? body : `object("value", ${body})`;
  return lines(
    "// The scenario's payload template; seq counts 1, 2, 3, ...",
    "static Map<String, Object> render(long seq) {",
    plan.payload.kind !== "object" && "    // (a payload that is not an object is sent as is; Map keeps the code uniform)",
    `    return ${java(value, 1).trimStart()};`,
    "}",
  );
};

export function javaRabbitProducerClass(plan: ProducerPlan, className: string): string {
  const endpoint = plan.endpoint as RabbitEndpoint;
  if (plan.route.kind !== "rabbitmq") return "";
  const { producer } = plan;
  const exprs = [plan.payload, plan.route.routingKey, ...plan.headers.map(([, value]) => value)];
  const body = plan.payload.kind === "object" ? "JSON.writeValueAsBytes(payload)" : "JSON.writeValueAsBytes(payload.get(\"value\"))";
  const publish = javaRabbitPublish(plan.route, { body, id: "id", source: "payload", headers: plan.headers, persistent: producer.persistent, mandatory: producer.mandatory });
  const { constants, loop } = javaProducerLoop(
    plan,
    lines(
      javaBlock(publish, 0),
      producer.confirm && lines("if (++unconfirmed >= CONFIRM_WINDOW) {", "    channel.waitForConfirmsOrDie(30_000); // throws if the broker refused (nacked) a message", "    unconfirmed = 0;", "}"),
    ),
  );
  return lines(
    `public final class ${className} {`,
    java(lines(javaRabbitUrl(endpoint), ...constants, producer.confirm && `static final int CONFIRM_WINDOW = ${producer.confirmWindow}; // at most this many unconfirmed publishes in flight`, "static volatile boolean stopping;", "", javaHelpers(exprs), "", javaRender(plan)), 1),
    "",
    "    public static void main(String[] args) throws Exception {",
    java(javaShutdown(""), 2),
    java(javaRabbitConnect(endpoint, plan.service, producer.confirm), 2),
    producer.mandatory && "        // mandatory: a message no queue is bound for comes back instead of vanishing.",
    producer.mandatory && '        channel.addReturnListener((returned) -> System.out.println("returned, unroutable: " + returned.getProperties().getMessageId()));',
    "        long sent = 0;",
    producer.confirm && "        long unconfirmed = 0;",
    java(loop, 2),
    producer.confirm && "        channel.waitForConfirmsOrDie(30_000);",
    producer.confirm
      ? '        System.out.println("published " + sent + " messages, every one confirmed by the broker");'
      : '        System.out.println("published " + sent + " messages (without confirms: none is known to have arrived)");',
    "        connection.close();",
    "    }",
    "}",
  );
}

export function javaRabbitConsumerClass(plan: ConsumerPlan, className: string): string {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "";
  const endpoint = rabbitEndpointWithForward(plan);
  const queue = consumer.from.queue;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const forwardKafka = forwardKafkaOf(plan);
  const confirm = retries || Boolean(forwardRabbitOf(plan));
  const producerParam = forwardKafka ? ", KafkaProducer<String, String> producer" : "";
  const source = endpoint.declarations.queues.find((x) => x.name === queue);
  const tag = "delivery.getEnvelope().getDeliveryTag()";
  const ack = manual ? `channel.basicAck(${tag}, false);` : "// (auto-ack: the broker already forgot it)";
  const then = !manual
    ? ['System.out.println(id + ": " + reason + "; lost: auto-ack removed it from the broker on delivery");']
    : onError.then === "dead-letter"
      ? [
          `channel.basicNack(${tag}, false, false); ${javaComment(`no requeue: ${source?.deadLetter ? `the queue's dead-letter exchange ${quotedName(source.deadLetter.exchange)} takes it` : "this queue has no dead-letter exchange, so RabbitMQ drops it"}`)}`,
          'System.out.println(id + ": " + reason + "; dead-lettered after " + attempt + " attempt(s)");',
        ]
      : onError.then === "requeue"
        ? [`channel.basicNack(${tag}, false, true); // back into the queue: delivered again with redelivered = true`, 'System.out.println(id + ": " + reason + "; requeued");']
        : [`channel.basicAck(${tag}, false); // dropped: acknowledged without being processed`, 'System.out.println(id + ": " + reason + "; dropped");'];
  const retry = lines(
    "if (attempt <= RETRIES) {",
    "    long delayMs = BACKOFF_MS.length == 0 ? 0 : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1];",
    "    // A copy waits in <queue>.retry.<delay> until its message TTL dead-letters it back to the queue.",
    "    Map<String, Object> headers = new HashMap<>(incoming);",
    `    headers.put(${q(codegenHeaders.attempt)}, attempt + 1);`,
    '    headers.put("traceparent", traceparent(trace));',
    '    AMQP.BasicProperties copy = delivery.getProperties().builder().deliveryMode(2).messageId(id).headers(headers).build();',
    '    channel.basicPublish("", delayMs > 0 ? QUEUE + ".retry." + delayMs : QUEUE, false, copy, delivery.getBody());',
    "    channel.waitForConfirmsOrDie(30_000);",
    `    ${ack}`,
    '    System.out.println(id + ": " + reason + "; attempt " + (attempt + 1) + " in " + delayMs + " ms");',
    "} else {",
    java(then.join("\n"), 1),
    "}",
  );

  return lines(
    `public final class ${className} {`,
    java(
      lines(
        javaRabbitUrl(endpoint),
        forwardKafka && javaKafkaBrokers(forwardKafka),
        `static final String QUEUE = ${q(queue)};`,
        `static final int PREFETCH = ${consumer.prefetch};`,
        `static final int CONCURRENCY = ${consumer.concurrency};`,
        retries && `static final int RETRIES = ${onError.retries};`,
        retries && `static final long[] BACKOFF_MS = {${onError.backoffMs.join(", ")}}; // the delay before each retry; the last one repeats`,
        "static volatile boolean stopping;",
        consumer.idempotent && "static final Set<String> PROCESSED = ConcurrentHashMap.newKeySet(); // ids already processed: a repeat is acked, not processed again",
        consumer.failures.crashAfter !== undefined && "static final AtomicLong TAKEN = new AtomicLong();",
        "",
        javaHelpers(forwardExprs(plan)),
        "",
        "// RabbitMQ header values arrive as LongString, Integer or Long: read them as text.",
        "static String header(Map<String, Object> headers, String name) {",
        "    Object value = headers == null ? null : headers.get(name);",
        "    return value == null ? null : value.toString();",
        "}",
        "",
        javaWork(consumer),
        forwardKafka && "",
        forwardKafka && javaKafkaTopics(forwardKafka),
        "",
        `static void handle(Channel channel, Delivery delivery${producerParam}) throws Exception {`,
        "    Map<String, Object> incoming = delivery.getProperties().getHeaders() == null ? Map.of() : delivery.getProperties().getHeaders();",
        `    String id = delivery.getProperties().getMessageId() != null ? delivery.getProperties().getMessageId() : header(incoming, ${q(codegenHeaders.id)}) != null ? header(incoming, ${q(codegenHeaders.id)}) : QUEUE + "/" + ${tag};`,
        `    int attempt = header(incoming, ${q(codegenHeaders.attempt)}) == null ? 1 : Integer.parseInt(header(incoming, ${q(codegenHeaders.attempt)}));`,
        `    String sentAt = header(incoming, ${q(codegenHeaders.sentAt)});`,
        '    String trace = header(incoming, "traceparent");',
        consumer.idempotent && lines("    if (PROCESSED.contains(id)) {", `        ${ack}`, '        System.out.println(id + ": a duplicate, acknowledged without processing");', "        return;", "    }"),
        consumer.failures.crashAfter !== undefined &&
          lines(`    if (TAKEN.incrementAndGet() >= ${consumer.failures.crashAfter}) {`, '        System.out.println("crashAfter: exiting before acknowledging " + id);', "        Runtime.getRuntime().halt(1);", "    }"),
        "    try {",
        "        Map<String, Object> consumed = parse(delivery.getBody());",
        "        work(consumed);",
        plan.forward && java(javaForward(plan, { bytes: "delivery.getBody()", text: "new String(delivery.getBody(), StandardCharsets.UTF_8)" }), 2),
        consumer.idempotent && "        PROCESSED.add(id);",
        `        ${ack}`,
        '        String latency = sentAt == null ? "" : ", " + (System.currentTimeMillis() - Long.parseLong(sentAt)) + " ms after it was sent";',
        '        System.out.println(id + ": processed" + (delivery.getEnvelope().isRedeliver() ? " (redelivered)" : "") + latency + " in trace " + trace);',
        "    } catch (Exception error) {",
        "        String reason = String.valueOf(error.getMessage());",
        java(retries ? retry : then.join("\n"), 2),
        "    }",
        "}",
      ),
      1,
    ),
    "",
    "    public static void main(String[] args) throws Exception {",
    "        CountDownLatch stopped = new CountDownLatch(1);",
    java(javaShutdown("stopped.countDown();"), 2),
    java(javaRabbitConnect(endpoint, plan.service, confirm), 2),
    forwardKafka && java(lines("createTopics();", javaKafkaProducer(plan.service, { idempotent: false, acks: "all" })), 2),
    `        // ${consumer.concurrency > 1 ? "CONCURRENCY channels, each handling one message at a time: the client runs different channels' callbacks in parallel, and prefetch applies to each." : "One channel: the client calls back one message at a time, in delivery order."}`,
    "        for (int i = 0; i < CONCURRENCY; i++) {",
    "            Channel worker = i == 0 ? channel : connection.createChannel();",
    confirm && "            if (i > 0) worker.confirmSelect();",
    `            // At most PREFETCH delivered, unacknowledged messages on their way to this channel${consumer.prefetch === 0 ? " (0: no limit)" : ""}.`,
    "            worker.basicQos(PREFETCH);",
    `            worker.basicConsume(QUEUE, ${!manual}, (consumerTag, delivery) -> {`,
    "                try {",
    `                    handle(worker, delivery${forwardKafka ? ", producer" : ""});`,
    "                } catch (Exception error) {",
    '                    System.err.println("could not handle a message: " + error);',
    "                }",
    '            }, (consumerTag) -> System.out.println("the broker cancelled this consumer (was the queue deleted?)"));',
    "        }",
    '        System.out.println("waiting for messages on " + QUEUE + "; press Ctrl+C to stop");',
    "        stopped.await();",
    "        connection.close();",
    forwardKafka && "        producer.close();",
    "    }",
    "}",
  );
}

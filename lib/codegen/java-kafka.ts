// The Kafka Java client programs: a producer with the scenario's key, acks and idempotence, and a
// group consumer with its commit mode, simulated work, retry and dead-letter topics.
import { javaQuote } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { javaAcks, javaBlock, javaKafkaBrokers, javaKafkaProducer, javaKafkaRecord, javaKafkaTopics, javaRabbitConnect, javaRabbitUrl } from "./java-clients";
import { forwardExprs, forwardKafkaOf, forwardRabbitOf, javaForward, withForwardTopics } from "./java-forward";
import { javaProducerLoop, javaRender } from "./java-rabbitmq";
import { java, javaHelpers, javaShutdown, javaWork } from "./java-syntax";

type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
const q = javaQuote;

export const javaKafkaImports = (options: { admin: boolean; producer: boolean; consumer: boolean }) => [
  ...(options.admin ? ["import org.apache.kafka.clients.admin.Admin;", "import org.apache.kafka.clients.admin.AdminClientConfig;", "import org.apache.kafka.clients.admin.NewTopic;"] : []),
  ...(options.consumer
    ? ["import org.apache.kafka.clients.consumer.ConsumerConfig;", "import org.apache.kafka.clients.consumer.ConsumerRecord;", "import org.apache.kafka.clients.consumer.KafkaConsumer;", "import org.apache.kafka.clients.consumer.OffsetAndMetadata;", "import org.apache.kafka.common.TopicPartition;", "import org.apache.kafka.common.errors.WakeupException;", "import org.apache.kafka.common.header.Header;", "import org.apache.kafka.common.serialization.StringDeserializer;", "import java.time.Duration;"]
    : []),
  ...(options.producer ? ["import org.apache.kafka.clients.producer.KafkaProducer;", "import org.apache.kafka.clients.producer.ProducerConfig;", "import org.apache.kafka.clients.producer.ProducerRecord;", "import org.apache.kafka.common.serialization.StringSerializer;"] : []),
  "import java.util.Properties;",
];

export function javaKafkaProducerClass(plan: ProducerPlan, className: string): string {
  const endpoint = plan.endpoint as KafkaEndpoint;
  if (plan.route.kind !== "kafka") return "";
  const { producer } = plan;
  const exprs = [plan.payload, plan.route.key, ...plan.headers.map(([, value]) => value)];
  const acks = javaAcks(producer.acks, producer.idempotent);
  const hasTopics = endpoint.topics.some((t) => !t.existing);
  const value = plan.payload.kind === "object" ? "JSON.writeValueAsString(payload)" : 'JSON.writeValueAsString(payload.get("value"))';
  const send = lines(
    javaKafkaRecord(plan.route, { value, id: "id", source: "payload", headers: plan.headers }),
    `// acks ${acks === "all" ? "all: every in-sync replica has the record" : acks === "1" ? "1: the partition leader has it" : "0: nobody confirms anything"} before the callback reports it written.`,
    "producer.send(record, (metadata, error) -> {",
    "    if (error != null) {",
    "        failed.incrementAndGet();",
    '        System.out.println("not written to " + record.topic() + ": " + error.getMessage());',
    "    }",
    "});",
  );
  const { constants, loop } = javaProducerLoop(plan, javaBlock(send, 0));
  return lines(
    `public final class ${className} {`,
    java(lines(javaKafkaBrokers(endpoint), ...constants, "static volatile boolean stopping;", "", javaHelpers(exprs), "", javaRender(plan), hasTopics && "", javaKafkaTopics(endpoint)), 1),
    "",
    "    public static void main(String[] args) throws Exception {",
    java(javaShutdown(""), 2),
    hasTopics && "        createTopics();",
    producer.idempotent
      ? "        // Idempotent: the broker drops a retried batch it already wrote, so a retry cannot duplicate a record."
      : "        // Not idempotent: a retried send after a lost acknowledgement can write a record twice.",
    java(javaKafkaProducer(plan.service, { idempotent: producer.idempotent, acks }), 2),
    "        AtomicLong failed = new AtomicLong();",
    "        long sent = 0;",
    java(loop, 2),
    "        producer.close(); // sends what is still buffered, then waits for every acknowledgement",
    '        System.out.println("published " + sent + " messages, " + (sent - failed.get()) + " acknowledged by Kafka");',
    "    }",
    "}",
  );
}

export function javaKafkaConsumerClass(plan: ConsumerPlan, className: string): string {
  const { consumer, onError } = plan;
  if (!("topic" in consumer.from)) return "";
  const endpoint = withForwardTopics(plan.endpoint as KafkaEndpoint, plan);
  const forwardRabbit = forwardRabbitOf(plan);
  const { topic, group, fromBeginning } = consumer.from;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const requeue = onError.then === "requeue";
  const needsProducer = retries || onError.then === "dead-letter" || Boolean(forwardKafkaOf(plan));
  const hasTopics = endpoint.topics.some((t) => !t.existing);
  const bytes = (expr: string) => `${expr}.getBytes(StandardCharsets.UTF_8)`;
  const copy = (target: string, extra: [string, string][]) =>
    javaBlock(
      lines(
        "ProducerRecord<String, String> copy = new ProducerRecord<>(" + target + ", null, record.key(), record.value());",
        "for (Header header : record.headers()) copy.headers().add(header);",
        ...extra.map(([name, value]) => `copy.headers().remove(${q(name)}).add(${q(name)}, ${bytes(value)});`),
        'copy.headers().remove("traceparent").add("traceparent", traceparent(trace).getBytes(StandardCharsets.UTF_8));',
        "producer.send(copy).get(); // waits until Kafka has it",
      ),
      0,
    );
  const then =
    onError.then === "dead-letter"
      ? lines(
          "// Dead letter: a copy goes to the group's dead-letter topic, and the record counts as done.",
          copy("DEAD_LETTER_TOPIC", [["x-brokerlab-dead-letter-reason", "reason"], ["x-brokerlab-dead-letter-from", "record.topic()"]]),
          'System.out.println(id + ": " + reason + "; dead-lettered to " + DEAD_LETTER_TOPIC + " after " + attempt + " attempt(s)");',
        )
      : requeue
        ? lines(
            "// requeue: Kafka has no per-message requeue; process the same record again, in place.",
            'System.out.println(id + ": " + reason + "; processing it again");',
            `sleep(${Math.max(10, onError.backoffMs.at(-1) ?? 0)});`,
            "continue;",
          )
        : 'System.out.println(id + ": " + reason + "; dropped");';
  const attemptBody = lines(
    "try {",
    "    Map<String, Object> consumed = parse(record.value() == null ? new byte[0] : record.value().getBytes(StandardCharsets.UTF_8));",
    "    work(consumed);",
    plan.forward && java(javaForward(plan, { bytes: "String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8)", text: "record.value()" }), 1),
    consumer.idempotent && "    PROCESSED.add(id);",
    '    System.out.println(id + ": processed from partition " + record.partition() + " at offset " + record.offset() + " in trace " + trace);',
    requeue && "    break;",
    "} catch (Exception error) {",
    "    String reason = String.valueOf(error.getMessage());",
    retries
      ? lines(
          "    if (attempt <= RETRIES) {",
          "        long delayMs = BACKOFF_MS.length == 0 ? 0 : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1];",
          "        // A copy goes to the group's retry topic with the time it is due; this consumer reads it then.",
          java(copy("RETRY_TOPIC", [[codegenHeaders.attempt, "String.valueOf(attempt + 1)"], [codegenHeaders.dueAt, "String.valueOf(System.currentTimeMillis() + delayMs)"]]), 2),
          '        System.out.println(id + ": " + reason + "; attempt " + (attempt + 1) + " in " + delayMs + " ms");',
          requeue && "        break;",
          "    } else {",
          java(then, 2),
          "    }",
        )
      : java(then, 1),
    "}",
  );

  return lines(
    `public final class ${className} {`,
    java(
      lines(
        javaKafkaBrokers(endpoint),
        forwardRabbit && javaRabbitUrl(forwardRabbit),
        `static final String TOPIC = ${q(topic)};`,
        `static final String GROUP = ${q(group)};`,
        plan.retryTopic && `static final String RETRY_TOPIC = ${q(plan.retryTopic)};`,
        plan.deadLetterTopic && `static final String DEAD_LETTER_TOPIC = ${q(plan.deadLetterTopic)};`,
        retries && `static final int RETRIES = ${onError.retries};`,
        retries && `static final long[] BACKOFF_MS = {${onError.backoffMs.join(", ")}}; // the delay before each retry; the last one repeats`,
        "static volatile boolean stopping;",
        consumer.idempotent && "static final Set<String> PROCESSED = ConcurrentHashMap.newKeySet(); // ids already processed: a repeat is skipped",
        "",
        javaHelpers(forwardExprs(plan)),
        "",
        "static String header(ConsumerRecord<String, String> record, String name) {",
        "    Header header = record.headers().lastHeader(name);",
        "    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);",
        "}",
        "",
        javaWork(consumer),
        hasTopics && "",
        javaKafkaTopics(endpoint),
      ),
      1,
    ),
    "",
    "    public static void main(String[] args) throws Exception {",
    hasTopics && "        createTopics();",
    needsProducer && java(javaKafkaProducer(plan.service, { idempotent: false, acks: "all" }), 2),
    forwardRabbit && java(javaRabbitConnect(forwardRabbit, plan.service, true), 2),
    "        // Members of one group share the partitions; every other group gets every record too.",
    "        Properties config = new Properties();",
    "        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS);",
    "        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);",
    `        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ${fromBeginning ? '"earliest"); // a new group starts at the oldest record' : '"latest"); // a new group starts at the end'}`,
    manual
      ? "        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // manual: commit a record's offset only after it is processed"
      : "        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true); // auto: offsets are committed on a timer, processed or not",
    "        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());",
    "        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());",
    "        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);",
    java(javaShutdown("consumer.wakeup(); // makes a waiting poll() throw WakeupException"), 2),
    `        consumer.subscribe(List.of(TOPIC${plan.retryTopic ? ", RETRY_TOPIC" : ""}));`,
    consumer.concurrency > 1 && `        // One record at a time here: run ${consumer.concurrency} copies of this program (up to one per partition) for concurrency ${consumer.concurrency}.`,
    consumer.failures.crashAfter !== undefined && "        long taken = 0;",
    '        System.out.println("consuming " + TOPIC + " in the group " + GROUP + "; press Ctrl+C to stop");',
    "        try {",
    "            while (!stopping) {",
    "                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {",
    `                    String id = header(record, ${q(codegenHeaders.id)}) != null ? header(record, ${q(codegenHeaders.id)}) : record.topic() + "/" + record.partition() + "/" + record.offset();`,
    `                    int attempt = header(record, ${q(codegenHeaders.attempt)}) == null ? 1 : Integer.parseInt(header(record, ${q(codegenHeaders.attempt)}));`,
    '                    String trace = header(record, "traceparent");',
    plan.retryTopic &&
      lines(
        "                    if (record.topic().equals(RETRY_TOPIC)) {",
        "                        // A retry waits until it is due (short waits: max.poll.interval.ms is 5 minutes).",
        `                        String dueAt = header(record, ${q(codegenHeaders.dueAt)});`,
        "                        sleep(dueAt == null ? 0 : Long.parseLong(dueAt) - System.currentTimeMillis());",
        "                    }",
      ),
    consumer.idempotent &&
      lines(
        "                    if (PROCESSED.contains(id)) {",
        '                        System.out.println(id + ": a duplicate, skipped");',
        manual && "                        commit(consumer, record);",
        "                        continue;",
        "                    }",
      ),
    consumer.failures.crashAfter !== undefined &&
      lines(`                    if (++taken >= ${consumer.failures.crashAfter}) {`, '                        System.out.println("crashAfter: exiting before committing " + id);', "                        Runtime.getRuntime().halt(1);", "                    }"),
    requeue ? lines("                    while (!stopping) {", java(attemptBody, 6), "                    }") : java(attemptBody, 5),
    manual && "                    commit(consumer, record);",
    "                }",
    "            }",
    "        } catch (WakeupException stoppedByCtrlC) {",
    "            // Ctrl+C: leave the loop and close.",
    "        } finally {",
    "            consumer.close(); // leave the group now, so its partitions move to the other members at once",
    needsProducer && "            producer.close();",
    forwardRabbit && "            connection.close();",
    "        }",
    "    }",
    manual &&
      lines(
        "",
        "    // The committed offset is the next record to read, so commit offset + 1.",
        "    static void commit(KafkaConsumer<String, String> consumer, ConsumerRecord<String, String> record) {",
        "        consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)));",
        "    }",
      ),
    "}",
  );
}

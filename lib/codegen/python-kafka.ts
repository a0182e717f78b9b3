// The confluent-kafka programs: a producer with the scenario's key, acks and idempotence, and a
// group consumer with its commit mode, simulated work, retry and dead-letter topics, and forward.
import { pyQuote } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { pyAcks, pyKafkaBrokers, pyKafkaProduce, pyKafkaProducer, pyKafkaTopics, pyRabbitConnect, pyRabbitUrl } from "./python-clients";
import { pyForward, pyProducerLoop, pyRender } from "./python-rabbitmq";
import { py, pyImports, pyMain, pyWork, pyWorkUsesRandom } from "./python-syntax";

type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
const q = pyQuote;

const headerReader = lines(
  "def header(message, name):",
  "    for key, value in message.headers() or []:",
  "        if key == name:",
  "            return value.decode() if isinstance(value, bytes) else str(value)",
  "    return None",
);

export function pyKafkaProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as KafkaEndpoint;
  if (plan.route.kind !== "kafka") return "";
  const route = plan.route;
  const { producer } = plan;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, route.key, ...plan.headers.map(([, value]) => value)];
  const hasTopics = endpoint.topics.some((t) => !t.existing);
  return lines(
    pyImports(exprs, ["from confluent_kafka import Producer", ...(hasTopics ? ["from confluent_kafka.admin import AdminClient, NewTopic"] : [])]),
    "",
    pyKafkaBrokers(endpoint),
    ...loop.constants,
    "",
    "",
    pyRender(plan),
    hasTopics && lines("", "", pyKafkaTopics(endpoint)),
    "",
    "",
    "def main():",
    hasTopics && "    create_topics()",
    producer.idempotent
      ? "    # Idempotent: the broker drops a retried batch it already wrote, so a retry cannot duplicate a message."
      : "    # Not idempotent: a retried send after a lost acknowledgement can write a message twice.",
    py(pyKafkaProducer(plan.service, { idempotent: producer.idempotent, acks: pyAcks(producer.acks, producer.idempotent) }), 1),
    "    failed = 0",
    "",
    "    def delivered(error, message):",
    "        nonlocal failed",
    "        if error is not None:",
    "            failed += 1",
    '            print(f"not written to {message.topic()}: {error}")',
    "",
    loop.start,
    py(pyKafkaProduce(route, { value: "json.dumps(payload)", id: "message_id", source: "payload", headers: plan.headers, callback: "delivered" }), 3),
    "            producer.poll(0)  # serve delivery reports",
    loop.end,
    "    producer.flush()  # wait until every message is written (or has failed)",
    '    print(f"published {sent} messages, {sent - failed} acknowledged by Kafka")',
    "",
    "",
    pyMain,
  );
}

export function pyKafkaConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("topic" in consumer.from)) return "";
  const endpoint = plan.endpoint as KafkaEndpoint;
  const { topic, group, fromBeginning } = consumer.from;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const requeue = onError.then === "requeue";
  const forward = plan.forward;
  const forwardRabbit = forward?.endpoint.kind === "rabbitmq" ? forward.endpoint : undefined;
  const forwardKafka = forward?.endpoint.kind === "kafka" ? forward.endpoint : undefined;
  const needsProducer = retries || onError.then === "dead-letter" || Boolean(forwardKafka);
  const topics = forwardKafka ? { ...endpoint, topics: [...endpoint.topics, ...forwardKafka.topics.filter((t) => !endpoint.topics.some((x) => x.name === t.name))] } : endpoint;
  const hasTopics = topics.topics.some((t) => !t.existing);
  const exprs = [forward?.payload, ...(forward?.headers.map(([, value]) => value) ?? [])];
  const copy = (target: string, extra: string) =>
    lines(`producer.produce(${target}, key=message.key(), value=message.value(), headers={**dict(message.headers() or []), ${extra}})`, "producer.flush()");
  const then =
    onError.then === "dead-letter"
      ? lines(
          "# Dead letter: a copy goes to the group's dead-letter topic, and the record counts as done.",
          copy("DEAD_LETTER_TOPIC", `"x-brokerlab-dead-letter-reason": reason, "x-brokerlab-dead-letter-from": message.topic()`),
          'print(f"{message_id}: {reason}; dead-lettered to {DEAD_LETTER_TOPIC} after {attempt} attempt(s)")',
        )
      : requeue
        ? lines(
            "# requeue: Kafka has no per-message requeue; process the same record again, in place.",
            'print(f"{message_id}: {reason}; processing it again")',
            `time.sleep(${Math.max(10, onError.backoffMs.at(-1) ?? 0) / 1000})`,
            "continue",
          )
        : 'print(f"{message_id}: {reason}; dropped")';
  const attemptBody = lines(
    "try:",
    "    consumed = json.loads(message.value())",
    "    work(consumed)",
    forward && py(pyForward(plan, "message.value()"), 1),
    consumer.idempotent && "    processed.add(message_id)",
    '    print(f"{message_id}: processed from partition {message.partition()} at offset {message.offset()}")',
    requeue && "    break",
    "except Exception as error:  # noqa: BLE001 - every failure goes through the scenario's onError policy",
    "    reason = str(error)",
    retries
      ? lines(
          "    if attempt <= RETRIES:",
          "        delay_ms = BACKOFF_MS[min(attempt, len(BACKOFF_MS)) - 1] if BACKOFF_MS else 0",
          "        # A copy goes to the group's retry topic with the time it is due; this consumer reads it then.",
          py(copy("RETRY_TOPIC", `${q(codegenHeaders.attempt)}: str(attempt + 1), ${q(codegenHeaders.dueAt)}: str(int(time.time() * 1000) + delay_ms)`), 2),
          '        print(f"{message_id}: {reason}; attempt {attempt + 1} in {delay_ms} ms")',
          requeue && "        break",
          "    else:",
          py(then, 2),
        )
      : py(then, 1),
  );
  const library = [
    `from confluent_kafka import Consumer${needsProducer ? ", Producer" : ""}`,
    ...(hasTopics ? ["from confluent_kafka.admin import AdminClient, NewTopic"] : []),
    ...(forwardRabbit ? ["import pika"] : []),
  ];

  return lines(
    pyImports(exprs, library, { random: pyWorkUsesRandom(consumer) }),
    "",
    pyKafkaBrokers(endpoint),
    forwardRabbit && pyRabbitUrl(forwardRabbit),
    `TOPIC = ${q(topic)}`,
    `GROUP = ${q(group)}`,
    plan.retryTopic && `RETRY_TOPIC = ${q(plan.retryTopic)}`,
    plan.deadLetterTopic && `DEAD_LETTER_TOPIC = ${q(plan.deadLetterTopic)}`,
    retries && `RETRIES = ${onError.retries}`,
    retries && `BACKOFF_MS = [${onError.backoffMs.join(", ")}]  # the delay before each retry; the last one repeats`,
    "",
    "",
    headerReader,
    "",
    "",
    pyWork(consumer),
    hasTopics && lines("", "", pyKafkaTopics(topics)),
    "",
    "",
    "def main():",
    hasTopics && "    create_topics()",
    needsProducer && py(pyKafkaProducer(plan.service, { idempotent: false, acks: "all" }), 1),
    forwardRabbit && py(pyRabbitConnect(forwardRabbit, true), 1),
    "    # Members of one group share the partitions; every other group gets every message too.",
    "    consumer = Consumer({",
    '        "bootstrap.servers": BROKERS,',
    '        "group.id": GROUP,',
    `        "auto.offset.reset": ${fromBeginning ? '"earliest",  # a new group starts at the oldest record' : '"latest",  # a new group starts at the end'}`,
    manual
      ? '        "enable.auto.commit": False,  # manual: commit a record\'s offset only after it is processed'
      : '        "enable.auto.commit": True,  # auto: offsets are committed on a timer, processed or not',
    "    })",
    `    consumer.subscribe([TOPIC${plan.retryTopic ? ", RETRY_TOPIC" : ""}])`,
    consumer.concurrency > 1 && `    # One record at a time here: run ${consumer.concurrency} copies of this program (up to one per partition) for concurrency ${consumer.concurrency}.`,
    consumer.idempotent && "    processed = set()  # ids already processed: a repeat is skipped",
    consumer.failures.crashAfter !== undefined && "    taken = 0",
    '    print(f"consuming {TOPIC} in the group {GROUP}; press Ctrl+C to stop")',
    "    try:",
    "        while True:",
    "            message = consumer.poll(1.0)",
    "            if message is None:",
    "                continue",
    "            if message.error():",
    '                print(f"consumer error: {message.error()}")',
    "                continue",
    `            message_id = header(message, ${q(codegenHeaders.id)}) or f"{message.topic()}/{message.partition()}/{message.offset()}"`,
    `            attempt = int(header(message, ${q(codegenHeaders.attempt)}) or 1)`,
    plan.retryTopic &&
      lines(
        "            if message.topic() == RETRY_TOPIC:",
        "                # A retry waits until it is due (short waits: max.poll.interval.ms is 5 minutes).",
        `                due_at = int(header(message, ${q(codegenHeaders.dueAt)}) or 0)`,
        "                time.sleep(max(0.0, due_at / 1000 - time.time()))",
      ),
    consumer.idempotent &&
      lines(
        "            if message_id in processed:",
        '                print(f"{message_id}: a duplicate, skipped")',
        manual && "                consumer.commit(message=message, asynchronous=False)",
        "                continue",
      ),
    consumer.failures.crashAfter !== undefined &&
      lines("            taken += 1", `            if taken >= ${consumer.failures.crashAfter}:`, '                print(f"crashAfter: exiting before committing {message_id}")', "                os._exit(1)"),
    requeue ? lines("            while True:", py(attemptBody, 4)) : py(attemptBody, 3),
    manual && "            consumer.commit(message=message, asynchronous=False)  # commits this offset + 1",
    "    except KeyboardInterrupt:",
    "        pass",
    "    finally:",
    "        consumer.close()  # leave the group now, so its partitions move to the other members at once",
    forwardRabbit && "        connection.close()",
    "",
    "",
    pyMain,
  );
}

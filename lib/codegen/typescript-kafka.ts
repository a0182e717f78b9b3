// The kafkajs programs: a producer with the scenario's key, acks and idempotence, and a group
// consumer with its commit mode, simulated work, retry and dead-letter topics, and forward.
import { tsQuote } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { indent, lines } from "./source";
import { kafkaAcks, tsKafkaBrokers, tsKafkaProducer, tsKafkaSend, tsKafkaTopics, tsRabbitConnect, tsRabbitUrl } from "./typescript-clients";
import { tsForward, tsProducerLoop, tsRender } from "./typescript-rabbitmq";
import { tsHeaderReader, tsHelpers, tsMain, tsSleep, tsUsesUuid, tsWork } from "./typescript-syntax";

type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
const q = tsQuote;

const tsKafkaClient = (plan: { service: string }) => `const kafka = new Kafka({ clientId: ${q(plan.service)}, brokers, logLevel: logLevel.WARN });`;

export function tsKafkaProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as KafkaEndpoint;
  const route = plan.route.kind === "kafka" ? plan.route : undefined;
  if (!route) return "";
  const { producer } = plan;
  const loop = tsProducerLoop(plan);
  const exprs = [plan.payload, route.key, ...plan.headers.map(([, value]) => value)];
  const acks = kafkaAcks(producer.acks, producer.idempotent);
  return lines(
    'import { Kafka, Partitioners, logLevel } from "kafkajs";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsKafkaBrokers(endpoint),
    ...loop.constants,
    tsSleep,
    tsHelpers(exprs),
    "",
    tsRender(plan),
    "",
    "async function main(): Promise<void> {",
    indent(lines(tsKafkaClient(plan), tsKafkaTopics(endpoint), tsKafkaProducer({ idempotent: producer.idempotent })), 1),
    "",
    loop.start,
    `    // acks ${acks === -1 ? "-1 (all): every in-sync replica has the message" : acks === 1 ? "1: the partition leader has it" : "0: nobody confirms anything"} before send() resolves.`,
    indent(tsKafkaSend(route, { value: "JSON.stringify(payload)", id: "id", source: "payload", headers: plan.headers, acks }), 2),
    loop.end(),
    "  console.log(`published ${sent} messages`);",
    "  await producer.disconnect();",
    "}",
    "",
    tsMain,
  );
}

export function tsKafkaConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("topic" in consumer.from)) return "";
  const endpoint = plan.endpoint as KafkaEndpoint;
  const { topic, group, fromBeginning } = consumer.from;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const requeue = onError.then === "requeue";
  const forward = plan.forward;
  const forwardRabbit = forward?.endpoint.kind === "rabbitmq" ? forward.endpoint : undefined;
  const forwardKafkaTopics = forward?.endpoint.kind === "kafka" ? forward.endpoint : undefined;
  const needsProducer = retries || onError.then === "dead-letter" || Boolean(forwardKafkaTopics);
  const topics = forwardKafkaTopics ? { ...endpoint, topics: [...endpoint.topics, ...forwardKafkaTopics.topics.filter((t) => !endpoint.topics.some((x) => x.name === t.name))] } : endpoint;
  const exprs = [forward?.payload, ...(forward?.headers.map(([, value]) => value) ?? [])];
  const copy = (target: string, extra: string) =>
    lines(
      "await producer.send({",
      `  topic: ${target},`,
      "  acks: -1,",
      `  messages: [{ key: message.key, value, headers: { ...message.headers, ${extra} } }],`,
      "});",
    );
  const then =
    onError.then === "dead-letter"
      ? lines(
          "// Dead letter: a copy goes to the group's dead-letter topic, and the record counts as done.",
          copy("deadLetterTopic", `"x-brokerlab-dead-letter-reason": reason, "x-brokerlab-dead-letter-from": source`),
          "console.warn(`${id}: ${reason}; dead-lettered to ${deadLetterTopic} after ${attempt} attempt(s)`);",
        )
      : requeue
        ? lines(
            "// requeue: Kafka has no per-message requeue; process the same record again, in place.",
            "console.warn(`${id}: ${reason}; processing it again`);",
            `await sleep(${Math.max(10, onError.backoffMs.at(-1) ?? 0)});`,
            "await heartbeat();",
            "continue;",
          )
        : "console.warn(`${id}: ${reason}; dropped`);";
  const attemptBody = lines(
    "try {",
    "  const consumed = JSON.parse(value.toString()) as Record<string, unknown>;",
    "  await work(consumed);",
    forward && indent(tsForward(plan, "value"), 1),
    consumer.idempotent && "  processed.add(id);",
    '  console.log(`${id}: processed from partition ${partition} at offset ${message.offset}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);',
    requeue && "  break;",
    "} catch (error) {",
    "  const reason = error instanceof Error ? error.message : String(error);",
    retries
      ? lines(
          "  if (attempt <= retries) {",
          "    const delayMs = backoffMs.length === 0 ? 0 : backoffMs[Math.min(attempt, backoffMs.length) - 1];",
          "    // A copy goes to the group's retry topic with the time it is due; this consumer reads it then.",
          indent(copy("retryTopic", `${q(codegenHeaders.attempt)}: String(attempt + 1), ${q(codegenHeaders.dueAt)}: String(Date.now() + delayMs)`), 2),
          "    console.warn(`${id}: ${reason}; attempt ${attempt + 1} in ${delayMs} ms`);",
          requeue && "    break;",
          "  } else {",
          indent(then, 2),
          "  }",
        )
      : indent(then, 1),
    "}",
  );

  return lines(
    `import { Kafka, ${needsProducer ? "Partitioners, " : ""}logLevel } from "kafkajs";`,
    forwardRabbit && 'import { connect } from "amqplib";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsKafkaBrokers(endpoint),
    forwardRabbit && tsRabbitUrl(forwardRabbit),
    `const topic = ${q(topic)};`,
    `const group = ${q(group)};`,
    plan.retryTopic && `const retryTopic = ${q(plan.retryTopic)};`,
    plan.deadLetterTopic && `const deadLetterTopic = ${q(plan.deadLetterTopic)};`,
    retries && `const retries = ${onError.retries};`,
    retries && `const backoffMs: number[] = [${onError.backoffMs.join(", ")}]; // the delay before each retry; the last one repeats`,
    tsSleep,
    tsHeaderReader,
    tsHelpers(exprs),
    "",
    tsWork(consumer),
    "",
    "async function main(): Promise<void> {",
    indent(lines(tsKafkaClient(plan), tsKafkaTopics(topics), needsProducer && tsKafkaProducer({ idempotent: false })), 1),
    forwardRabbit && indent(tsRabbitConnect(forwardRabbit, true), 1),
    "  // Members of one group share the partitions; every other group gets every message too.",
    "  const consumer = kafka.consumer({ groupId: group });",
    "  await consumer.connect();",
    `  await consumer.subscribe({ topics: [topic${plan.retryTopic ? ", retryTopic" : ""}], fromBeginning: ${fromBeginning} });`,
    consumer.idempotent && "  const processed = new Set<string>(); // ids already processed: a repeat is skipped",
    consumer.failures.crashAfter !== undefined && "  let taken = 0;",
    "",
    "  await consumer.run({",
    manual
      ? "    autoCommit: false, // manual: commit a record's offset only after it is processed"
      : "    autoCommit: true, // auto: offsets are committed on a timer, processed or not",
    `    partitionsConsumedConcurrently: ${consumer.concurrency},`,
    "    eachMessage: async ({ topic: source, partition, message, heartbeat }) => {",
    "      const value = message.value ?? Buffer.alloc(0);",
    `      const id = header(message.headers, ${q(codegenHeaders.id)}) ?? \`\${source}/\${partition}/\${message.offset}\`;`,
    `      const attempt = Number(header(message.headers, ${q(codegenHeaders.attempt)}) ?? 1);`,
    plan.retryTopic &&
      lines(
        "      if (source === retryTopic) {",
        "        // A retry waits until it is due, heartbeating so the group keeps this member.",
        `        const dueAt = Number(header(message.headers, ${q(codegenHeaders.dueAt)}) ?? 0);`,
        "        while (Date.now() < dueAt) {",
        "          await sleep(Math.min(2_000, dueAt - Date.now()));",
        "          await heartbeat();",
        "        }",
        "      }",
      ),
    consumer.idempotent &&
      lines("      if (processed.has(id)) {", "        console.log(`${id}: a duplicate, skipped`);", manual && "        await commit(source, partition, message.offset);", "        return;", "      }"),
    consumer.failures.crashAfter !== undefined &&
      lines(`      if (++taken >= ${consumer.failures.crashAfter}) {`, "        console.error(`crashAfter: exiting before committing ${id}`);", "        process.exit(1);", "      }"),
    requeue ? lines("      for (;;) {", indent(attemptBody, 4), "      }") : indent(attemptBody, 3),
    manual && "      await commit(source, partition, message.offset);",
    "    },",
    "  });",
    "",
    manual &&
      lines(
        "  // The committed offset is the next record to read, so commit offset + 1.",
        "  async function commit(source: string, partition: number, offset: string): Promise<void> {",
        "    await consumer.commitOffsets([{ topic: source, partition, offset: String(Number(offset) + 1) }]);",
        "  }",
      ),
    "  console.log(`consuming ${topic} in the group ${group}; press Ctrl+C to stop`);",
    `  process.once("SIGINT", () => void Promise.all([consumer.disconnect()${needsProducer ? ", producer.disconnect()" : ""}${forwardRabbit ? ", connection.close()" : ""}]).finally(() => process.exit(0)));`,
    "}",
    "",
    tsMain,
  );
}


// The amqplib programs: a producer paced like the scenario's, and a consumer with its prefetch,
// ack mode, simulated work, retries through delayed-retry queues, dead-lettering and forward.
import { quotedName, tsComment, tsQuote, tsTemplateText } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders, rabbitEndpointWithForward } from "./plan";
import { indent, lines } from "./source";
import { sqliteTables } from "./sqlite-tables";
import { tsKafkaBrokers, tsKafkaProducer, tsKafkaSend, tsKafkaTopics, tsRabbitConnect, tsRabbitPublish, tsRabbitUrl } from "./typescript-clients";
import { tsExpr, tsHeaderReader, tsHelpers, tsMain, tsSleep, tsUsesUuid, tsWork } from "./typescript-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
const q = tsQuote;

type TsLoop = { constants: string[]; condition: string; pace: string | false };

/**
 * The producer loop: its constants, its condition, the pause that keeps the rate, how main() starts
 * it (`payload`, `id` in scope, the loop left open) and how each turn ends once the message is sent
 * (`afterSent`: lines between the count and the pause).
 */
export function tsProducerLoop(plan: ProducerPlan): TsLoop & { start: string; end: (...afterSent: (string | false)[]) => string } {
  const loop = tsLoopShape(plan);
  const start = lines(
    "  const stop = new AbortController();",
    '  process.once("SIGINT", () => stop.abort());',
    loop.pace && "  const startedAt = Date.now(); // paces the rate",
    "  let sent = 0;",
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    "    const payload = render(seq);",
    `    const id = \`${tsTemplateText(`${plan.service}/${plan.name}/`)}\${seq}\`;`,
  );
  const end = (...afterSent: (string | false)[]) => lines("    sent += 1;", ...afterSent, loop.pace && `    ${loop.pace}`, "  }");
  return { ...loop, start, end };
}

function tsLoopShape(plan: ProducerPlan): TsLoop {
  const { schedule } = plan;
  if (schedule.kind === "rate") {
    return {
      constants: [`const perSecond = ${schedule.perSecond};`, ...(schedule.count !== undefined ? [`const count = ${schedule.count};`] : [])],
      condition: schedule.count !== undefined ? "seq <= count && !stop.signal.aborted" : "!stop.signal.aborted",
      pace: "await sleep(startedAt + (seq * 1000) / perSecond - Date.now()); // keep the scenario's rate",
    };
  }
  const count = schedule.kind === "burst" ? schedule.count : 1;
  return { constants: [`const count = ${count};${schedule.kind === "once" ? " // the scenario sends these by hand: one per run" : ""}`], condition: "seq <= count && !stop.signal.aborted", pace: false };
}

export const tsRender = (plan: ProducerPlan) =>
  lines("// The scenario's payload template; seq counts 1, 2, 3, …", "function render(seq: number) {", `  return ${indent(tsExpr(plan.payload), 1).trimStart()};`, "}");

export function tsRabbitProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as RabbitEndpoint;
  const route = plan.route.kind === "rabbitmq" ? plan.route : undefined;
  if (!route) return "";
  const { producer } = plan;
  const loop = tsProducerLoop(plan);
  const exprs = [plan.payload, route.routingKey, ...plan.headers.map(([, value]) => value)];
  const publish = tsRabbitPublish(route, {
    body: "Buffer.from(JSON.stringify(payload))",
    id: "id",
    source: "payload",
    headers: plan.headers,
    persistent: producer.persistent,
    mandatory: producer.mandatory,
  });
  return lines(
    'import { connect } from "amqplib";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(endpoint),
    ...loop.constants,
    producer.confirm && `const confirmWindow = ${producer.confirmWindow}; // at most this many unconfirmed publishes in flight`,
    tsSleep,
    tsHelpers(exprs),
    "",
    tsRender(plan),
    "",
    "async function main(): Promise<void> {",
    indent(tsRabbitConnect(endpoint, producer.confirm), 1),
    producer.mandatory && '  // mandatory: a message no queue is bound for comes back instead of vanishing.',
    producer.mandatory && '  channel.on("return", (message) => console.warn(`returned, unroutable: ${String(message.properties.messageId)}`));',
    "",
    producer.confirm && "  let unconfirmed = 0;",
    loop.start,
    `    const accepted = ${indent(publish, 2).trimStart()}`,
    "    // amqplib buffers when the socket is busy; wait for it to drain before writing more.",
    '    if (!accepted) await new Promise((resolve) => channel.once("drain", resolve));',
    loop.end(
      producer.confirm &&
        lines(
          "    if (++unconfirmed >= confirmWindow) {",
          "      await channel.waitForConfirms(); // rejects if the broker refused (nacked) a message",
          "      unconfirmed = 0;",
          "    }",
        ),
    ),
    producer.confirm ? "  await channel.waitForConfirms();" : false,
    producer.confirm ? "  console.log(`published ${sent} messages, every one confirmed by the broker`);" : "  console.log(`published ${sent} messages (without confirms: none is known to have arrived)`);",
    "  await connection.close();",
    "}",
    "",
    tsMain,
  );
}

/** The forward: publish the processed message (or a new body from its fields) to the next destination. */
export function tsForward(plan: ConsumerPlan, consumedBody: string): string {
  const forward = plan.forward;
  if (!forward) return "";
  const body = forward.payload ? "Buffer.from(JSON.stringify(forwarded))" : consumedBody;
  const args = { body, id: "forwardId", source: "consumed", headers: forward.headers, persistent: true, mandatory: true, extraHeaders: [`${q(codegenHeaders.origin)}: id,`] };
  return lines(
    "// Forward: publish the next message of the chain once this one is processed.",
    `const forwardId = \`${tsTemplateText(`${plan.service}/${plan.name}/`)}\${id}\`;`,
    forward.payload && `const forwarded = ${indent(tsExpr(forward.payload, "consumed"), 0)};`,
    forward.route.kind === "rabbitmq"
      ? lines(tsRabbitPublish(forward.route, args), "await channel.waitForConfirms();")
      : forward.route.kind === "kafka" && tsKafkaSend(forward.route, { ...args, acks: -1, value: forward.payload ? "JSON.stringify(forwarded)" : consumedBody }),
  );
}

export function tsRabbitConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "";
  const endpoint = rabbitEndpointWithForward(plan);
  const queue = consumer.from.queue;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const forwardKafka = plan.forward?.endpoint.kind === "kafka" ? plan.forward.endpoint : undefined;
  const confirm = retries || plan.forward?.endpoint.kind === "rabbitmq";
  const source = endpoint.declarations.queues.find((x) => x.name === queue);
  const ack = manual ? "channel.ack(message);" : "// (auto-ack: the broker already forgot it)";
  const then =
    !manual
      ? ["console.warn(`${id}: ${reason}; lost: auto-ack removed it from the broker on delivery`);"]
      : onError.then === "dead-letter"
        ? [
            `channel.nack(message, false, false); ${tsComment(`no requeue: ${source?.deadLetter ? `the queue's dead-letter exchange ${quotedName(source.deadLetter.exchange)} takes it` : "this queue has no dead-letter exchange, so RabbitMQ drops it"}`)}`,
            "console.warn(`${id}: ${reason}; dead-lettered after ${attempt} attempt(s)`);",
          ]
        : onError.then === "requeue"
          ? ["channel.nack(message, false, true); // back into the queue: it is delivered again with redelivered = true", "console.warn(`${id}: ${reason}; requeued`);"]
          : ["channel.ack(message); // dropped: acknowledged without being processed", "console.warn(`${id}: ${reason}; dropped`);"];
  const exprs = [plan.forward?.payload, ...(plan.forward?.headers.map(([, value]) => value) ?? [])];
  const serial = consumer.concurrency === 1;
  const effects = consumer.effects === "sqlite";
  // Without a database, an idempotent consumer remembers processed ids in memory (until it restarts).
  const inMemory = consumer.idempotent && !effects;

  return lines(
    'import { connect } from "amqplib";',
    'import type { ConsumeMessage } from "amqplib";',
    forwardKafka && 'import { Kafka, Partitioners, logLevel } from "kafkajs";',
    effects && 'import Database from "better-sqlite3";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(endpoint),
    forwardKafka && tsKafkaBrokers(forwardKafka),
    `const queue = ${q(queue)};`,
    effects && tsEffects(plan.service, consumer.idempotent),
    retries && `const retries = ${onError.retries};`,
    retries && `const backoffMs: number[] = [${onError.backoffMs.join(", ")}]; // the delay before each retry; the last one repeats`,
    tsSleep,
    tsHeaderReader,
    tsHelpers(exprs),
    "",
    tsWork(consumer),
    "",
    "async function main(): Promise<void> {",
    indent(tsRabbitConnect(endpoint, confirm), 1),
    forwardKafka && indent(lines(`const kafka = new Kafka({ clientId: ${q(plan.service)}, brokers, logLevel: logLevel.WARN });`, tsKafkaTopics(forwardKafka), tsKafkaProducer({ idempotent: false })), 1),
    `  // At most ${consumer.prefetch} delivered, unacknowledged messages on their way to this consumer (prefetch${consumer.prefetch === 0 ? " 0: no limit" : ""}).`,
    `  await channel.prefetch(${consumer.prefetch});`,
    inMemory && "  const processed = new Set<string>(); // ids already processed: a repeat is acknowledged, not processed again",
    consumer.failures.crashAfter !== undefined && "  let taken = 0;",
    "",
    "  async function handle(message: ConsumeMessage): Promise<void> {",
    "    const headers = message.properties.headers as Record<string, unknown> | undefined;",
    `    const id = String(message.properties.messageId ?? header(headers, ${q(codegenHeaders.id)}) ?? \`\${queue}/\${message.fields.deliveryTag}\`);`,
    (retries || (manual && onError.then === "dead-letter")) && `    const attempt = Number(header(headers, ${q(codegenHeaders.attempt)}) ?? 1);`,
    `    const sentAt = Number(header(headers, ${q(codegenHeaders.sentAt)}));`,
    inMemory && lines("    if (processed.has(id)) {", `      ${ack}`, "      console.log(`${id}: a duplicate, acknowledged without processing`);", "      return;", "    }"),
    consumer.failures.crashAfter !== undefined &&
      lines(`    if (++taken >= ${consumer.failures.crashAfter}) {`, "      console.error(`crashAfter: exiting before acknowledging ${id}`);", "      process.exit(1);", "    }"),
    "    try {",
    "      const consumed = JSON.parse(message.content.toString()) as Record<string, unknown>;",
    "      await work(consumed);",
    plan.forward && indent(tsForward(plan, "message.content"), 3),
    inMemory && "      processed.add(id);",
    effects &&
      (consumer.idempotent
        ? lines("      if (!applyEffect(id, message.content.toString())) {", `        ${ack}`, "        console.log(`${id}: a duplicate: its effect was applied before, acknowledged without applying it again`);", "        return;", "      }")
        : "      applyEffect(id, message.content.toString()); // not idempotent: a repeat applies its effect again"),
    `      ${ack}`,
    '      const latency = Number.isFinite(sentAt) ? `, ${Date.now() - sentAt} ms after it was sent` : "";',
    '      console.log(`${id}: processed${message.fields.redelivered ? " (redelivered)" : ""}${latency}`);',
    "    } catch (error) {",
    "      const reason = error instanceof Error ? error.message : String(error);",
    retries
      ? lines(
          "      if (attempt <= retries) {",
          "        const delayMs = backoffMs.length === 0 ? 0 : backoffMs[Math.min(attempt, backoffMs.length) - 1];",
          "        // A copy waits in `<queue>.retry.<delay>` until its message TTL dead-letters it back to the queue.",
          "        channel.sendToQueue(delayMs > 0 ? `${queue}.retry.${delayMs}` : queue, message.content, {",
          "          persistent: true,",
          "          messageId: id,",
          '          contentType: "application/json",',
          `          headers: { ...headers, ${q(codegenHeaders.attempt)}: attempt + 1 },`,
          "        });",
          "        await channel.waitForConfirms();",
          `        ${ack}`,
          "        console.warn(`${id}: ${reason}; attempt ${attempt + 1} in ${delayMs} ms`);",
          "      } else {",
          indent(then.join("\n"), 4),
          "      }",
        )
      : indent(then.join("\n"), 3),
    "    }",
    "  }",
    "",
    serial
      ? lines(
          "  // One message at a time, in delivery order (concurrency 1).",
          "  let previous = Promise.resolve();",
          "  await channel.consume(",
          "    queue,",
          "    (message) => {",
          '      if (message === null) return console.warn("the broker cancelled this consumer (was the queue deleted?)");',
          "      previous = previous.then(() => handle(message)).catch((error: unknown) => console.error(error));",
          "    },",
          `    { noAck: ${!manual} },`,
          "  );",
        )
      : lines(
          `  // Up to ${consumer.concurrency} messages at a time (concurrency); prefetch bounds how many wait here.`,
          "  let running = 0;",
          "  const waiting: ConsumeMessage[] = [];",
          "  const next = () => {",
          `    while (running < ${consumer.concurrency} && waiting.length > 0) {`,
          "      const message = waiting.shift()!;",
          "      running += 1;",
          "      handle(message)",
          "        .catch((error: unknown) => console.error(error))",
          "        .finally(() => {",
          "          running -= 1;",
          "          next();",
          "        });",
          "    }",
          "  };",
          `  await channel.consume(queue, (message) => message && (waiting.push(message), next()), { noAck: ${!manual} });`,
        ),
    "  console.log(`waiting for messages on ${queue}; press Ctrl+C to stop`);",
    `  process.once("SIGINT", () => void ${forwardKafka ? "Promise.all([connection.close(), producer.disconnect()])" : "connection.close()"}.finally(() => process.exit(0)));`,
    "}",
    "",
    tsMain,
  );
}


/** The consumer's effects in its service's SQLite file; idempotent: the processed ids commit in the same transaction. */
function tsEffects(service: string, idempotent: boolean): string {
  return lines(
    "",
    `// ${service}'s database: one row per applied effect${idempotent ? ", and the ids of the messages applied" : ""}.`,
    `const db = new Database(process.env.DATABASE_FILE ?? ${q(sqliteTables.file(service))}); // DATABASE_FILE: where the file goes`,
    'db.pragma("journal_mode = WAL");',
    `db.exec(${q(sqliteTables.effects)});`,
    idempotent && `db.exec(${q(sqliteTables.processed)});`,
    'const insertEffect = db.prepare("INSERT INTO effects (message_id, body) VALUES (?, ?)");',
    idempotent && 'const insertProcessed = db.prepare("INSERT OR IGNORE INTO processed_ids (message_id) VALUES (?)");',
    idempotent
      ? "// The id and the effect commit together: false when this message's effect was applied before."
      : "// Every delivery applies its effect: a message delivered twice is applied twice.",
    "const applyEffect = db.transaction((id: string, body: string): boolean => {",
    idempotent && "  if (insertProcessed.run(id).changes === 0) return false;",
    "  insertEffect.run(id, body);",
    "  return true;",
    "});",
  );
}

// TypeScript snippets that connect to a broker, declare what the scenario declares, and publish:
// shared by producers and by consumers' forwards and retries.
import { tsLiteral, tsQuote } from "./escape";
import type { Expr } from "./expression";
import { codegenHeaders, queueArguments, queueDurable, topicConfig } from "./plan";
import type { Endpoint, Route } from "./plan";
import { indent, lines } from "./source";
import { tsHeaderLines, tsString } from "./typescript-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;

const q = tsQuote;
const objectLiteral = (record: Record<string, string | number | boolean>) => tsLiteral(record);

export const tsRabbitUrl = (endpoint: RabbitEndpoint) => `const url = process.env.RABBITMQ_URL ?? ${q(endpoint.url)};`;
export const tsKafkaBrokers = (endpoint: KafkaEndpoint) => `const brokers = (process.env.KAFKA_BROKERS ?? ${q(endpoint.brokers.join(","))}).split(",");`;

/** Declarations with the scenario's exact arguments: a mismatch with an existing queue fails with PRECONDITION_FAILED. */
export function tsRabbitDeclarations(endpoint: RabbitEndpoint): string {
  const { exchanges, queues, bindings } = endpoint.declarations;
  if (exchanges.length + queues.length + bindings.length === 0) return "";
  return lines(
    "// Declare what the scenario declares, with the same arguments (a mismatch fails with PRECONDITION_FAILED).",
    ...exchanges.map((e) =>
      e.existing
        ? `await channel.checkExchange(${q(e.name)}); // owned by another program: checked, never declared`
        : `await channel.assertExchange(${q(e.name)}, ${q(e.type)}, { durable: ${e.durable}, autoDelete: ${e.autoDelete} });`,
    ),
    ...queues.map((queue) =>
      queue.existing
        ? `await channel.checkQueue(${q(queue.name)}); // owned by another program: checked, never declared`
        : `await channel.assertQueue(${q(queue.name)}, { durable: ${queueDurable(queue)}, autoDelete: ${queue.autoDelete}, arguments: ${objectLiteral(queueArguments(queue))} });`,
    ),
    ...bindings.map((b) => `await channel.bindQueue(${q(b.queue)}, ${q(b.exchange)}, ${q(b.routingKey)}${b.arguments ? `, ${objectLiteral(b.arguments)}` : ""});`),
  );
}

export function tsRabbitConnect(endpoint: RabbitEndpoint, confirm: boolean): string {
  return lines(
    "const connection = await connect(url);",
    confirm
      ? "// A confirm channel: the broker acknowledges each publish once it has taken responsibility for it."
      : "// A plain channel: no publisher confirms, so a publish is not known to have arrived.",
    `const channel = await connection.${confirm ? "createConfirmChannel" : "createChannel"}();`,
    tsRabbitDeclarations(endpoint),
  );
}

export interface PublishArgs {
  /** TypeScript expressions for the body (a Buffer), the message id, and the attempt number. */
  body: string;
  id: string;
  /** Object that template fields are read from ("payload" or "consumed"). */
  source: string;
  headers: [string, Expr][];
  persistent: boolean;
  mandatory: boolean;
  extraHeaders?: string[];
}

function brokerlabHeaderLines(args: Pick<PublishArgs, "headers" | "source" | "id" | "extraHeaders">, stringsOnly: boolean): string[] {
  const attempt = stringsOnly ? `"1"` : "1";
  return [
    ...tsHeaderLines(args.headers, args.source, stringsOnly),
    `${q(codegenHeaders.id)}: ${args.id},`,
    `${q(codegenHeaders.sentAt)}: String(Date.now()),`,
    `${q(codegenHeaders.attempt)}: ${attempt},`,
    ...(args.extraHeaders ?? []),
  ];
}

export function tsRabbitPublish(route: Extract<Route, { kind: "rabbitmq" }>, args: PublishArgs): string {
  return lines(
    `channel.publish(${q(route.exchange)}, ${tsString(route.routingKey, args.source)}, ${args.body}, {`,
    `  persistent: ${args.persistent},`,
    `  mandatory: ${args.mandatory},`,
    `  messageId: ${args.id},`,
    `  contentType: "application/json",`,
    "  headers: {",
    indent(brokerlabHeaderLines(args, false).join("\n"), 2),
    "  },",
    "});",
  );
}

export function tsKafkaTopics(endpoint: KafkaEndpoint): string {
  const created = endpoint.topics.filter((t) => !t.existing);
  if (created.length === 0) return "";
  const topics = created.map((t) => {
    const config = Object.entries(topicConfig(t)).map(([name, value]) => `{ name: ${q(name)}, value: ${q(value)} }`);
    return `{ topic: ${q(t.name)}, numPartitions: ${t.partitions}, replicationFactor: ${t.replicationFactor}, configEntries: [${config.join(", ")}] },`;
  });
  return lines(
    "// Create the scenario's topics that do not exist yet, with its partitions and settings.",
    "const admin = kafka.admin();",
    "await admin.connect();",
    "const existing = new Set(await admin.listTopics());",
    "await admin.createTopics({",
    "  waitForLeaders: true,",
    "  topics: [",
    indent(topics.join("\n"), 2),
    "  ].filter((t) => !existing.has(t.topic)),",
    "});",
    "await admin.disconnect();",
  );
}

export function tsKafkaProducer(options: { idempotent: boolean }): string {
  return lines(
    options.idempotent
      ? "// Idempotent: the broker drops a retried batch it already wrote, so a retry cannot duplicate a message."
      : "// Not idempotent: a retried send after a lost acknowledgement can write a message twice.",
    "// The default partitioner hashes the key (murmur2, like the Java client): the same key, the same partition.",
    `const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: ${options.idempotent}${options.idempotent ? ", maxInFlightRequests: 1" : ""} });`,
    "await producer.connect();",
  );
}

/** kafkajs acks: -1 waits for every in-sync replica, 1 for the leader, 0 for nobody. */
export const kafkaAcks = (acks: "all" | 1 | 0 | -1, idempotent: boolean): -1 | 0 | 1 => (idempotent || acks === "all" ? -1 : acks);

export function tsKafkaSend(route: Extract<Route, { kind: "kafka" }>, args: Pick<PublishArgs, "headers" | "source" | "id" | "extraHeaders"> & { acks: -1 | 0 | 1; value: string }): string {
  return lines(
    "await producer.send({",
    `  topic: ${q(route.topic)},`,
    `  acks: ${args.acks},`,
    "  messages: [",
    "    {",
    route.key && `      key: ${tsString(route.key, args.source)},`,
    route.partition !== undefined && `      partition: ${route.partition},`,
    `      value: ${args.value},`,
    "      headers: {",
    indent(brokerlabHeaderLines(args, true).join("\n"), 4),
    "      },",
    "    },",
    "  ],",
    "});",
  );
}


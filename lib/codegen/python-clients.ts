// Python snippets that connect to a broker, declare what the scenario declares, and publish with
// pika or confluent-kafka: shared by producers and by consumers' forwards and retries.
import { pyQuote } from "./escape";
import type { Expr } from "./expression";
import { codegenHeaders, queueArguments, queueDurable, topicConfig } from "./plan";
import type { Endpoint, Route } from "./plan";
import { lines } from "./source";
import { py, pyHeaderLines, pyLiteral, pyString } from "./python-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
const q = pyQuote;

/** pika wants the virtual host in the path: "/" is written %2F. */
const pikaUrl = (url: string) => (/^amqps?:\/\/[^/]+$/.test(url) ? `${url}/%2F` : url);
export const pyRabbitUrl = (endpoint: RabbitEndpoint) => `URL = os.environ.get("RABBITMQ_URL", ${q(pikaUrl(endpoint.url))})`;
export const pyKafkaBrokers = (endpoint: KafkaEndpoint) => `BROKERS = os.environ.get("KAFKA_BROKERS", ${q(endpoint.brokers.join(","))})`;

export function pyRabbitDeclarations(endpoint: RabbitEndpoint): string {
  const { exchanges, queues, bindings } = endpoint.declarations;
  if (exchanges.length + queues.length + bindings.length === 0) return "";
  return lines(
    "# Declare what the scenario declares, with the same arguments (a mismatch fails with PRECONDITION_FAILED).",
    ...exchanges.map((e) =>
      e.existing
        ? `channel.exchange_declare(exchange=${q(e.name)}, passive=True)  # owned by another program: checked, never declared`
        : `channel.exchange_declare(exchange=${q(e.name)}, exchange_type=${q(e.type)}, durable=${pyLiteral(e.durable)}, auto_delete=${pyLiteral(e.autoDelete)})`,
    ),
    ...queues.map((queue) =>
      queue.existing
        ? `channel.queue_declare(queue=${q(queue.name)}, passive=True)  # owned by another program: checked, never declared`
        : `channel.queue_declare(queue=${q(queue.name)}, durable=${pyLiteral(queueDurable(queue))}, auto_delete=${pyLiteral(queue.autoDelete)}, arguments=${pyLiteral(queueArguments(queue))})`,
    ),
    ...bindings.map((b) => `channel.queue_bind(queue=${q(b.queue)}, exchange=${q(b.exchange)}, routing_key=${q(b.routingKey)}${b.arguments ? `, arguments=${pyLiteral(b.arguments)}` : ""})`),
  );
}

export function pyRabbitConnect(endpoint: RabbitEndpoint, confirm: boolean): string {
  return lines(
    "connection = pika.BlockingConnection(pika.URLParameters(URL))",
    "channel = connection.channel()",
    confirm && "# Publisher confirms: basic_publish returns once the broker has taken responsibility for the message",
    confirm && "# (pika's blocking connection waits for each confirm), and raises NackError if the broker refused it.",
    confirm && "channel.confirm_delivery()",
    pyRabbitDeclarations(endpoint),
  );
}

export interface PyPublishArgs {
  /** Python expressions for the body and the message id. */
  body: string;
  id: string;
  source: string;
  headers: [string, Expr][];
  persistent: boolean;
  mandatory: boolean;
  extraHeaders?: string[];
}

function brokerlabHeaderLines(args: Pick<PyPublishArgs, "headers" | "source" | "id" | "extraHeaders">, stringsOnly: boolean): string[] {
  return [
    ...pyHeaderLines(args.headers, args.source, stringsOnly),
    `${q(codegenHeaders.id)}: ${args.id},`,
    `${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)),`,
    `${q(codegenHeaders.attempt)}: ${stringsOnly ? '"1"' : "1"},`,
    ...(args.extraHeaders ?? []),
  ];
}

export function pyRabbitPublish(route: Extract<Route, { kind: "rabbitmq" }>, args: PyPublishArgs): string {
  return lines(
    "channel.basic_publish(",
    `    exchange=${q(route.exchange)},`,
    `    routing_key=${pyString(route.routingKey, args.source)},`,
    `    body=${args.body},`,
    "    properties=pika.BasicProperties(",
    `        delivery_mode=${args.persistent ? "2,  # persistent" : "1,  # transient"}`,
    '        content_type="application/json",',
    `        message_id=${args.id},`,
    "        headers={",
    py(brokerlabHeaderLines(args, false).join("\n"), 3),
    "        },",
    "    ),",
    `    mandatory=${pyLiteral(args.mandatory)},`,
    ")",
  );
}

export function pyKafkaTopics(endpoint: KafkaEndpoint): string {
  const created = endpoint.topics.filter((t) => !t.existing);
  if (created.length === 0) return "";
  return lines(
    "def create_topics():",
    '    """Creates the scenario\'s topics that do not exist yet, with its partitions and settings."""',
    '    admin = AdminClient({"bootstrap.servers": BROKERS})',
    "    existing = admin.list_topics(timeout=10).topics",
    "    wanted = [",
    ...created.map((t) => `        NewTopic(${q(t.name)}, num_partitions=${t.partitions}, replication_factor=${t.replicationFactor}, config=${pyLiteral(topicConfig(t))}),`),
    "    ]",
    "    missing = [topic for topic in wanted if topic.topic not in existing]",
    "    if missing:",
    "        for future in admin.create_topics(missing).values():",
    "            future.result()  # raises if the topic could not be created",
  );
}

/** acks all|1|0 for librdkafka; the idempotent producer needs all. */
export const pyAcks = (acks: "all" | 1 | 0 | -1, idempotent: boolean) => (idempotent || acks === "all" || acks === -1 ? "all" : String(acks));

export function pyKafkaProducer(client: string, options: { idempotent: boolean; acks: string }): string {
  return lines(
    "producer = Producer({",
    '    "bootstrap.servers": BROKERS,',
    `    "client.id": ${q(client)},`,
    `    "acks": ${q(options.acks)},`,
    `    "enable.idempotence": ${pyLiteral(options.idempotent)},`,
    "    # murmur2 like the Java client and kafkajs: the same key lands in the same partition as in Brokerlab.",
    '    "partitioner": "murmur2_random",',
    "})",
  );
}

export function pyKafkaProduce(route: Extract<Route, { kind: "kafka" }>, args: Pick<PyPublishArgs, "headers" | "source" | "id" | "extraHeaders"> & { value: string; callback?: string }): string {
  return lines(
    "producer.produce(",
    `    ${q(route.topic)},`,
    route.key && `    key=${pyString(route.key, args.source)},`,
    route.partition !== undefined && `    partition=${route.partition},`,
    `    value=${args.value},`,
    "    headers={",
    py(brokerlabHeaderLines(args, true).join("\n"), 2),
    "    },",
    args.callback && `    on_delivery=${args.callback},`,
    ")",
  );
}

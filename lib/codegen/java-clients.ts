// Java snippets that connect to a broker, declare what the scenario declares, and publish with the
// RabbitMQ Java client or the Kafka Java client: shared by producers and by consumers' copies and forwards.
import { javaQuote } from "./escape";
import type { Expr } from "./expression";
import { codegenHeaders, queueArguments, queueDurable, topicConfig } from "./plan";
import type { Endpoint, Route } from "./plan";
import { lines } from "./source";
import { java, javaHeaderPuts, javaLiteral, javaString } from "./java-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
const q = javaQuote;

const env = (name: string, fallback: string) => `System.getenv().getOrDefault(${q(name)}, ${q(fallback)})`;
export const javaRabbitUrl = (endpoint: RabbitEndpoint) => `static final String URL = ${env("RABBITMQ_URL", endpoint.url)};`;
export const javaKafkaBrokers = (endpoint: KafkaEndpoint) => `static final String BROKERS = ${env("KAFKA_BROKERS", endpoint.brokers.join(","))};`;

const args = (record: Record<string, unknown>) => (Object.keys(record).length === 0 ? "null" : javaLiteral(record));

/** Declarations with the scenario's exact arguments: a mismatch with an existing queue fails with PRECONDITION_FAILED. */
export function javaRabbitDeclarations(endpoint: RabbitEndpoint, channel = "channel"): string {
  const { exchanges, queues, bindings } = endpoint.declarations;
  if (exchanges.length + queues.length + bindings.length === 0) return "";
  return lines(
    "// Declare what the scenario declares, with the same arguments (a mismatch fails with PRECONDITION_FAILED).",
    ...exchanges.map((e) =>
      e.existing
        ? `${channel}.exchangeDeclarePassive(${q(e.name)}); // owned by another program: checked, never declared`
        : `${channel}.exchangeDeclare(${q(e.name)}, ${q(e.type)}, ${e.durable}, ${e.autoDelete}, null);`,
    ),
    ...queues.map((queue) =>
      queue.existing
        ? `${channel}.queueDeclarePassive(${q(queue.name)}); // owned by another program: checked, never declared`
        : `${channel}.queueDeclare(${q(queue.name)}, ${queueDurable(queue)}, false, ${queue.autoDelete}, ${args(queueArguments(queue))});`,
    ),
    ...bindings.map((b) => `${channel}.queueBind(${q(b.queue)}, ${q(b.exchange)}, ${q(b.routingKey)}${b.arguments ? `, ${args(b.arguments)}` : ""});`),
  );
}

export function javaRabbitConnect(endpoint: RabbitEndpoint, client: string, confirm: boolean): string {
  return lines(
    "ConnectionFactory factory = new ConnectionFactory();",
    "factory.setUri(URL);",
    `Connection connection = factory.newConnection(${q(client)});`,
    "Channel channel = connection.createChannel();",
    confirm && "// Publisher confirms: the broker acknowledges each publish once it has taken responsibility for it.",
    confirm && "channel.confirmSelect();",
    javaRabbitDeclarations(endpoint),
  );
}

export interface JavaPublishArgs {
  /** Java expressions for the body (byte[]) and the message id; `source` is the Map fields are read from. */
  body: string;
  id: string;
  source: string;
  headers: [string, Expr][];
  /** Extra `headers.put` lines (a forward's origin). */
  extraHeaders?: string[];
  /** The traceparent of the message being handled, when this one continues its trace. */
  parentTrace?: string;
}

/** Fills `headers`: the scenario's, then the ones Brokerlab's services read, then the trace context. */
function javaHeaders(a: Omit<JavaPublishArgs, "body">, stringsOnly: boolean): string {
  return lines(
    "Map<String, Object> headers = new HashMap<>();",
    ...javaHeaderPuts("headers", a.headers, a.source, stringsOnly),
    `headers.put(${q(codegenHeaders.id)}, ${a.id});`,
    `headers.put(${q(codegenHeaders.sentAt)}, String.valueOf(System.currentTimeMillis()));`,
    `headers.put(${q(codegenHeaders.attempt)}, ${stringsOnly ? '"1"' : "1"});`,
    ...(a.extraHeaders ?? []),
    `headers.put("traceparent", traceparent(${a.parentTrace ?? "null"}));`,
  );
}

export function javaRabbitPublish(route: Extract<Route, { kind: "rabbitmq" }>, a: JavaPublishArgs & { persistent: boolean; mandatory: boolean }): string {
  return lines(
    javaHeaders(a, false),
    "AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()",
    `        .deliveryMode(${a.persistent ? "2) // persistent" : "1) // transient"}`,
    '        .contentType("application/json")',
    `        .messageId(${a.id})`,
    "        .headers(headers)",
    "        .build();",
    `channel.basicPublish(${q(route.exchange)}, ${javaString(route.routingKey, a.source)}, ${a.mandatory}, properties, ${a.body});`,
  );
}

export function javaKafkaTopics(endpoint: KafkaEndpoint): string {
  const created = endpoint.topics.filter((t) => !t.existing);
  if (created.length === 0) return "";
  return lines(
    "// Creates the scenario's topics that do not exist yet, with its partitions and settings.",
    "static void createTopics() throws Exception {",
    "    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS))) {",
    "        Set<String> existing = admin.listTopics().names().get();",
    "        List<NewTopic> wanted = new ArrayList<>();",
    ...created.map((t) => `        wanted.add(new NewTopic(${q(t.name)}, ${t.partitions}, (short) ${t.replicationFactor}).configs(Map.of(${Object.entries(topicConfig(t)).map(([k, v]) => `${q(k)}, ${q(v)}`).join(", ")})));`),
    "        wanted.removeIf((topic) -> existing.contains(topic.name()));",
    "        if (!wanted.isEmpty()) admin.createTopics(wanted).all().get(); // throws if a topic could not be created",
    "    }",
    "}",
  );
}

/** acks all|1|0 for the Java client; the idempotent producer needs all. */
export const javaAcks = (acks: "all" | 1 | 0 | -1, idempotent: boolean) => (idempotent || acks === "all" || acks === -1 ? "all" : String(acks));

export function javaKafkaProducer(client: string, options: { idempotent: boolean; acks: string }): string {
  return lines(
    "Properties producerConfig = new Properties();",
    "producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS);",
    `producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, ${q(client)});`,
    `producerConfig.put(ProducerConfig.ACKS_CONFIG, ${q(options.acks)});`,
    `producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ${options.idempotent});`,
    "producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());",
    "producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());",
    "// A keyed record goes to the murmur2 hash of its key, like kafkajs in Brokerlab: the same key, the same",
    "// partition. Records without a key stick to one partition per batch (the Java client's default).",
    "KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig);",
  );
}

/** Builds `record` (a ProducerRecord with the headers; `variable` names it) for the route. */
export function javaKafkaRecord(route: Extract<Route, { kind: "kafka" }>, a: Omit<JavaPublishArgs, "body"> & { value: string }, variable = "record"): string {
  return lines(
    javaHeaders(a, true),
    `ProducerRecord<String, String> ${variable} = new ProducerRecord<>(`,
    `        ${q(route.topic)},`,
    `        ${route.partition !== undefined ? String(route.partition) : "null"},`,
    `        ${route.key ? javaString(route.key, a.source) : "null"},`,
    `        ${a.value});`,
    `headers.forEach((name, value) -> ${variable}.headers().add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8)));`,
  );
}

export const javaBlock = (body: string, depth: number) => lines(`${"    ".repeat(depth)}{`, java(body, depth + 1), `${"    ".repeat(depth)}}`);

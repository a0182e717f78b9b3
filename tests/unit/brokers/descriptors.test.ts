// The broker descriptors: each kind's schemas take what docs/scenario-format.md shows and refuse
// bad names with the scenario's own messages; the registry lists both kinds; the capabilities
// say what the docs say each broker does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { z } from "zod";
import { brokerDescriptors, brokerKinds, capabilityNames, descriptorOf, hasCapability, isBrokerKind, kindsWith, sourceForms, targetForms } from "../../../lib/brokers";
import { formOwner, wrongBrokerMessage } from "../../../lib/brokers/forms";
import { kafkaDescriptor } from "../../../lib/brokers/kafka";
import { rabbitmqDescriptor } from "../../../lib/brokers/rabbitmq";
import { brokerSchema, sourceSchema, targetSchema } from "../../../lib/scenario/schema";

/** The messages of a refused value, or none if it was accepted. */
const messagesOf = (schema: z.ZodType, value: unknown): string[] => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};
const accepts = (schema: z.ZodType, value: unknown) => assert.deepEqual(messagesOf(schema, value), [], `refused ${JSON.stringify(value)}`);
const refuses = (schema: z.ZodType, value: unknown, message: RegExp) => {
  const messages = messagesOf(schema, value);
  assert.ok(messages.some((m) => message.test(m)), `${JSON.stringify(value)}: expected ${message}, got ${JSON.stringify(messages)}`);
};
const formSchema = (forms: readonly { form: { key: string }; schema: z.ZodType }[], key: string) => forms.find((f) => f.form.key === key)!.schema;

describe("the broker registry", () => {
  it("lists RabbitMQ, Kafka, Amazon SQS/SNS, Google Cloud Pub/Sub and Redis, each once, and finds each by its kind", () => {
    assert.deepEqual(brokerKinds, ["rabbitmq", "kafka", "aws", "pubsub", "redis"]);
    assert.deepEqual(brokerDescriptors.map((d) => d.label), ["RabbitMQ", "Kafka", "Amazon SQS/SNS", "Google Cloud Pub/Sub", "Redis"]);
    assert.equal(descriptorOf("rabbitmq"), rabbitmqDescriptor);
    assert.equal(descriptorOf("kafka"), kafkaDescriptor);
    assert.ok(isBrokerKind("kafka"));
    assert.ok(!isBrokerKind("sqs") && !isBrokerKind(undefined) && !isBrokerKind("constructor"));
  });

  it("gives the scenario schema one broker entry, target form and source form per descriptor form", () => {
    accepts(brokerSchema, { kind: "rabbitmq" });
    accepts(brokerSchema, { kind: "kafka", brokers: ["localhost:9092"] });
    refuses(brokerSchema, { kind: "sqs" }, /./);
    assert.deepEqual(targetForms.map((f) => f.key), ["queue", "exchange", "topic", "snsTopic", "bus", "pubsubTopic", "stream", "channel"]);
    assert.deepEqual(sourceForms.map((f) => f.key), ["queue", "topic", "subscription", "stream", "channel", "channelPattern"]);
    accepts(targetSchema, { exchange: "orders", routingKey: "order.created" });
    accepts(targetSchema, { topic: "orders", key: "{{customerId}}" });
    accepts(sourceSchema, { topic: "orders", group: "billing" });
    refuses(targetSchema, { queue: "a", topic: "b" }, /^mixes "queue" and "topic"; write one of \{ queue: … \}, \{ exchange: …, routingKey: … \}, \{ topic: … \}, \{ snsTopic: … \}, \{ bus: …, source: …, detailType: … \}, \{ pubsubTopic: … \}, \{ stream: … \} or \{ channel: … \}$/);
  });
});

describe("forms and their brokers", () => {
  it("a to or from belongs to the kind whose form has its key", () => {
    assert.equal(formOwner("targets", { exchange: "orders", routingKey: "" })?.kind, "rabbitmq");
    assert.equal(formOwner("targets", { topic: "orders" })?.kind, "kafka");
    assert.equal(formOwner("sources", { queue: "q" })?.kind, "rabbitmq");
    assert.equal(formOwner("sources", { exchange: "orders" }), undefined);
  });

  it("a form used with another kind of broker says which kind it needs and what to write instead", () => {
    assert.equal(wrongBrokerMessage("targets", { topic: "orders" }, "rabbitmq", "rabbit"), 'a topic target needs a kafka broker, but "rabbit" is rabbitmq; use { queue } or { exchange, routingKey }');
    assert.equal(wrongBrokerMessage("targets", { queue: "q" }, "kafka", "kafka"), 'a queue or exchange target needs a rabbitmq broker, but "kafka" is kafka; use { topic }');
    assert.equal(wrongBrokerMessage("sources", { queue: "q" }, "kafka", "events"), 'a queue source needs a rabbitmq broker, but "events" is kafka; use { topic, group }');
    assert.equal(wrongBrokerMessage("sources", { topic: "t", group: "g" }, "kafka", "events"), undefined);
  });
});

describe("the RabbitMQ descriptor", () => {
  const { connection, resources, names, targets, sources } = rabbitmqDescriptor;

  it("takes the documented broker entry and resources", () => {
    accepts(connection, { kind: "rabbitmq" });
    accepts(connection, { kind: "rabbitmq", url: "amqps://broker:5671", managementUrl: "https://broker:15671" });
    accepts(resources, {
      exchanges: [{ name: "orders", type: "topic" }],
      queues: [{ name: "order_queue", type: "quorum", deliveryLimit: 5, deadLetter: { exchange: "orders.dlx" } }, { name: "q2", messageTtl: "30s", maxLength: 100, overflow: "reject-publish" }],
      bindings: [{ exchange: "orders", queue: "order_queue", routingKey: "order.#" }],
    });
    assert.deepEqual(resources.parse({}), { exchanges: [], queues: [], bindings: [] });
    accepts(formSchema(targets, "exchange"), { exchange: "", routingKey: "order_queue" });
    accepts(formSchema(sources, "queue"), { queue: "order_queue" });
  });

  it("refuses bad entries and names with the scenario's messages", () => {
    refuses(connection, { kind: "rabbitmq", url: "http://broker" }, /^must start with amqp:\/\/ or amqps:\/\/$/);
    refuses(connection, { kind: "rabbitmq", brokers: ["a:1"] }, /brokers/);
    refuses(names.queue!, "amq.gen-1", /^must not start with "amq\." \(reserved by RabbitMQ\)$/);
    refuses(names.queue!, "q".repeat(256), /^must be at most 255 bytes \(RabbitMQ's limit\)$/);
    refuses(names.exchange!, "", /^must not be empty: "" is the default exchange/);
    refuses(resources, { queues: [{ name: "q", maxLength: 0 }] }, /^must be at least 1$/);
    refuses(formSchema(targets, "queue"), { queue: "" }, /^must not be empty$/);
  });
});

describe("the Kafka descriptor", () => {
  const { connection, resources, names, targets, sources } = kafkaDescriptor;

  it("takes the documented broker entry and resources", () => {
    accepts(connection, { kind: "kafka" });
    accepts(connection, { kind: "kafka", brokers: ["kafka-1:9092", "kafka-2:9092"] });
    accepts(resources, { topics: [{ name: "orders", partitions: 3, retention: "10080m", cleanupPolicy: "compact" }] });
    assert.deepEqual(resources.parse({ topics: [{ name: "orders" }] }).topics[0], { name: "orders", partitions: 1, replicationFactor: 1, cleanupPolicy: "delete", existing: false });
    accepts(formSchema(targets, "topic"), { topic: "orders", partition: 0 });
    assert.deepEqual(formSchema(sources, "topic").parse({ topic: "orders", group: "billing" }), { topic: "orders", group: "billing", fromBeginning: false });
  });

  it("refuses bad entries and names with the scenario's messages", () => {
    const internal = /^must not start with "__" \(Kafka's internal (topic|group)s, e\.g\. __consumer_offsets, are not Brokerlab's to use\); rename it$/;
    refuses(connection, { kind: "kafka", brokers: ["localhost"] }, /^must be host:port$/);
    refuses(names.topic!, "__consumer_offsets", internal);
    refuses(names.group!, "__consumer_offsets", internal);
    refuses(names.topic!, "orders/eu", /^may only contain letters, digits, '\.', '_' and '-' \(Kafka's rule\)$/);
    refuses(names.topic!, "..", /^must not be "\." or "\.\."$/);
    refuses(resources, { topics: [{ name: "orders", partitions: 1001 }] }, /^must be at most 1000$/);
    refuses(resources, { queues: [] }, /queues/);
  });
});

describe("capabilities", () => {
  it("every descriptor answers every capability", () => {
    for (const descriptor of brokerDescriptors) assert.deepEqual(Object.keys(descriptor.capabilities).sort(), [...capabilityNames].sort(), descriptor.kind);
  });

  it("RabbitMQ: requeue, dead-letter exchanges, quorum delivery limits, bounded queues, closing a client's connections; no groups, lag or replay", () => {
    for (const yes of ["requeue", "deadLetter", "deliveryLimit", "queueDepth", "boundedQueues", "routingKeys", "brokerConnectionClose", "fanOut", "linkFaults"] as const) assert.ok(hasCapability("rabbitmq", yes), yes);
    for (const no of ["orderingKey", "consumerGroups", "lag", "replay", "visibilityTimeout"] as const) assert.ok(!hasCapability("rabbitmq", no), no);
  });

  it("Kafka: keys keep order, groups with lag, replay from an offset; no requeue or dead-letter of its own (docs/scenario-format.md, onError)", () => {
    for (const yes of ["orderingKey", "consumerGroups", "lag", "replay", "fanOut", "linkFaults"] as const) assert.ok(hasCapability("kafka", yes), yes);
    for (const no of ["requeue", "deadLetter", "deliveryLimit", "visibilityTimeout", "brokerConnectionClose", "queueDepth", "boundedQueues", "routingKeys"] as const) assert.ok(!hasCapability("kafka", no), no);
  });

  it("kindsWith lists the kinds that have a capability, in registry order", () => {
    assert.deepEqual(kindsWith("brokerConnectionClose"), ["rabbitmq"]);
    assert.deepEqual(kindsWith("fanOut"), ["rabbitmq", "kafka", "aws", "pubsub", "redis"]);
    assert.deepEqual(kindsWith("visibilityTimeout"), ["aws", "pubsub"]);
  });
});

// The Amazon SQS/SNS/EventBridge descriptor: the documented scenario is accepted; bad names,
// FIFO mistakes, undeclared queues, topics and buses, and bodies over 256 KiB are refused before
// anything is created, each with the path of the bad field; RabbitMQ keeps its { queue } form.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsDescriptor } from "../../../lib/brokers/aws";
import { attributeName, brokerlabAttributeHeaders, isAttributeName, maxMessageAttributes, scenarioAttributeLimit } from "../../../lib/brokers/aws-wire";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { addResource, connect } from "../../../lib/lab/edits";
import { buildGraph } from "../../../lib/lab/graph";
import { isolateNames } from "../../../lib/scenario/isolate";
import { validateScenario } from "../../../lib/scenario/validate";

/** The scenario of docs/scenario-format.md's Amazon section. */
const documented = () => ({
  version: 1,
  name: "aws-contract",
  brokers: { aws: { kind: "aws" } },
  resources: {
    aws: {
      queues: [
        { name: "orders.fifo", visibilityTimeout: "30s", retention: "4d", delay: "0s", contentBasedDeduplication: false },
        { name: "billing", deadLetter: { queue: "billing-dlq", maxReceiveCount: 3 } },
        { name: "billing-dlq", retention: "14d" },
      ],
      topics: [{ name: "order-events" }],
      subscriptions: [{ topic: "order-events", queue: "billing", raw: true, filterPolicy: { type: ["created"] } }],
      buses: [{ name: "shop" }],
      rules: [{ name: "route-orders", bus: "shop", pattern: { source: ["shop"] }, targets: [{ queue: "billing" }] }],
    },
  },
  services: [
    {
      name: "s",
      producers: [
        { name: "p", broker: "aws", to: { queue: "orders.fifo", groupId: "{{customerId}}", deduplicationId: "{{seq}}" }, payload: { customerId: "c-{{randomInt 1 5}}", seq: "{{seq}}" } },
        { name: "p2", broker: "aws", to: { snsTopic: "order-events", attributes: { type: "created" } } },
        { name: "p3", broker: "aws", to: { bus: "shop", source: "shop", detailType: "OrderCreated" } },
      ],
      consumers: [{ name: "c", broker: "aws", from: { queue: "billing", waitSeconds: 1 }, concurrency: 5, ack: "manual", onError: "dead-letter" }],
    },
  ],
});
type Doc = ReturnType<typeof documented>;

const problems = (change: (doc: Doc) => void) => {
  const doc = documented();
  change(doc);
  const result = validateScenario(doc);
  return result.ok ? [] : result.problems;
};
const refused = (change: (doc: Doc) => void, path: string, message: RegExp) => {
  const found = problems(change);
  assert.ok(found.some((p) => p.path === path && message.test(p.message)), `expected ${path}: ${message}, got ${JSON.stringify(found)}`);
};
const res = (doc: Doc) => doc.resources.aws;
const producer = (doc: Doc, i: number) => doc.services[0]!.producers[i] as Record<string, unknown> & { to: Record<string, unknown> };

describe("the Amazon SQS/SNS descriptor", () => {
  it("accepts the documented scenario, with durations in ms and the defaults filled in", () => {
    const result = validateScenario(documented());
    assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
    const aws = result.scenario.resources.aws;
    assert.ok(aws?.kind === "aws");
    assert.deepEqual(aws.queues.map((q) => q.visibilityTimeout), [30_000, 30_000, 30_000]);
    assert.equal(aws.queues[0]!.retention, 4 * 24 * 3_600_000);
    assert.equal(aws.rules[0]!.bus, "shop");
    assert.equal(aws.subscriptions[0]!.raw, true);
    assert.ok(awsDescriptor.connection.safeParse({ kind: "aws", endpoint: "http://127.0.0.1:4566", region: "eu-west-1" }).success);
  });

  it("refuses bad connection entries and names, naming the rule", () => {
    assert.match(awsDescriptor.connection.safeParse({ kind: "aws", endpoint: "127.0.0.1:4566" }).error!.issues[0]!.message, /http:\/\/ or https:\/\//);
    refused((d) => void (res(d).queues[1]!.name = "bill ing"), "resources.aws.queues[1].name", /letters, digits, '_' and '-'/);
    refused((d) => void (res(d).queues[1]!.name = "q".repeat(81)), "resources.aws.queues[1].name", /at most 80 characters/);
    refused((d) => void (res(d).topics[0]!.name = "order.events"), "resources.aws.topics[0].name", /SNS rule/);
    refused((d) => void (res(d).buses[0]!.name = "aws.partner"), "resources.aws.buses[0].name", /must not start with "aws\."/);
    refused((d) => void (res(d).rules[0]!.name = "r".repeat(65)), "resources.aws.rules[0].name", /at most 64 characters/);
    refused((d) => void (res(d).queues[0]!.visibilityTimeout = "13h"), "resources.aws.queues[0].visibilityTimeout", /between 0s and 12h/);
    refused((d) => void (res(d).queues[0]!.retention = "30s"), "resources.aws.queues[0].retention", /between 1m and 14d/);
    refused((d) => void (res(d).queues[0]!.delay = "16m"), "resources.aws.queues[0].delay", /between 0s and 15m/);
    refused((d) => void (producer(d, 0).to.queue = "orders fifo"), "services[0].producers[0].to.queue", /letters, digits/);
  });

  it("refuses FIFO mistakes: a group on a standard queue, a FIFO producer without a group, deduplication on a standard queue", () => {
    refused((d) => void (producer(d, 0).to.queue = "billing"), "services[0].producers[0].to.groupId", /standard queue; message groups need a FIFO queue, whose name ends in \.fifo/);
    refused((d) => void delete producer(d, 0).to.groupId, "services[0].producers[0].to.groupId", /is required: queue "orders\.fifo" is FIFO/);
    refused((d) => void delete producer(d, 0).to.deduplicationId, "services[0].producers[0].to.deduplicationId", /set deduplicationId .* or contentBasedDeduplication: true/);
    refused((d) => void ((res(d).queues[1] as Record<string, unknown>).contentBasedDeduplication = true), "resources.aws.queues[1].contentBasedDeduplication", /standard queue; content-based deduplication needs a FIFO queue/);
    refused((d) => void (producer(d, 1).to.groupId = "g"), "services[0].producers[1].to.groupId", /topic "order-events" is a standard topic/);
    refused((d) => void (producer(d, 0).to.groupId = "{{nope}}"), "services[0].producers[0].to.groupId", /nope/);
  });

  it("refuses references to queues, topics and buses the scenario does not declare", () => {
    refused((d) => void (res(d).subscriptions[0]!.queue = "shipping"), "resources.aws.subscriptions[0].queue", /"shipping" is not a queue declared in resources\.aws\.queues.*existing: true/);
    refused((d) => void (res(d).subscriptions[0]!.topic = "payments"), "resources.aws.subscriptions[0].topic", /"payments" is not a topic declared/);
    refused((d) => void (res(d).queues[1]!.deadLetter!.queue = "nowhere"), "resources.aws.queues[1].deadLetter.queue", /"nowhere" is not a queue declared/);
    refused((d) => void (res(d).rules[0]!.targets[0]!.queue = "nowhere"), "resources.aws.rules[0].targets[0].queue", /"nowhere" is not a queue declared/);
    refused((d) => void (res(d).rules[0]!.bus = "store"), "resources.aws.rules[0].bus", /"store" is not a bus declared.*"default" bus needs no declaration/);
    refused((d) => void (producer(d, 0).to.queue = "missing.fifo"), "services[0].producers[0].to.queue", /"missing\.fifo" is not a queue declared/);
    refused((d) => void (producer(d, 1).to.snsTopic = "missing"), "services[0].producers[1].to.snsTopic", /"missing" is not a topic declared/);
    refused((d) => void (producer(d, 2).to.bus = "missing"), "services[0].producers[2].to.bus", /"missing" is not a bus declared/);
    refused((d) => void (d.services[0]!.consumers[0]!.from.queue = "missing"), "services[0].consumers[0].from.queue", /"missing" is not a queue declared/);
    refused((d) => void delete res(d).queues[1]!.deadLetter, "services[0].consumers[0].onError.then", /dead-letter needs a redrive on queue "billing"/);
    assert.deepEqual(problems((d) => void (producer(d, 2).to.bus = "default")), [], "the default bus needs no declaration");
  });

  it("refuses a FIFO topic with a standard subscriber and a FIFO queue redriving to a standard one", () => {
    refused((d) => void ((res(d).topics[0]!.name = "order-events.fifo"), (res(d).subscriptions[0]!.topic = "order-events.fifo"), (producer(d, 1).to = { snsTopic: "order-events.fifo", groupId: "g" })), "resources.aws.subscriptions[0].queue", /FIFO topic "order-events\.fifo" delivers only to FIFO queues/);
    refused((d) => void (res(d).queues[0]!.deadLetter = { queue: "billing-dlq", maxReceiveCount: 3 }), "resources.aws.queues[0].deadLetter.queue", /FIFO queue needs a FIFO dead-letter queue/);
  });

  it("refuses bodies that cannot fit in 256 KiB and more attributes than SQS carries", () => {
    refused((d) => void (producer(d, 1).payload = { text: "x".repeat(261_000) }), "services[0].producers[1].payload", /at most 262144 bytes \(256 KiB\)/);
    refused((d) => void (producer(d, 2).sizeBytes = 300_000), "services[0].producers[2].sizeBytes", /at most 262144 bytes/);
    refused((d) => void (producer(d, 1).headers = { a: "1", b: "2", c: "3" }), "services[0].producers[1].headers", /at most 10 attributes/);
    refused((d) => void (producer(d, 1).headers = { "AWS.trace": "1" }), "services[0].producers[1].headers.AWS.trace", /not a valid SQS\/SNS message attribute name/);
  });

  it("keeps { queue } RabbitMQ's on a RabbitMQ broker and SQS's on an aws broker", () => {
    const doc = documented() as Doc & { brokers: Record<string, unknown>; resources: Record<string, unknown> };
    doc.brokers.rabbit = { kind: "rabbitmq" };
    doc.resources.rabbit = { queues: [{ name: "work" }] };
    (doc.services[0]!.producers as unknown[]).push({ name: "r", broker: "rabbit", to: { queue: "work", groupId: "g" } });
    const result = validateScenario(doc);
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [{ path: "services[0].producers[3].to", message: '"groupId" is not a field of RabbitMQ\'s { queue }; remove it or use a broker of the kind that has it' }]);
    refused((d) => void (d.services[0]!.consumers[0]!.from = { topic: "t", group: "g" } as never), "services[0].consumers[0].from", /a topic source needs a kafka broker, but "aws" is aws; use \{ queue \}/);
  });
});

describe("Brokerlab's headers on Amazon messages", () => {
  it("keeps every Brokerlab header name, leaving the rest of SQS's 10 attributes to the scenario", () => {
    for (const header of brokerlabAttributeHeaders) assert.equal(attributeName(header), header);
    assert.equal(scenarioAttributeLimit, maxMessageAttributes - brokerlabAttributeHeaders.length);
    assert.ok(scenarioAttributeLimit >= 1);
    for (const bad of ["", "a..b", ".a", "a.", "AWS.x", "amazon.y", "a b"]) assert.ok(!isAttributeName(bad), bad);
    assert.throws(() => attributeName("a b"), /not a valid SQS\/SNS message attribute name/);
  });
});

describe("the lab's canvas for an SNS fan-out", () => {
  it("draws the SNS topic and both queues, the publish to the topic and one subscription edge per queue", () => {
    const graph = buildGraph(parse(readFileSync(new URL("../../../examples/sns-fanout.yaml", import.meta.url), "utf8")));
    const resources = graph.nodes.flatMap((n) => (n.type === "service" ? [] : [`${n.type}:${n.resource.name}:${n.resource.detail}`]));
    assert.deepEqual(resources.sort(), ["queue:billing:standard", "queue:shipping:standard", "topic:order-events:SNS topic"]);
    assert.deepEqual(graph.edges.filter((e) => e.kind === "subscription").map((e) => `${e.source} -> ${e.target} ${e.label ?? ""}`), [
      "t:aws/order-events -> q:aws/billing raw",
      "t:aws/order-events -> q:aws/shipping raw",
    ]);
    assert.deepEqual(graph.edges.filter((e) => e.kind === "publish").map((e) => e.target), ["t:aws/order-events"]);
  });

  it("draws a redrive as a dead-letter edge to the dead-letter queue, labelled with maxReceiveCount", () => {
    const graph = buildGraph(parse(readFileSync(new URL("../../../examples/sqs-work-queue-dlq.yaml", import.meta.url), "utf8")));
    assert.deepEqual(graph.edges.filter((e) => e.kind === "dead-letter").map((e) => `${e.source} -> ${e.target} ${e.label}`), ["q:aws/thumbnails -> q:aws/thumbnails-dlq after 3 receives"]);
  });
});

describe("the lab's edits on an Amazon broker", () => {
  it("adds an SNS topic and SQS queues by name only, subscribes a queue by joining the topic to it, and publishes with { snsTopic }", () => {
    let text = "version: 1\nname: lab\nbrokers: {}\nservices:\n  - name: shop\n";
    text = addResource(text, "topic", "order-events", "aws").text;
    text = addResource(text, "queue", "billing", "aws").text;
    const joined = connect(text, { kind: "topic", broker: "aws", name: "order-events" }, { kind: "queue", broker: "aws", name: "billing" });
    assert.deepEqual(joined?.path, ["resources", "aws", "subscriptions", 0]);
    assert.equal(connect(joined!.text, { kind: "topic", broker: "aws", name: "order-events" }, { kind: "new-consumer", service: 0 })?.path, undefined, "an SNS topic is not consumed directly");
    const published = connect(joined!.text, { kind: "new-producer", service: 0 }, { kind: "topic", broker: "aws", name: "order-events" });
    const doc = parse(published!.text) as { brokers: unknown; resources: { aws: unknown }; services: { producers: { to: unknown }[] }[] };
    assert.deepEqual(doc.brokers, { aws: { kind: "aws" } });
    assert.deepEqual(doc.resources.aws, { topics: [{ name: "order-events" }], queues: [{ name: "billing" }], subscriptions: [{ topic: "order-events", queue: "billing", raw: true }] });
    assert.deepEqual(doc.services[0]!.producers[0]!.to, { snsTopic: "order-events" });
  });
});

describe("a lesson run's own names on an Amazon broker", () => {
  it("renames queues, topics and rules everywhere, keeping .fifo last", () => {
    const result = validateScenario(documented());
    assert.ok(result.ok);
    const { scenario, names } = isolateNames(result.scenario, "ab12");
    assert.equal(names.queue["orders.fifo"], "orders-ab12.fifo");
    const aws = scenario.resources.aws;
    assert.ok(aws?.kind === "aws");
    assert.deepEqual(aws.queues.map((q) => q.name), ["orders-ab12.fifo", "billing-ab12", "billing-dlq-ab12"]);
    assert.equal(aws.queues[1]!.deadLetter!.queue, "billing-dlq-ab12");
    assert.deepEqual(aws.subscriptions[0], { topic: "order-events-ab12", queue: "billing-ab12", raw: true, filterPolicy: { type: ["created"] } });
    assert.deepEqual(aws.rules[0]!.targets, [{ queue: "billing-ab12" }]);
    assert.equal(aws.rules[0]!.name, "route-orders-ab12");
    assert.deepEqual(scenario.services[0]!.producers.map((p) => p.to), [
      { queue: "orders-ab12.fifo", groupId: "{{customerId}}", deduplicationId: "{{seq}}" },
      { snsTopic: "order-events-ab12", attributes: { type: "created" } },
      { bus: "shop", source: "shop", detailType: "OrderCreated" },
    ]);
    assert.deepEqual(scenario.services[0]!.consumers[0]!.from, { queue: "billing-ab12", waitSeconds: 1 });
  });
});

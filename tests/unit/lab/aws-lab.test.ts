// The lab's Amazon parts as edits and as a graph: an SNS fan-out and an EventBridge route built from
// an empty scenario validate; renames and deletes follow subscriptions, redrives and rule targets;
// the Amazon examples draw their buses, rules and subscriptions and round-trip.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { addAws, addService, canConnect, connect, deleteAt, emptyScenarioText, rename, setField } from "../../../lib/lab/edits";
import { buildGraph, graphToDocument } from "../../../lib/lab/graph";
import { validateScenario } from "../../../lib/scenario/validate";

const problemsOf = (text: string) => {
  const result = validateScenario(parse(text));
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

/** The lab e2e test's clicks, as edits: broker, topic, two queues, subscriptions, a producer and two consumers. */
function buildFanOut(): string {
  let text = emptyScenarioText;
  text = addAws(text, "broker").text;
  text = addAws(text, "topic").text;
  text = addAws(text, "queue").text;
  text = addAws(text, "queue").text;
  text = connect(text, { kind: "topic", broker: "aws", name: "topic" }, { kind: "queue", broker: "aws", name: "queue" })!.text;
  text = connect(text, { kind: "topic", broker: "aws", name: "topic" }, { kind: "queue", broker: "aws", name: "queue-2" })!.text;
  text = addService(text, { name: "orders", producer: true }).text;
  text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "topic", broker: "aws", name: "topic" })!.text;
  text = addService(text, { name: "billing" }).text;
  text = connect(text, { kind: "queue", broker: "aws", name: "queue" }, { kind: "new-consumer", service: 1 })!.text;
  text = addService(text, { name: "shipping" }).text;
  return connect(text, { kind: "queue", broker: "aws", name: "queue-2" }, { kind: "new-consumer", service: 2 })!.text;
}

describe("building Amazon scenarios from empty", () => {
  it("builds a valid SNS → two SQS queues fan-out", () => {
    const text = buildFanOut();
    assert.deepEqual(problemsOf(text), []);
    const raw = parse(text);
    assert.deepEqual(raw.brokers, { aws: { kind: "aws" } });
    assert.deepEqual(raw.resources.aws.subscriptions, [{ topic: "topic", queue: "queue", raw: true }, { topic: "topic", queue: "queue-2", raw: true }]);
    assert.deepEqual(raw.services[0].producers[0].to, { snsTopic: "topic" });
    assert.deepEqual(raw.services[1].consumers[0].from, { queue: "queue", waitSeconds: 1 });
    const edges = buildGraph(raw).edges.map((e) => `${e.kind} ${e.source} → ${e.target}`).sort();
    assert.deepEqual(edges, [
      "consume q:aws/queue → svc:billing", "consume q:aws/queue-2 → svc:shipping", "publish svc:orders → t:aws/topic",
      "subscription t:aws/topic → q:aws/queue", "subscription t:aws/topic → q:aws/queue-2",
    ]);
  });

  it("declares one Amazon broker however many parts are added, and keeps FIFO names FIFO", () => {
    let text = addAws(emptyScenarioText, "fifo-queue").text;
    text = addAws(text, "fifo-queue").text;
    text = addAws(text, "broker").text;
    const raw = parse(text);
    assert.deepEqual(Object.keys(raw.brokers), ["aws"]);
    assert.deepEqual(raw.resources.aws.queues.map((q: { name: string }) => q.name), ["queue.fifo", "queue-2.fifo"]);
  });

  it("routes events: producer → bus, a rule on the bus targeting a queue, a FIFO producer gets a group", () => {
    let text = addAws(emptyScenarioText, "bus").text;
    text = addAws(text, "queue").text;
    text = addAws(text, "queue").text;
    text = addAws(text, "rule").text;
    let raw = parse(text);
    assert.deepEqual(raw.resources.aws.rules, [{ name: "rule", bus: "bus", pattern: { source: ["brokerlab"] }, targets: [{ queue: "queue" }] }]);
    assert.ok(canConnect({ kind: "rule", broker: "aws", name: "rule" }, { kind: "queue", broker: "aws", name: "queue-2" }));
    assert.equal(canConnect({ kind: "rule", broker: "aws", name: "rule" }, { kind: "consumer", service: 0, consumer: 0 }), false);
    assert.equal(canConnect({ kind: "producer", service: 0, producer: 0 }, { kind: "rule", broker: "aws", name: "rule" }), false);
    text = connect(text, { kind: "rule", broker: "aws", name: "rule" }, { kind: "queue", broker: "aws", name: "queue-2" })!.text;
    // Targeting a queue twice changes nothing.
    assert.equal(connect(text, { kind: "rule", broker: "aws", name: "rule" }, { kind: "queue", broker: "aws", name: "queue-2" })!.text, text);
    text = addService(text, { name: "shop", producer: true }).text;
    text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "bus", broker: "aws", name: "bus" })!.text;
    text = connect(text, { kind: "queue", broker: "aws", name: "queue" }, { kind: "new-consumer", service: 0 })!.text;
    assert.deepEqual(problemsOf(text), []);
    raw = parse(text);
    assert.deepEqual(raw.services[0].producers[0].to, { bus: "bus", source: "brokerlab", detailType: "Message" });
    const edges = buildGraph(raw).edges.filter((e) => e.kind === "route").map((e) => `${e.source} → ${e.target}`);
    assert.deepEqual(edges, ["bus:aws/bus → rule:aws/rule", "rule:aws/rule → q:aws/queue", "rule:aws/rule → q:aws/queue-2"]);

    // Unique among standard names too: queue and queue-2 are taken.
    text = addAws(text, "fifo-queue").text;
    text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "queue", broker: "aws", name: "queue-3.fifo" })!.text;
    assert.deepEqual(parse(text).services[0].producers[0].to, { queue: "queue-3.fifo", groupId: "group-1", deduplicationId: "{{seq}}" });
    assert.deepEqual(problemsOf(text), []);
  });
});

describe("Amazon references", () => {
  const text = `version: 1
name: refs
brokers: { aws: { kind: aws } }
resources:
  aws:
    queues: [{ name: billing, deadLetter: { queue: billing-dlq, maxReceiveCount: 3 } }, { name: billing-dlq }]
    topics: [{ name: orders }]
    subscriptions: [{ topic: orders, queue: billing, raw: true }]
    buses: [{ name: shop }]
    rules: [{ name: r, bus: shop, pattern: { source: [shop] }, targets: [{ queue: billing }, { queue: billing-dlq }] }]
services:
  - name: s
    producers: [{ name: p, broker: aws, to: { snsTopic: orders } }, { name: e, broker: aws, to: { bus: shop, source: shop, detailType: T } }]
`;

  it("renames follow subscriptions, redrives, rule targets, rule buses and producers", () => {
    let next = rename(text, ["resources", "aws", "queues", 1], "dead");
    next = rename(next, ["resources", "aws", "queues", 0], "pay");
    next = rename(next, ["resources", "aws", "topics", 0], "events");
    next = rename(next, ["resources", "aws", "buses", 0], "store");
    const raw = parse(next);
    assert.deepEqual(raw.resources.aws.queues[0].deadLetter, { queue: "dead", maxReceiveCount: 3 });
    assert.deepEqual(raw.resources.aws.subscriptions, [{ topic: "events", queue: "pay", raw: true }]);
    assert.deepEqual(raw.resources.aws.rules[0].targets, [{ queue: "pay" }, { queue: "dead" }]);
    assert.equal(raw.resources.aws.rules[0].bus, "store");
    assert.deepEqual(raw.services[0].producers.map((p: { to: unknown }) => p.to), [{ snsTopic: "events" }, { bus: "store", source: "shop", detailType: "T" }]);
  });

  it("deleting a queue removes its subscription and rule target; deleting a topic unlinks its producer", () => {
    let next = deleteAt(text, ["resources", "aws", "queues", 0]);
    let raw = parse(next);
    assert.deepEqual(raw.resources.aws.subscriptions, []);
    assert.deepEqual(raw.resources.aws.rules[0].targets, [{ queue: "billing-dlq" }]);
    next = deleteAt(next, ["resources", "aws", "topics", 0]);
    raw = parse(next);
    assert.equal(raw.services[0].producers[0].to, undefined);
  });

  it("deleting an edge removes only its link: one rule target, one subscription", () => {
    const edges = buildGraph(parse(text)).edges;
    const target = edges.find((e) => e.kind === "route" && e.target === "q:aws/billing-dlq")!;
    assert.deepEqual(parse(deleteAt(text, target.removes)).resources.aws.rules[0].targets, [{ queue: "billing" }]);
    const subscription = edges.find((e) => e.kind === "subscription")!;
    const after = parse(deleteAt(text, subscription.removes));
    assert.deepEqual(after.resources.aws.subscriptions, []);
    assert.equal(after.resources.aws.queues.length, 2);
  });

  it("a subscription's filter policy set from the inspector is the document's", () => {
    const next = setField(text, ["resources", "aws", "subscriptions", 0, "filterPolicy"], { type: ["created"] });
    assert.deepEqual(parse(next).resources.aws.subscriptions[0].filterPolicy, { type: ["created"] });
    assert.deepEqual(problemsOf(next), []);
  });
});

describe("the Amazon examples on the canvas", () => {
  for (const file of ["sns-fanout.yaml", "eventbridge-routing.yaml", "sqs-work-queue-dlq.yaml", "sqs-fifo-order.yaml"]) {
    it(`draws ${file} and rebuilds it unchanged`, () => {
      const raw = parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), "utf8"));
      const graph = buildGraph(raw);
      assert.deepEqual(parse(stringify(graphToDocument(graph))), raw);
      // Every edge joins two drawn nodes, and every resource the example declares is a node.
      const ids = new Set(graph.nodes.map((n) => n.id));
      for (const edge of graph.edges) assert.ok(ids.has(edge.source) && ids.has(edge.target), `${edge.id} joins drawn nodes`);
      const declared = ["queues", "topics", "buses", "rules"].reduce((n, key) => n + (raw.resources.aws[key]?.length ?? 0), 0);
      assert.equal(graph.nodes.filter((n) => n.type !== "service").length, declared);
    });
  }

  it("draws eventbridge-routing's producer → bus → rule → queue → consumer path", () => {
    const raw = parse(readFileSync(new URL("../../../examples/eventbridge-routing.yaml", import.meta.url), "utf8"));
    const edges = buildGraph(raw).edges.map((e) => `${e.kind} ${e.source} → ${e.target}${e.label ? ` (${e.label})` : ""}`);
    assert.deepEqual(edges.sort(), [
      "consume q:aws/billing → svc:billing-service", "publish svc:shop → bus:aws/shop (CartViewed)", "publish svc:shop → bus:aws/shop (OrderCreated)",
      "route bus:aws/shop → rule:aws/route-orders", "route rule:aws/route-orders → q:aws/billing",
    ]);
  });
});

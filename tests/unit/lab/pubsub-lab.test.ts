// The lab's Pub/Sub parts as edits and as a graph: a topic with two subscriptions, a producer and
// two consumers built from an empty scenario validate, subscriptions draw as queue nodes fed by
// their topic, and renaming the topic follows into subscriptions and the producer's target.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { addBroker, addResource, addService, connect, emptyScenarioText, rename } from "../../../lib/lab/edits";
import { buildGraph } from "../../../lib/lab/graph";
import { readModel } from "../../../lib/lab/model";
import { validateScenario } from "../../../lib/scenario/validate";

const problemsOf = (text: string) => {
  const result = validateScenario(parse(text));
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

function buildFanOut(): string {
  let text = addBroker(emptyScenarioText, "pubsub").text;
  text = addResource(text, "topic", "orders", "pubsub").text;
  text = addResource(text, "queue", "billing", "pubsub").text;
  text = addResource(text, "queue", "shipping", "pubsub").text;
  text = addService(text, { name: "shop", producer: true }).text;
  text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "topic", broker: "gcp", name: "orders" })!.text;
  text = addService(text, { name: "billing-service" }).text;
  text = connect(text, { kind: "queue", broker: "gcp", name: "billing" }, { kind: "new-consumer", service: 1 })!.text;
  text = addService(text, { name: "shipping-service" }).text;
  return connect(text, { kind: "queue", broker: "gcp", name: "shipping" }, { kind: "new-consumer", service: 2 })!.text;
}

describe("building a Pub/Sub scenario from empty", () => {
  it("builds a valid topic → two subscriptions fan-out, each subscription read by its own service", () => {
    const text = buildFanOut();
    assert.deepEqual(problemsOf(text), []);
    const raw = parse(text);
    assert.deepEqual(raw.brokers, { gcp: { kind: "pubsub" } });
    assert.deepEqual(raw.resources.gcp, { topics: [{ name: "orders" }], subscriptions: [{ name: "billing", topic: "orders" }, { name: "shipping", topic: "orders" }] });
    assert.deepEqual(raw.services[0].producers[0].to, { pubsubTopic: "orders" });
    assert.deepEqual(raw.services[1].consumers[0].from, { subscription: "billing" });
    assert.deepEqual(raw.services[2].consumers[0].from, { subscription: "shipping" });
  });

  it("draws the subscriptions as queue nodes fed by the topic", () => {
    const model = readModel(parse(buildFanOut()));
    assert.deepEqual(model.resources.map((r) => `${r.kind} ${r.name}`).sort(), ["queue billing", "queue shipping", "topic orders"]);
    const graph = buildGraph(parse(buildFanOut()));
    const subscriptionEdges = graph.edges.filter((e) => e.kind === "subscription").map((e) => `${e.source} → ${e.target}`);
    assert.equal(subscriptionEdges.length, 2, JSON.stringify(graph.edges.map((e) => e.kind)));
    assert.deepEqual(model.services.flatMap((s) => s.consumers.map((c) => c.from)), [{ kind: "queue", name: "billing" }, { kind: "queue", name: "shipping" }], "each consumer reads its subscription's node");
  });

  it("renaming the topic follows into the subscriptions and the producer's target", () => {
    const model = readModel(parse(buildFanOut()));
    const topic = model.resources.find((r) => r.kind === "topic")!;
    const text = rename(buildFanOut(), topic.path, "order-events");
    const raw = parse(text);
    assert.deepEqual(raw.resources.gcp.subscriptions.map((s: { topic: string }) => s.topic), ["order-events", "order-events"]);
    assert.deepEqual(raw.services[0].producers[0].to, { pubsubTopic: "order-events" });
    assert.deepEqual(problemsOf(text), []);
  });
});

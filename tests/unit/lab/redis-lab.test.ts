// The lab's Redis parts as edits and as a graph: a stream and a channel added from the Redis menu,
// a producer and two consumers joined to them on the canvas validate; streams draw as topic nodes
// read by consumer groups, channels as exchange nodes read by subscribers; renaming a stream
// follows into producers, consumers and dead-letter routes; the example round-trips.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { addBroker, addFromMenu, addService, canConnect, connect, deleteAt, emptyScenarioText, rename, setField } from "../../../lib/lab/edits";
import { buildGraph, graphToDocument } from "../../../lib/lab/graph";
import { readModel } from "../../../lib/lab/model";
import { itemOf } from "../../../lib/lab/problems";
import { sourceChoiceValue } from "../../../lib/lab/choices";
import { validateScenario } from "../../../lib/scenario/validate";

const problemsOf = (text: string) => {
  const result = validateScenario(parse(text));
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

function buildPipeline(): string {
  let text = addBroker(emptyScenarioText, "redis").text;
  text = addFromMenu(text, "redis", { kind: "topic", name: "orders" }).text;
  text = addFromMenu(text, "redis", { kind: "exchange", name: "order-events" }).text;
  text = addService(text, { name: "shop", producer: true }).text;
  text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "topic", broker: "redis", name: "orders" })!.text;
  text = addService(text, { name: "fulfilment" }).text;
  text = connect(text, { kind: "topic", broker: "redis", name: "orders" }, { kind: "new-consumer", service: 1 })!.text;
  text = addService(text, { name: "notifier" }).text;
  return connect(text, { kind: "exchange", broker: "redis", name: "order-events", brokerKind: "redis" }, { kind: "new-consumer", service: 2 })!.text;
}

describe("building a Redis scenario on the canvas", () => {
  it("writes a valid stream, channel, producer, group consumer and subscriber", () => {
    const text = buildPipeline();
    assert.deepEqual(problemsOf(text), []);
    const raw = parse(text);
    assert.deepEqual(raw.brokers, { redis: { kind: "redis" } });
    assert.deepEqual(raw.resources.redis, { streams: [{ name: "orders", maxLen: 10000 }], channels: [{ name: "order-events" }] });
    assert.deepEqual(raw.services[0].producers[0].to, { stream: "orders" });
    assert.deepEqual(raw.services[1].consumers[0].from, { stream: "orders", group: "fulfilment" });
    assert.deepEqual(raw.services[2].consumers[0].from, { channel: "order-events" });
  });

  it("draws the stream as a topic node read by a group and the channel as an exchange node", () => {
    const graph = buildGraph(parse(buildPipeline()));
    const resources = graph.nodes.flatMap((n) => (n.type === "service" ? [] : [`${n.type} ${n.resource.name} ${n.resource.detail}`]));
    assert.deepEqual(resources.sort(), ["exchange order-events Pub/Sub", "topic orders MAXLEN ~10k"]);
    const edges = graph.edges.map((e) => `${e.kind} ${e.source} → ${e.target}${e.label ? ` (${e.label})` : ""}`);
    assert.deepEqual(edges.sort(), [
      "consume ex:redis/order-events → svc:notifier",
      "consume t:redis/orders → svc:fulfilment (group fulfilment)",
      "publish svc:shop → t:redis/orders",
    ]);
  });

  it("lets a channel be dragged to a consumer only where its kind reads channels", () => {
    const consumer = { kind: "new-consumer", service: 0 } as const;
    assert.equal(canConnect({ kind: "exchange", broker: "redis", name: "c", brokerKind: "redis" }, consumer), true);
    assert.equal(canConnect({ kind: "exchange", broker: "rabbit", name: "x", brokerKind: "rabbitmq" }, consumer), false);
  });

  it("selects a stream's and a channel's inspector forms by their lists", () => {
    assert.deepEqual(itemOf(["resources", "redis", "streams", 0, "maxLen"]), { kind: "topic", path: ["resources", "redis", "streams", 0] });
    assert.deepEqual(itemOf(["resources", "redis", "channels", 1]), { kind: "exchange", path: ["resources", "redis", "channels", 1] });
    assert.equal(sourceChoiceValue("redis", { channel: "order-events" }), "exchange:redis/order-events");
  });

  it("renames a stream in producers, consumers and dead-letter routes; deleting it unlinks them", () => {
    let text = buildPipeline();
    text = addFromMenu(text, "redis", { kind: "topic", name: "dead" }).text;
    text = setField(text, ["resources", "redis", "streams", 0, "deadLetter"], { stream: "dead", maxDeliveries: 3 });
    text = rename(text, ["resources", "redis", "streams", 1], "orders.dead");
    assert.equal(parse(text).resources.redis.streams[0].deadLetter.stream, "orders.dead");
    text = rename(text, ["resources", "redis", "streams", 0], "purchases");
    const raw = parse(text);
    assert.deepEqual(raw.services[0].producers[0].to, { stream: "purchases" });
    assert.deepEqual(raw.services[1].consumers[0].from, { stream: "purchases", group: "fulfilment" });
    assert.deepEqual(problemsOf(text), []);
    const after = parse(deleteAt(text, ["resources", "redis", "channels", 0]));
    assert.equal(after.services[2].consumers[0].from, undefined);
  });

  it("round-trips the Redis example and draws all its links", () => {
    const doc = parse(readFileSync(new URL("../../../examples/redis-streams-orders.yaml", import.meta.url), "utf8"));
    const graph = buildGraph(doc);
    assert.deepEqual(graphToDocument(graph), doc);
    assert.equal(graph.edges.filter((e) => e.kind === "consume").length, 2);
    assert.deepEqual(graph.edges.filter((e) => e.kind === "dead-letter").map((e) => `${e.source} → ${e.target} (${e.label})`), ["t:redis/orders → t:redis/orders.dead (after 3 deliveries)"]);
    assert.equal(readModel(doc).resources.length, 3);
  });
});

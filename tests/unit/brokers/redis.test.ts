// The Redis descriptor: the example's scenario is accepted; bad names, undeclared streams and
// channels, and a stream that is its own dead-letter stream are refused with the path of the bad
// field; a channel pattern routes as Redis's glob matching does; a lesson run renames streams,
// channels and groups and leaves patterns as written.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { channelMatches, redisRoutesTo } from "../../../lib/brokers/redis-hooks";
import { redisDescriptor } from "../../../lib/brokers/redis";
import { isolateNames } from "../../../lib/scenario/isolate";
import { validateScenario } from "../../../lib/scenario/validate";

/** The parts of the example the tests change. */
interface ExampleDoc {
  resources: { redis: { streams: { name: string; deadLetter: { stream: string } }[] } };
  services: { producers: { to: object }[] }[];
}
const example = () => parse(readFileSync(path.join(__dirname, "../../../examples/redis-streams-orders.yaml"), "utf8")) as ExampleDoc;

describe("the Redis descriptor", () => {
  it("accepts the example, with its defaults filled in", () => {
    const result = validateScenario(example());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const streams = (result.scenario.resources.redis as { streams: { name: string; claimIdle: number }[] }).streams;
    assert.deepEqual(streams.map((s) => [s.name, s.claimIdle]), [["orders", 2_000], ["orders.dead", 5_000]]);
  });

  it("refuses undeclared streams and channels, bad names and a stream dead-lettering to itself, naming the field", () => {
    const doc = example();
    doc.services[0]!.producers[0]!.to = { stream: "nowhere" };
    doc.services[0]!.producers[1]!.to = { channel: "nobody" };
    doc.resources.redis.streams[0]!.deadLetter.stream = "orders";
    const result = validateScenario(doc);
    assert.equal(result.ok, false);
    const problems = !result.ok ? result.problems : [];
    const at = (p: string) => problems.find((x) => x.path === p)?.message ?? "";
    assert.match(at("services[0].producers[0].to.stream"), /"nowhere" is not a stream declared in resources\.redis\.streams \(declared: orders, orders\.dead\)/);
    assert.match(at("services[0].producers[1].to.channel"), /"nobody" is not a channel declared in resources\.redis\.channels/);
    assert.match(at("resources.redis.streams[0].deadLetter.stream"), /cannot be its own dead-letter stream/);

    const bad = example();
    bad.resources.redis.streams[0]!.name = "orders with spaces";
    const refused = validateScenario(bad);
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.problems.some((p) => p.path === "resources.redis.streams[0].name" && /may only contain letters/.test(p.message)));
  });

  it("says what it can do: consumer groups, lag and fan-out, no broker-side dead letters", () => {
    const { capabilities } = redisDescriptor;
    assert.deepEqual([capabilities.consumerGroups, capabilities.lag, capabilities.fanOut, capabilities.linkFaults], [true, true, true, true]);
    assert.deepEqual([capabilities.deadLetter, capabilities.deliveryLimit, capabilities.queueDepth], [false, false, false]);
  });

  it("routes a channel to a pattern as Redis's glob does, and a stream only to itself", () => {
    assert.ok(channelMatches("orders.*", "orders.created"));
    assert.ok(channelMatches("orders.?", "orders.x"));
    assert.ok(channelMatches("orders.[ab]", "orders.b"));
    assert.equal(channelMatches("orders.*", "payments.created"), false);
    assert.ok(redisRoutesTo(undefined, { channel: "orders.created" }, { channelPattern: "orders.*" }));
    assert.ok(redisRoutesTo(undefined, { stream: "orders" }, { stream: "orders", group: "g" }));
    assert.equal(redisRoutesTo(undefined, { stream: "orders" }, { channel: "orders" }), false);
  });

  it("gives a lesson run streams, channels and groups of its own", () => {
    const result = validateScenario(example());
    assert.ok(result.ok);
    const { scenario } = isolateNames(result.scenario, "L1");
    const streams = (scenario.resources.redis as { streams: { name: string; deadLetter?: { stream: string } }[] }).streams;
    assert.deepEqual(streams.map((s) => s.name), ["orders-L1", "orders.dead-L1"]);
    assert.equal(streams[0]!.deadLetter?.stream, "orders.dead-L1");
    assert.deepEqual(scenario.services[0]!.producers.map((p) => p.to), [{ stream: "orders-L1" }, { channel: "order-events-L1" }]);
  });
});

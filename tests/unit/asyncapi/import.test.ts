// The AsyncAPI import: a document Brokerlab did not write becomes a scenario skeleton that
// validates, and a bad document is refused naming where.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asyncApiToScenario } from "../../../lib/asyncapi/import";
import { validateScenario } from "../../../lib/scenario/validate";

const foreign = {
  asyncapi: "3.0.0",
  info: { title: "Shop events", version: "2.1.0" },
  servers: { production: { host: "rabbit.internal:5672", protocol: "amqp" }, log: { host: "kafka.internal:9092", protocol: "kafka" } },
  channels: {
    orderCreated: { address: "orders", servers: [{ $ref: "#/servers/production" }], bindings: { amqp: { is: "queue", queue: { name: "orders" } } }, messages: { created: { $ref: "#/components/messages/created" } } },
    audit: { address: "audit", servers: [{ $ref: "#/servers/log" }], bindings: { kafka: { partitions: 4 } } },
  },
  operations: {
    placeOrder: { action: "send", channel: { $ref: "#/channels/orderCreated" }, messages: [{ $ref: "#/channels/orderCreated/messages/created" }] },
    readAudit: { action: "receive", channel: { $ref: "#/channels/audit" }, bindings: { kafka: { groupId: { type: "string", enum: ["auditors"] } } } },
  },
  components: { messages: { created: { payload: { type: "object" }, examples: [{ payload: { orderId: "{{seq}}" } }] } } },
};

describe("asyncApiToScenario", () => {
  it("turns a document from elsewhere into a scenario skeleton that validates", () => {
    const result = asyncApiToScenario(foreign);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const checked = validateScenario(result.scenario);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.problems));
    const { scenario } = checked;
    assert.equal(scenario.name, "Shop-events");
    assert.deepEqual(Object.fromEntries(Object.entries(scenario.brokers).map(([name, b]) => [name, b.kind])), { production: "rabbitmq", log: "kafka" });
    assert.deepEqual((scenario.resources.production as { queues: { name: string }[] }).queues.map((q) => q.name), ["orders"]);
    assert.equal((scenario.resources.log as { topics: { partitions: number }[] }).topics[0]!.partitions, 4);
    const [service] = scenario.services;
    assert.deepEqual(service!.producers.map((p) => [p.name, p.broker, p.to, p.payload]), [["placeOrder", "production", { queue: "orders" }, { orderId: "{{seq}}" }]]);
    assert.deepEqual(service!.consumers.map((c) => [c.name, c.broker, (c.from as { topic: string }).topic, (c.from as { group: string }).group]), [["readAudit", "log", "audit", "auditors"]]);
  });

  it("names where a bad document is wrong", () => {
    const problems = (doc: unknown) => {
      const result = asyncApiToScenario(doc);
      assert.ok(!result.ok, "a bad document was accepted");
      return result.problems;
    };
    assert.deepEqual(problems({ ...foreign, asyncapi: "2.6.0" }).map((p) => p.path), ["asyncapi"]);
    assert.match(problems({ ...foreign, servers: { mq: { host: "h", protocol: "mqtt" } } })[0]!.message, /"mqtt" is not a protocol Brokerlab runs/);
    const dangling = problems({ ...foreign, operations: { lost: { action: "send", channel: { $ref: "#/channels/nowhere" } } } });
    assert.deepEqual(dangling, [{ path: "operations.lost.channel", message: '$ref "#/channels/nowhere" names no channel of this document; use #/channels/<id>' }]);
    assert.deepEqual(problems({ ...foreign, channels: { ...foreign.channels, audit: { ...foreign.channels.audit, address: null } } }).map((p) => p.path), ["channels.audit.address"]);
    assert.deepEqual(problems("not a document").map((p) => p.path), [""]);
  });
});

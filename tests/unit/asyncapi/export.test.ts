// The AsyncAPI export: payload schemas from templates, channels per endpoint, messages routed to
// the queues they reach, bindings, and no credentials in the servers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { scenarioToAsyncApi, scenarioToAsyncApiYaml } from "../../../lib/asyncapi/export";
import { payloadSchema } from "../../../lib/asyncapi/payload-schema";
import { validateScenario } from "../../../lib/scenario/validate";

const scenario = (input: unknown) => {
  const result = validateScenario(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
};

const orders = scenario({
  version: 1,
  name: "orders",
  brokers: { rabbit: { kind: "rabbitmq", url: "amqp://alice:s3cret@rabbit.example:5672" }, kafka: { kind: "kafka" } },
  resources: {
    rabbit: { exchanges: [{ name: "events", type: "topic" }], queues: [{ name: "billing" }], bindings: [{ exchange: "events", queue: "billing", routingKey: "order.*" }] },
    kafka: { topics: [{ name: "audit", partitions: 3 }] },
  },
  services: [
    { name: "shop", producers: [{ name: "place", broker: "rabbit", to: { exchange: "events", routingKey: "order.created" }, payload: { id: "{{seq}}", sku: "sku-{{randomInt 1 9}}", level: "{{pick a a b}}", at: "{{now}}", price: "{{randomFloat 1 5}}" } }] },
    { name: "billing", consumers: [{ name: "charge", broker: "rabbit", from: { queue: "billing" }, forward: { broker: "kafka", to: { topic: "audit" } } }] },
    { name: "auditor", consumers: [{ name: "read", broker: "kafka", from: { topic: "audit", group: "auditors" }, ack: "auto" }] },
  ],
});

describe("payloadSchema", () => {
  it("types what each placeholder renders to", () => {
    assert.deepEqual(payloadSchema({ id: "{{seq}}", n: "{{randomInt 1 9}}", f: "{{randomFloat 0 1}}", u: "{{uuid}}", t: "{{now}}", p: "{{pick x x y}}", s: "c-{{seq}}", fixed: 3, on: true, list: ["{{seq}}"], copied: "{{orderId}}" }), {
      type: "object",
      properties: {
        id: { type: "integer" },
        n: { type: "integer", minimum: 1, maximum: 9 },
        f: { type: "number", minimum: 0, maximum: 1 },
        u: { type: "string", format: "uuid" },
        t: { type: "string", format: "date-time" },
        p: { type: "string", enum: ["x", "y"] },
        s: { type: "string" },
        fixed: { type: "integer", const: 3 },
        on: { type: "boolean", const: true },
        list: { type: "array", items: { type: "integer" } },
        copied: {},
      },
      required: ["id", "n", "f", "u", "t", "p", "s", "fixed", "on", "list", "copied"],
    });
  });
});

describe("scenarioToAsyncApi", () => {
  const doc = scenarioToAsyncApi(orders);

  it("makes a channel per declared endpoint with its protocol's bindings", () => {
    assert.deepEqual(Object.keys(doc.channels).sort(), ["kafka.topic.audit", "rabbit.exchange.events", "rabbit.queue.billing"]);
    assert.equal((doc.channels["rabbit.exchange.events"]!.bindings as { amqp: { exchange: { type: string } } }).amqp.exchange.type, "topic");
    assert.equal((doc.channels["kafka.topic.audit"]!.bindings as { kafka: { partitions: number } }).kafka.partitions, 3);
  });

  it("lists a message on the exchange it is sent to and on the queue a binding routes it to", () => {
    assert.deepEqual(Object.keys(doc.channels["rabbit.queue.billing"]!.messages), ["shop.place"]);
    assert.deepEqual(doc.operations["billing.charge.receive"]!.messages, [{ $ref: "#/channels/rabbit.queue.billing/messages/shop.place" }]);
  });

  it("has a send per producer and per forward, and a receive per consumer with its group", () => {
    assert.deepEqual(Object.keys(doc.operations).sort(), ["auditor.read.receive", "billing.charge.forward.send", "billing.charge.receive", "shop.place.send"]);
    assert.deepEqual((doc.operations["auditor.read.receive"]!.bindings as { kafka: unknown }).kafka, { groupId: { type: "string", enum: ["auditors"] }, bindingVersion: "0.5.0" });
    assert.deepEqual((doc.operations["billing.charge.receive"]!.bindings as { amqp: unknown }).amqp, { ack: true, bindingVersion: "0.3.0" });
  });

  it("keeps credentials out: a server has only host and protocol", () => {
    const yaml = scenarioToAsyncApiYaml(orders);
    assert.ok(!yaml.includes("s3cret") && !yaml.includes("alice"), "the RabbitMQ password reached the document");
    assert.equal((parse(yaml) as { servers: Record<string, { host: string }> }).servers.rabbit!.host, "rabbit.example:5672");
  });
});

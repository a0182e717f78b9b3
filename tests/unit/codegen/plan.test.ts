// The shared plan behind both languages: declarations match the engine's exactly, and the
// selection's neighbours (bindings, dead-letter routes, retry queues and topics) come along.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planCode, queueArguments, topicConfig } from "../../../lib/codegen/plan";
import { payloadExpr, templateExpr } from "../../../lib/codegen/expression";
import { queueArguments as engineQueueArguments } from "../../../server/brokers/rabbitmq/declarations";
import { topicConfigEntries } from "../../../server/brokers/kafka/admin";
import { withDerivedResources } from "../../../lib/scenario/derived";
import { everyRole, example, variant } from "./fixtures";

describe("planCode", () => {
  it("declares every queue and topic with the same arguments as the engine", () => {
    for (const [, scenario] of everyRole()) {
      for (const resources of Object.values(withDerivedResources(scenario).resources)) {
        if (resources.kind === "rabbitmq") for (const queue of resources.queues) assert.deepEqual(queueArguments(queue), engineQueueArguments(queue), queue.name);
        else if (resources.kind === "kafka") for (const topic of resources.topics) assert.deepEqual(Object.entries(topicConfig(topic)).map(([name, value]) => ({ name, value })), topicConfigEntries(topic), topic.name);
      }
    }
  });

  it("a producer to an exchange declares the exchange, its bindings and their queues", () => {
    const plan = planCode(example("topic-order-events"), { service: "order-service", producer: "order-events" });
    assert.equal(plan.endpoint.kind, "rabbitmq");
    if (plan.endpoint.kind !== "rabbitmq") return;
    assert.deepEqual(plan.endpoint.declarations.exchanges.map((e) => e.name), ["order-events"]);
    assert.deepEqual(plan.endpoint.declarations.queues.map((q) => q.name).sort(), ["audit.all-events", "notifications.order-updates", "shipping.paid-orders"]);
    assert.equal(plan.endpoint.declarations.bindings.length, 3);
  });

  it("a consumer declares its queue, the dead-letter route and the delayed-retry queues", () => {
    const plan = planCode(example("retry-dead-letter"), { service: "payment-service", consumer: "charge" });
    assert.equal(plan.endpoint.kind, "rabbitmq");
    if (plan.endpoint.kind !== "rabbitmq") return;
    assert.deepEqual(plan.endpoint.declarations.queues.map((q) => q.name).sort(), ["payments", "payments.dead", "payments.retry.100", "payments.retry.200", "payments.retry.400"]);
    assert.deepEqual(plan.endpoint.declarations.exchanges.map((e) => e.name), ["payments.dlx"]);
  });

  it("a Kafka consumer with retries and dead letters creates the group's retry and dead-letter topics", () => {
    const plan = planCode(variant({ kafkaConsumer: { onError: { retries: 2, then: "dead-letter" } } }), { service: "sink", consumer: "enrich" });
    assert.equal(plan.role, "consumer");
    if (plan.role !== "consumer" || plan.endpoint.kind !== "kafka") return assert.fail("expected a Kafka consumer");
    assert.deepEqual(plan.endpoint.topics.map((t) => t.name).sort(), ["clicks", "clicks.enrichers.dlt", "clicks.enrichers.retry"]);
    assert.equal(plan.forward?.route.kind, "kafka");
  });
});

describe("template expressions", () => {
  const names = { service: "svc", producer: "prod" };

  it("keep a lone placeholder typed, join text and placeholders, and resolve run-only names", () => {
    assert.deepEqual(templateExpr("{{seq}}", names), { kind: "placeholder", name: "seq", args: [] });
    assert.deepEqual(templateExpr("{{service}}", names), { kind: "value", value: "svc" });
    assert.deepEqual(templateExpr("id-{{seq}}", names), { kind: "concat", parts: [{ kind: "value", value: "id-" }, { kind: "placeholder", name: "seq", args: [] }] });
    assert.deepEqual(templateExpr("{{customerId}}", names, ["customerId"]), { kind: "field", name: "customerId" });
  });

  it("walk objects and arrays, and leave non-string values as they are", () => {
    assert.deepEqual(payloadExpr({ a: [1, "{{uuid}}"], b: true, c: null }, names), {
      kind: "object",
      entries: [
        ["a", { kind: "array", items: [{ kind: "value", value: 1 }, { kind: "placeholder", name: "uuid", args: [] }] }],
        ["b", { kind: "value", value: true }],
        ["c", { kind: "value", value: null }],
      ],
    });
  });
});

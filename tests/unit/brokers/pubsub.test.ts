// The Google Cloud Pub/Sub descriptor: the documented entry, resources, targets and sources are
// accepted, bad names and settings refused with messages that say the rule, the references checked
// (topics, dead-letter topic, subscriptions, extendDeadline only with pull), the capabilities as
// docs/pubsub.md states them, and generated code refused with what to do instead.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { hasCapability } from "../../../lib/brokers";
import { pubsubBrokerSchema, pubsubResourcesSchema, pubsubSourceSchema, pubsubSubscriptionSchema } from "../../../lib/brokers/pubsub";
import { planCode } from "../../../lib/codegen/plan";
import { validateScenario } from "../../../lib/scenario/validate";

const example = () => parse(readFileSync(path.join(__dirname, "../../../examples/pubsub-fanout.yaml"), "utf8"));
const messagesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => (result.success ? [] : result.error!.issues.map((i) => i.message));
const problemsOf = (doc: unknown) => {
  const result = validateScenario(doc);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe("the Pub/Sub descriptor", () => {
  it("accepts the documented entry and resources, with defaults", () => {
    assert.ok(pubsubBrokerSchema.safeParse({ kind: "pubsub", emulatorHost: "127.0.0.1:8085", project: "brokerlab" }).success);
    const resources = pubsubResourcesSchema.parse({ topics: [{ name: "orders" }, { name: "orders-dlq" }], subscriptions: [{ name: "billing", topic: "orders", ackDeadline: "30s", messageOrdering: true, filter: 'attributes.type = "created"', deadLetter: { topic: "orders-dlq" } }] });
    assert.deepEqual(resources.subscriptions[0], { name: "billing", topic: "orders", ackDeadline: 30_000, messageOrdering: true, filter: 'attributes.type = "created"', deadLetter: { topic: "orders-dlq", maxDeliveryAttempts: 5 }, existing: false });
    assert.deepEqual(problemsOf(example()), []);
  });

  it("refuses bad names and settings with the rule and what to write", () => {
    assert.match(messagesOf(pubsubSubscriptionSchema.safeParse({ name: "goog-sub", topic: "orders" })).join(), /must not start with "goog"/);
    assert.match(messagesOf(pubsubSubscriptionSchema.safeParse({ name: "1sub", topic: "orders" })).join(), /must start with a letter/);
    assert.match(messagesOf(pubsubSubscriptionSchema.safeParse({ name: "sub", topic: "orders", ackDeadline: "5s" })).join(), /between 10s and 10m/);
    assert.match(messagesOf(pubsubSubscriptionSchema.safeParse({ name: "sub", topic: "orders", deadLetter: { topic: "dlq", maxDeliveryAttempts: 3 } })).join(), /at least 5 \(Pub\/Sub's minimum\)/);
    assert.match(messagesOf(pubsubSourceSchema.safeParse({ subscription: "sub", mode: "push" })).join(), /"streaming" \(streaming pull\) or "pull"/);
    assert.match(messagesOf(pubsubBrokerSchema.safeParse({ kind: "pubsub", project: "BrokerLab" })).join(), /Google's project id rule/);
  });

  it("checks references: undeclared topics and subscriptions, a dead-letter topic that is the subscription's own, extendDeadline without pull", () => {
    const doc = example();
    doc.resources.gcp.subscriptions[0].topic = "nowhere";
    doc.resources.gcp.subscriptions[1].deadLetter = { topic: "order-events" };
    doc.services[0].producers[0].to.pubsubTopic = "missing";
    doc.services[1].consumers[0].from = { subscription: "billing", extendDeadline: false };
    const problems = problemsOf(doc);
    assert.ok(problems.some((p) => /^resources\.gcp\.subscriptions\[0\]\.topic: "nowhere" is not a topic declared/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /subscriptions\[1\]\.deadLetter\.topic: must differ from the subscription's own topic/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /producers\[0\]\.to\.pubsubTopic: "missing" is not a topic declared/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /consumers\[0\]\.from\.extendDeadline: applies to mode: pull only/.test(p)), problems.join("\n"));
  });

  it("states its capabilities: redelivery, dead letters after a delivery limit, ordering keys, fan-out; no backlog reading", () => {
    for (const yes of ["requeue", "deadLetter", "deliveryLimit", "orderingKey", "visibilityTimeout", "fanOut", "linkFaults"] as const) assert.ok(hasCapability("pubsub", yes), yes);
    for (const no of ["consumerGroups", "lag", "replay", "queueDepth", "boundedQueues", "routingKeys", "brokerConnectionClose", "requestReply", "taskQueues"] as const) assert.ok(!hasCapability("pubsub", no), no);
  });

  it("generated code has a plan: the topic it publishes to, on the emulator and project of the scenario", () => {
    const result = validateScenario(example());
    assert.ok(result.ok);
    const plan = planCode(result.scenario, { service: "order-service", producer: "orders" });
    assert.equal(plan.endpoint.kind, "pubsub");
    assert.equal(plan.role === "producer" && plan.route.kind === "pubsub" ? plan.route.topic : undefined, "order-events");
  });
});

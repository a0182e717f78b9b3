// The descriptors answer what scenario, fault, lesson and lab code used to ask by comparing kinds:
// routes from a producer to a consumer, bounded queues, derived retry resources, the capability a
// pattern part or a lesson check needs, and a lab view for every registered kind.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brokerDescriptors, brokerKinds, hooksOf, kindsWith } from "../../../lib/brokers";
import { checkCapabilityProblems } from "../../../lib/lessons/check-capabilities";
import { lessons } from "../../../lib/lessons/catalogue";
import type { Lesson } from "../../../lib/lessons/schema";
import { viewsFor } from "../../../lib/lab/broker-views";
import { faultProblems, poisonRoute } from "../../../lib/scenario/faults";
import { withDerivedResources } from "../../../lib/scenario/derived";
import { expectProblem, expectValid } from "../scenario/helpers";

const awsBase = (services: unknown[]) => ({
  version: 1,
  name: "aws-hooks",
  brokers: { aws: { kind: "aws" } },
  resources: { aws: { queues: [{ name: "jobs" }, { name: "billing" }], topics: [{ name: "orders" }], subscriptions: [{ topic: "orders", queue: "billing" }] } },
  services,
});

describe("descriptor hooks", () => {
  it("a kind bounds queues exactly when it can find a bounded queue (fillQueue)", () => {
    for (const d of brokerDescriptors) assert.equal(typeof hooksOf(d.kind).boundedQueue === "function", d.capabilities.boundedQueues, d.kind);
  });

  it("a kind whose pattern parts run on it checks their targets", () => {
    for (const d of brokerDescriptors) assert.equal(typeof hooksOf(d.kind).checkTarget === "function", d.capabilities.requestReply || d.capabilities.taskQueues, d.kind);
  });

  it("routesTo: an SNS publish reaches the queues subscribed to its topic, not the others", () => {
    const resources = { queues: [], topics: [], subscriptions: [{ topic: "orders", queue: "billing", raw: false }], buses: [], rules: [] };
    assert.equal(hooksOf("aws").routesTo(resources, { snsTopic: "orders" }, { queue: "billing" }), true);
    assert.equal(hooksOf("aws").routesTo(resources, { snsTopic: "orders" }, { queue: "jobs" }), false);
    assert.equal(hooksOf("rabbitmq").routesTo({ exchanges: [], queues: [], bindings: [] }, { exchange: "", routingKey: "jobs" }, { queue: "jobs" }), true);
    assert.equal(hooksOf("kafka").routesTo({ topics: [] }, { topic: "a" }, { topic: "b", group: "g" }), false);
  });

  it("the poison fault finds a producer through an SNS subscription", () => {
    const scenario = expectValid(awsBase([
      { name: "shop", producers: [{ name: "orders", broker: "aws", to: { snsTopic: "orders" } }] },
      { name: "billing", consumers: [{ name: "bill", broker: "aws", from: { queue: "billing" }, failures: { poison: { field: "orderId", equals: 13 } } }] },
    ]));
    assert.deepEqual(poisonRoute(scenario, { action: "poison", service: "billing" }), { service: "shop", producer: "orders", consumer: "bill", patch: { orderId: 13 } });
    assert.deepEqual(faultProblems(scenario, { action: "fillQueue", queue: "billing" }), [{ field: "queue", message: '"billing" is not a queue declared in the resources of exactly one RabbitMQ broker' }]);
  });

  it("derives no resources for a kind without retry resources (SQS retries by its visibility timeout)", () => {
    const scenario = expectValid(awsBase([{ name: "billing", consumers: [{ name: "bill", broker: "aws", from: { queue: "billing" }, onError: { retries: 2, backoffMs: [100], then: "drop" } }] }]));
    assert.deepEqual(withDerivedResources(scenario).resources, scenario.resources);
  });
});

describe("capabilities of pattern parts", () => {
  it("request/reply, task queues and projections on an Amazon broker are refused at the part's broker", () => {
    expectProblem(awsBase([{ name: "a", requesters: [{ name: "ask", broker: "aws", to: { queue: "jobs" } }] }]), "services[0].requesters[0].broker", 'request/reply (reply-to and correlation id are AMQP properties) needs a rabbitmq broker, but "aws" is aws');
    expectProblem(awsBase([{ name: "a", tasks: [{ name: "t", broker: "aws", to: { queue: "jobs" }, job: "resize" }] }]), "services[0].tasks[0].broker", 'a task queue needs a rabbitmq broker, but "aws" is aws');
    expectProblem(awsBase([{ name: "a", workers: [{ name: "w", broker: "aws", from: { queue: "jobs" }, jobs: { resize: {} } }] }]), "services[0].workers[0].broker", 'a worker needs a rabbitmq broker, but "aws" is aws');
    expectProblem(
      awsBase([{ name: "a", projections: [{ name: "p", broker: "aws", from: { topic: "orders" }, key: "sku", fold: { added: { n: { add: 1 } } } }] }]),
      "services[0].projections[0].broker",
      'a projection (it reads an event log) needs a kafka broker, but "aws" is aws',
    );
    assert.deepEqual([kindsWith("requestReply"), kindsWith("taskQueues"), kindsWith("replay")], [["rabbitmq"], ["rabbitmq"], ["kafka"]]);
  });
});

describe("the queueConsumers lesson check", () => {
  it("needs a broker that counts consumers: SQS does not", () => {
    const lesson = lessons.find((l) => l.brokers.includes("aws"))!;
    const [first, ...rest] = lesson.steps;
    const check = { kind: "queueConsumers", queue: "orders", op: ">=", value: 1 };
    const changed = { ...lesson, brokers: ["aws"], steps: [{ ...first!, id: "polled", check }, ...rest] } as unknown as Lesson;
    assert.deepEqual(checkCapabilityProblems(changed).filter((p) => p.includes("polled")), [
      `${lesson.id}: check polled (queueConsumers) needs a broker with consumerCount (RabbitMQ), but the lesson lists aws`,
    ]);
  });
});

describe("lab views", () => {
  it("every registered kind has its own view; a half-written broker is drawn by all of them", () => {
    for (const kind of brokerKinds) assert.equal(viewsFor(kind).length, 1, kind);
    assert.equal(viewsFor("unknown").length, brokerKinds.length);
  });
});

// A learner's prefix on the brokers without namespaces (classroom mode): Redis streams, channels,
// pattern subscriptions and groups, and SQS queues get it wherever the scenario names them; a
// RabbitMQ queue of the same name (the learner's vhost keeps it apart) does not; a lesson run's own
// names compose with it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { prefixLearnerNames } from "../../../lib/scenario/learner-prefix";
import { actualName, isolateNames } from "../../../lib/scenario/isolate";
import { parseScenarioText } from "../../../lib/scenario/validate";
import type { Scenario } from "../../../lib/scenario/schema";

const prefix = "lrn-0123456789ab-";
const kinds = new Set(["redis", "aws", "pubsub"]);

function scenario(): Scenario {
  const parsed = parseScenarioText(`
version: 1
name: prefix-fixture
brokers:
  rabbit: { kind: rabbitmq }
  redis: { kind: redis }
  sqs: { kind: aws }
resources:
  rabbit:
    queues: [{ name: jobs }]
  redis:
    streams: [{ name: orders }]
    channels: [{ name: news.created }]
  sqs:
    queues: [{ name: jobs }]
services:
  - name: shop
    producers:
      - { name: a, broker: rabbit, to: { queue: jobs } }
      - { name: b, broker: sqs, to: { queue: jobs } }
      - { name: c, broker: redis, to: { stream: orders } }
      - { name: d, broker: redis, to: { channel: news.created } }
  - name: worker
    consumers:
      - { name: a, broker: rabbit, from: { queue: jobs } }
      - { name: b, broker: sqs, from: { queue: jobs } }
      - { name: c, broker: redis, from: { stream: orders, group: fulfilment } }
      - { name: d, broker: redis, from: { channelPattern: "news.*" } }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

describe("a learner's prefix", () => {
  it("renames the resources and references of the prefixed kinds only", () => {
    const { scenario: out, names } = prefixLearnerNames(scenario(), prefix, kinds);
    const redis = out.resources.redis;
    const sqs = out.resources.sqs;
    const rabbit = out.resources.rabbit;
    assert(redis?.kind === "redis" && sqs?.kind === "aws" && rabbit?.kind === "rabbitmq");
    assert.deepEqual(redis.streams.map((s) => s.name), [`${prefix}orders`]);
    assert.deepEqual(redis.channels.map((c) => c.name), [`${prefix}news.created`]);
    assert.deepEqual(sqs.queues.map((q) => q.name), [`${prefix}jobs`]);
    assert.deepEqual(rabbit.queues.map((q) => q.name), ["jobs"], "RabbitMQ: the learner's vhost keeps it apart");
    const [shop, worker] = out.services;
    assert.deepEqual(shop!.producers.map((p) => p.to), [{ queue: "jobs" }, { queue: `${prefix}jobs` }, { stream: `${prefix}orders` }, { channel: `${prefix}news.created` }]);
    assert.deepEqual(worker!.consumers.map((c) => c.from), [{ queue: "jobs" }, { queue: `${prefix}jobs` }, { stream: `${prefix}orders`, group: `${prefix}fulfilment` }, { channelPattern: `${prefix}news.*` }]);
    assert.equal(actualName(names, "topic", "orders"), `${prefix}orders`);
  });

  it("composes with a lesson run's own names: the lesson's name maps to the prefixed one", () => {
    const lesson = isolateNames(scenario(), "k3f9");
    const { scenario: out, names } = prefixLearnerNames(lesson.scenario, prefix, kinds, lesson.names);
    assert.equal(actualName(names, "topic", "orders"), `${prefix}orders-k3f9`);
    const redis = out.resources.redis;
    assert(redis?.kind === "redis");
    assert.deepEqual(redis.streams.map((s) => s.name), [`${prefix}orders-k3f9`]);
  });

  it("applied twice, prefixes once", () => {
    const once = prefixLearnerNames(scenario(), prefix, kinds).scenario;
    const twice = prefixLearnerNames(once, prefix, kinds).scenario;
    assert.deepEqual(twice, once);
  });
});

// Each descriptor names the local stack service that runs its broker and the resolved entry a
// service process receives: the lab's "broker down" and the launch spec's check are built from them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brokerKinds, kindsDown, resolvedSchemas, stackServiceOf } from "../../../lib/brokers";
import { serviceIds } from "../../../lib/stack";
import { parseLaunch } from "../../../server/service/launch";

describe("descriptors and the stack", () => {
  it("every kind's stack service is one of the stack's services", () => {
    for (const kind of brokerKinds) assert.ok((serviceIds as readonly string[]).includes(stackServiceOf(kind)), kind);
    assert.equal(stackServiceOf("aws"), "moto");
    assert.equal(stackServiceOf("rabbitmq"), "rabbitmq");
  });

  it("kindsDown names the used kinds whose service is down, in registry order", () => {
    const up = (service: string) => service !== "moto" && service !== "rabbitmq";
    assert.deepEqual(kindsDown(new Set(["aws", "kafka", "rabbitmq", "unknown"]), up), ["rabbitmq", "aws"]);
    assert.deepEqual(kindsDown(new Set(["kafka"]), up), []);
  });

  it("a launch spec's brokers are checked by each kind's resolved schema, and a bad one names its field", () => {
    assert.equal(resolvedSchemas.length, brokerKinds.length);
    const launch = (brokers: unknown) => JSON.stringify({
      runId: "r", scenarioName: "s", service: { name: "svc" }, replica: 0, replicas: 1, brokers, resources: {}, propagation: "parent",
      tracing: { enabled: false, otlpEndpoint: "" }, frameIntervalMs: 100, logSampleEvery: 1,
    });
    const parsed = parseLaunch(launch({ a: { kind: "aws", endpoint: "http://127.0.0.1:4566", region: "us-east-1" }, k: { kind: "kafka", brokers: ["127.0.0.1:9092"] } }));
    assert.deepEqual(parsed.brokers.k, { kind: "kafka", brokers: ["127.0.0.1:9092"] });
    assert.throws(() => parseLaunch(launch({ r: { kind: "rabbitmq", url: "amqp://x" } })), /BROKERLAB_LAUNCH is invalid at brokers\.r\.managementUrl/);
  });
});

// A service process loads only the client drivers (and broker client libraries) of the broker
// kinds its launch spec names, and sets up only their instrumentations: a RabbitMQ service does
// not load the Kafka, Amazon, Pub/Sub and Redis clients at start. (Its own file: the test runner
// gives each file a fresh process, so nothing else has loaded the drivers here.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientDriverOf, eventLogOf, loadClientDrivers } from "../../../server/service/client-drivers";
import { brokerInstrumentations, launchKinds } from "../../../server/service/client-setups";

const loadedPackages = () => Object.keys(require.cache).filter((file) => /node_modules\/(kafkajs|@google-cloud\/pubsub|@aws-sdk\/client-sqs|@redis\/client|amqplib)\//.test(file)).map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)![1]!);

describe("client drivers of the launch's kinds only", () => {
  it("names each kind once, from the launch's brokers", () => {
    assert.deepEqual(launchKinds({ brokers: { a: { kind: "rabbitmq", url: "amqp://x", managementUrl: "http://x" }, b: { kind: "rabbitmq", url: "amqp://y", managementUrl: "http://y" }, c: { kind: "kafka", brokers: ["x:1"] } } }), ["rabbitmq", "kafka"]);
  });

  it("sets up the instrumentations of those kinds only", () => {
    const hooks = { link: false, tagMessage: () => {} };
    const names = (kinds?: Parameters<typeof brokerInstrumentations>[1]) => brokerInstrumentations(hooks, kinds).flat().map((i) => i.instrumentationName);
    assert.deepEqual(names(["rabbitmq"]), ["@opentelemetry/instrumentation-amqplib"]);
    assert.ok(names().includes("@opentelemetry/instrumentation-kafkajs") && names().includes("@opentelemetry/instrumentation-redis"), names().join(", "));
  });

  it("loads the RabbitMQ driver and library alone, says so when another kind is asked for, and adds kinds on request", async () => {
    await loadClientDrivers(["rabbitmq"]);
    assert.equal(typeof clientDriverOf("rabbitmq").sender, "function");
    assert.deepEqual([...new Set(loadedPackages())], ["amqplib"]);
    assert.throws(() => clientDriverOf("kafka"), /^Error: The Kafka client driver is not loaded in this process: its launch spec names no kafka broker$/);
    assert.throws(() => clientDriverOf("nats"), /No client driver for broker kind "nats": service processes have "rabbitmq", "kafka", "aws", "pubsub", "redis"/);
    // A refusal still names the kinds that offer what is missing, loaded here or not.
    const rabbitOnly = { brokers: { rabbit: { kind: "rabbitmq" as const, url: "amqp://x", managementUrl: "http://x" } } } as unknown as Parameters<typeof eventLogOf>[0];
    assert.throws(() => eventLogOf(rabbitOnly, "rabbit", 'projection "p"'), /^Error: projection "p" needs a Kafka broker, but broker "rabbit" is RabbitMQ$/);
    await loadClientDrivers(["kafka"]);
    assert.equal(typeof clientDriverOf("kafka").sender, "function");
    assert.deepEqual([...new Set(loadedPackages())].sort(), ["amqplib", "kafkajs"]);
  });
});

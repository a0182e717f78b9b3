// The service process's client drivers: one per broker kind, each rendering its own targets and
// naming its destinations; pattern parts refused on a kind without what they need; one shared
// client per broker; the launch spec's brokers checked by each kind's schema.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { brokerKinds, descriptorOf } from "../../../lib/brokers";
import type { ServiceLaunch } from "../../../lib/run/ipc";
import { serviceSchema } from "../../../lib/scenario/schema";
import type { Target } from "../../../lib/scenario/schema";
import type { RenderContext } from "../../../lib/scenario/template";
import { clientDriverFor, clientDriverOf, eventLogOf, loadClientDrivers, queuePatternsOf } from "../../../server/service/client-drivers";
import { kafkaClient } from "../../../server/service/client-kafka";
import { rabbitConnection } from "../../../server/service/client-rabbitmq";
import { createServiceClients } from "../../../server/service/clients";
import { parseLaunch } from "../../../server/service/launch";

const brokers: ServiceLaunch["brokers"] = {
  rabbit: { kind: "rabbitmq", url: "amqp://127.0.0.1:1", managementUrl: "http://127.0.0.1:1" },
  events: { kind: "kafka", brokers: ["127.0.0.1:1"] },
  amazon: { kind: "aws", endpoint: "http://127.0.0.1:1", region: "us-east-1" },
};

const launch: ServiceLaunch = {
  runId: "r1", scenarioName: "s", replica: 0, replicas: 1, brokers, resources: {}, propagation: "parent",
  service: serviceSchema.parse({ name: "svc" }),
  tracing: { enabled: false, otlpEndpoint: "http://127.0.0.1:4318" }, frameIntervalMs: 100, logSampleEvery: 1,
};

const ctx: RenderContext = { seq: 7, service: "svc", producer: "p", replica: 0, runId: "r1", now: 0, fields: { region: "eu" } };
const render = (broker: string, to: Target) => {
  const driver = clientDriverFor(launch, broker);
  const destination = driver.compileTarget(to, ["region"]).render(ctx);
  return { destination, described: driver.describe(destination) };
};
const producer = (acks: 0 | 1 | "all") => serviceSchema.parse({ name: "s", producers: [{ name: "p", broker: "events", to: { topic: "t" }, acks }] }).producers[0]!;

describe("client drivers", () => {
  // A service process loads them once telemetry has started (runtime.ts); here, before the tests.
  before(() => loadClientDrivers());

  it("every broker kind has one, and an unknown kind is an error naming the kinds there are", () => {
    for (const kind of brokerKinds) assert.equal(typeof clientDriverOf(kind).sender, "function", kind);
    assert.throws(() => clientDriverOf("nats"), /No client driver for broker kind "nats": service processes have "rabbitmq", "kafka", "aws"/);
    assert.throws(() => clientDriverFor(launch, "nowhere"), /broker "nowhere" is not in the launch spec/);
  });

  it("render each kind's own targets and name their destinations for the message log", () => {
    assert.deepEqual(render("rabbit", { queue: "orders" }), { destination: { exchange: "", routingKey: "orders" }, described: { destination: "orders" } });
    assert.deepEqual(render("rabbit", { exchange: "shop", routingKey: "order.{{region}}" }), { destination: { exchange: "shop", routingKey: "order.eu" }, described: { destination: "shop" } });
    assert.deepEqual(render("events", { topic: "orders", key: "k-{{seq}}" }), { destination: { topic: "orders", key: "k-7" }, described: { destination: "orders", key: "k-7" } });
    assert.deepEqual(render("amazon", { snsTopic: "news" }), { destination: { snsTopic: "news" }, described: { destination: "news" } });
    assert.throws(() => clientDriverFor(launch, "events").compileTarget({ queue: "orders" }, []), /is not a Kafka target/);
  });

  it("resend until answered where the broker's answer is required: Kafka with acks=all, Amazon always, RabbitMQ a bounded number of times", () => {
    assert.equal(clientDriverOf("kafka").resendsUntilAnswered(producer("all")), true);
    assert.equal(clientDriverOf("kafka").resendsUntilAnswered(producer(1)), false);
    assert.equal(clientDriverOf("aws").resendsUntilAnswered(producer(1)), true);
    assert.equal(clientDriverOf("rabbitmq").resendsUntilAnswered(producer("all")), false);
  });

  it("give pattern parts queues and event logs only where the kind has them, else a clear error", () => {
    assert.equal(queuePatternsOf(launch, "rabbit", 'requester "ask"').system, "rabbitmq");
    assert.deepEqual(queuePatternsOf(launch, "rabbit", 'worker "w"').queueDestination("jobs"), { exchange: "", routingKey: "jobs" });
    assert.throws(() => queuePatternsOf(launch, "events", 'requester "ask"'), /^Error: requester "ask" needs a RabbitMQ broker, but broker "events" is Kafka$/);
    assert.throws(() => queuePatternsOf(launch, "amazon", 'task producer "t"'), { message: `task producer "t" needs a RabbitMQ broker, but broker "amazon" is ${descriptorOf("aws").label}` });
    assert.equal(typeof eventLogOf(launch, "events", 'projection "p"').read, "function");
    assert.throws(() => eventLogOf(launch, "rabbit", 'projection "p"'), /projection "p" needs a Kafka broker, but broker "rabbit" is RabbitMQ/);
  });
});

describe("service clients", () => {
  const clients = () => createServiceClients(brokers, { client: "svc-0", connection: "run/svc/0" }, { state: () => {}, error: () => {} });

  it("open one shared client per broker, and refuse a broker of another kind", () => {
    const all = clients();
    assert.equal(kafkaClient(all, "events"), kafkaClient(all, "events"), "the same kafkajs client each time");
    assert.deepEqual(kafkaClient(all, "events").brokers, ["127.0.0.1:1"]);
    assert.throws(() => kafkaClient(all, "rabbit"), /broker "rabbit" is not Kafka/);
    assert.throws(() => rabbitConnection(all, "events"), /broker "events" is not RabbitMQ/);
  });
});

describe("launch spec", () => {
  const spec = (brokersField: unknown) => JSON.stringify({ ...launch, brokers: brokersField });

  it("accepts each kind's resolved broker and refuses an unknown kind or a missing field by its path", () => {
    assert.deepEqual(parseLaunch(spec(brokers)).brokers, brokers);
    assert.throws(() => parseLaunch(spec({ x: { kind: "nats", url: "nats://h" } })), /BROKERLAB_LAUNCH is invalid at brokers\.x\.kind/);
    assert.throws(() => parseLaunch(spec({ events: { kind: "kafka" } })), /BROKERLAB_LAUNCH is invalid at brokers\.events\.brokers/);
  });

  it("keeps every field the engine sends, the start barrier's awaitGo among them", () => {
    const full: ServiceLaunch = { ...launch, ledgerWriteAhead: true, resume: { orders: 3 }, awaitGo: true, patterns: { webhookSecret: "s" }, dataDir: "/data/run" };
    assert.deepEqual(parseLaunch(JSON.stringify(full)), full);
    assert.equal(parseLaunch(JSON.stringify({ ...launch, awaitGo: false })).awaitGo, false);
  });
});

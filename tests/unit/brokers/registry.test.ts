// The broker driver registry: both drivers registered, each answering the same interface for its
// own kind (endpoints, claims, stack environment, link proxy plan, manifest, admin), and an unknown
// kind refused. The adapters under the admins are fakes here; tests/integration runs them for real.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import type { AdminFactories } from "../../../server/brokers/driver";
import { brokerDrivers, brokerProbes, driverFor, driverOf, resolveBroker } from "../../../server/brokers/registry";
import { loadConfig } from "../../../server/config";
import type { KafkaAdmin, RabbitAdmin } from "../../../server/brokers/types";
import { baseScenario } from "../scenario/helpers";

const defaults = { rabbitUrl: "amqp://guest:secret@127.0.0.1:5672", rabbitManagementUrl: "http://guest:secret@127.0.0.1:15672", kafkaBrokers: ["127.0.0.1:9092"] };
const rabbit: ResolvedBroker = { kind: "rabbitmq", url: "amqp://u:p@rabbit.lan:5673/vh", managementUrl: "http://u:p@rabbit.lan:15672" };
const kafka: ResolvedBroker = { kind: "kafka", brokers: ["k2.lan:9092", "k1.lan:9092"] };

describe("broker driver registry", () => {
  it("has one driver per kind, each found by its kind", () => {
    assert.deepEqual(brokerDrivers().map((d) => d.kind).sort(), ["aws", "kafka", "pubsub", "rabbitmq", "redis"]);
    for (const driver of brokerDrivers()) assert.equal(driverFor(driver.kind), driver);
    assert.deepEqual(Object.keys(brokerProbes(loadConfig({}))).sort(), ["kafka", "moto", "pubsub", "rabbitmq", "redis"], "the health monitor gets one probe per kind, keyed by its stack service");
    assert.equal(driverOf(kafka).kind, "kafka");
  });

  it("refuses a kind without a driver, naming it and the kinds it knows", () => {
    assert.throws(() => driverFor("sqs"), (error: Error) => /kind "sqs"/.test(error.message) && /"rabbitmq", "kafka"/.test(error.message) && /registry/.test(error.message));
  });

  it("resolves an entry to its own endpoints, else the configured ones", () => {
    assert.deepEqual(resolveBroker({ kind: "rabbitmq" }, defaults), { kind: "rabbitmq", url: defaults.rabbitUrl, managementUrl: defaults.rabbitManagementUrl });
    assert.deepEqual(resolveBroker({ kind: "rabbitmq", url: rabbit.url }, defaults), { kind: "rabbitmq", url: rabbit.url, managementUrl: defaults.rabbitManagementUrl });
    assert.deepEqual(resolveBroker({ kind: "kafka" }, defaults), { kind: "kafka", brokers: defaults.kafkaBrokers });
    assert.deepEqual(resolveBroker({ kind: "kafka", brokers: ["k1.lan:9092"] }, defaults), { kind: "kafka", brokers: ["k1.lan:9092"] });
  });

  it("names the fields an entry sets and every endpoint a broker is reached at", () => {
    assert.deepEqual(driverFor("rabbitmq").entryEndpoints({ kind: "rabbitmq", managementUrl: "http://m:1" }), [{ field: "managementUrl", value: "http://m:1", form: "url" }]);
    assert.deepEqual(driverFor("kafka").entryEndpoints({ kind: "kafka", brokers: ["a:1", "b:2"] }).map((e) => e.field), ["brokers[0]", "brokers[1]"]);
    assert.deepEqual(driverOf(rabbit).endpoints(rabbit).map((e) => e.value), [rabbit.url, rabbit.managementUrl]);
    assert.deepEqual(driverFor("kafka").configuredEndpoints(defaults), [{ field: "brokers[0]", value: "127.0.0.1:9092", form: "address" }]);
  });

  it("names a broker without credentials, the same for any order of its addresses", () => {
    assert.equal(driverOf(rabbit).claimAddress(rabbit), "amqp amqp://rabbit.lan:5673/vh");
    assert.equal(driverOf(rabbit).where(rabbit), "rabbit.lan:5673");
    assert.equal(driverOf(kafka).claimAddress(kafka), driverOf(kafka).claimAddress({ kind: "kafka", brokers: ["k1.lan:9092", "k2.lan:9092"] }));
    assert.deepEqual(driverOf(kafka).stackEnv(kafka), { KAFKA_BROKERS: "k2.lan:9092,k1.lan:9092" });
    assert.deepEqual(driverOf(rabbit).stackEnv(rabbit), { RABBITMQ_URL: rabbit.url, RABBITMQ_MANAGEMENT_URL: rabbit.managementUrl });
  });

  it("plans a RabbitMQ link proxy on the AMQP port, keeping credentials and vhost, and none over TLS", async () => {
    const plan = await driverOf(rabbit).linkProxy(rabbit, () => assert.fail("RabbitMQ has no advertised addresses"));
    assert.deepEqual(plan?.targets, [{ host: "rabbit.lan", port: 5673 }]);
    assert.deepEqual(plan?.through([{ address: "127.0.0.1:40001", port: 40001 }]), { ...rabbit, url: "amqp://u:p@127.0.0.1:40001/vh" });
    assert.equal(await driverOf(rabbit).linkProxy({ ...rabbit, url: "amqps://u:p@rabbit.lan:5671" }, async () => []), undefined);
  });

  it("plans a Kafka link proxy for every bootstrap and advertised address, each redirected", async () => {
    const plan = await driverOf(kafka).linkProxy(kafka, async () => ["k1.lan:9092", "k3.lan:9093"]);
    assert.deepEqual(plan?.targets, [{ host: "k2.lan", port: 9092 }, { host: "k1.lan", port: 9092 }, { host: "k3.lan", port: 9093 }]);
    const proxied = plan!.targets.map((_, i) => ({ address: `127.0.0.1:${41000 + i}`, port: 41000 + i }));
    assert.deepEqual(plan?.through(proxied), { ...kafka, redirect: { "k2.lan:9092": "127.0.0.1:41000", "k1.lan:9092": "127.0.0.1:41001", "k3.lan:9093": "127.0.0.1:41002" } });
    // The cluster not answering its metadata still leaves the bootstrap addresses proxied.
    const bootstrapOnly = await driverOf(kafka).linkProxy(kafka, () => Promise.reject(new Error("down")));
    assert.equal(bootstrapOnly?.targets.length, 2);
  });

  it("keeps a broker in a manifest without credentials and gets them back from the configured broker only", () => {
    const own: ResolvedBroker = { kind: "rabbitmq", url: defaults.rabbitUrl, managementUrl: defaults.rabbitManagementUrl };
    const stored = driverOf(own).manifestEndpoints(own);
    assert.deepEqual(stored, { url: "amqp://127.0.0.1:5672", managementUrl: "http://127.0.0.1:15672" });
    assert.deepEqual(driverFor("rabbitmq").fromManifest(stored, defaults), own);
    assert.deepEqual(driverFor("rabbitmq").fromManifest(driverOf(rabbit).manifestEndpoints(rabbit), defaults), { kind: "rabbitmq", url: "amqp://rabbit.lan:5673/vh", managementUrl: "http://rabbit.lan:15672" });
    assert.deepEqual(driverFor("kafka").fromManifest(driverOf(kafka).manifestEndpoints(kafka), defaults), kafka);
  });

  it("lists the resources a scenario has each broker use, from the broker's own kind only", () => {
    const result = validateScenario(baseScenario());
    assert.ok(result.ok);
    const scenario: Scenario = result.scenario;
    for (const [name, entry] of Object.entries(scenario.brokers)) {
      const used = driverOf(entry).usedResources(scenario, name);
      const resources = scenario.resources[name];
      const declared = resources?.kind === "rabbitmq" ? [...resources.exchanges, ...resources.queues] : resources?.kind === "kafka" ? resources.topics : [];
      assert.ok(declared.length > 0, `the fixture declares resources on ${name}`);
      for (const resource of declared) assert.ok(used.some((u) => u.name === resource.name), `${name}: ${resource.name}`);
      const other = brokerDrivers().find((d) => d.kind !== entry.kind)!;
      assert.deepEqual(other.usedResources(scenario, name), [], `the ${other.kind} driver has nothing on ${entry.kind} broker ${name}`);
    }
  });

  it("builds each admin through the injected factories and answers the same admin interface", async () => {
    const made: string[] = [];
    const closed: string[] = [];
    const fake = (kind: string) => ({ close: async () => void closed.push(kind), teardown: async () => {} });
    const factories: AdminFactories = {
      createRabbitAdmin: (options) => (made.push(`rabbit ${options.url}`), fake("rabbitmq") as unknown as RabbitAdmin),
      createKafkaAdmin: (options) => (made.push(`kafka ${options.brokers.join(",")} ${options.clientId}`), fake("kafka") as unknown as KafkaAdmin),
    };
    for (const broker of [rabbit, kafka]) {
      const admin = driverOf(broker).createAdmin(broker, factories, "brokerlab-run-1");
      assert.equal(admin.kind, broker.kind);
      assert.deepEqual(admin.createdRefs("b", admin.noneCreated()), [], "nothing created yet names nothing");
      for (const member of ["apply", "teardown", "createdRefs", "snapshot", "close"] as const) assert.equal(typeof admin[member], "function", `${broker.kind} admin ${member}`);
      await admin.close();
    }
    assert.deepEqual(made, [`rabbit ${rabbit.url}`, "kafka k2.lan:9092,k1.lan:9092 brokerlab-run-1"]);
    assert.deepEqual(closed, ["rabbitmq", "kafka"]);
  });
});

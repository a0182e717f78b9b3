// The lesson broker (a second local RabbitMQ node only lessons restart): scenarios may name it, a
// broker fault on it runs the stack command for its own service, and nothing that names the shared
// broker (or a mix of the two nodes' endpoints) can reach it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppError } from "../../../lib/errors";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import { lessonBrokerManagementUrl, lessonBrokerUrl } from "../../../lib/lessons/scenarios/durability";
import { serviceIds } from "../../../lib/stack";
import { loadConfig } from "../../../server/config";
import { endpointProblems, isOwnStackBroker, ownStackLifecycle, stackServiceFor } from "../../../server/engine/endpoints";
import { ON_DEMAND_SERVICE_NAMES } from "../../../stack/paths";
import { localService, localServices } from "../../../stack/services";
import { expectValid, withChange } from "../scenario/helpers";

const context = {
  rabbitUrl: "amqp://guest:guest@127.0.0.1:5672",
  rabbitManagementUrl: "http://guest:guest@127.0.0.1:15672",
  kafkaBrokers: ["127.0.0.1:9092"],
  lessonRabbitUrl: "amqp://guest:guest@127.0.0.1:5673",
  lessonRabbitManagementUrl: "http://guest:guest@127.0.0.1:15673",
};
const shared: ResolvedBroker = { kind: "rabbitmq", url: context.rabbitUrl, managementUrl: context.rabbitManagementUrl };
const lesson: ResolvedBroker = { kind: "rabbitmq", url: "amqp://guest:guest@localhost:5673", managementUrl: "http://guest:guest@127.0.0.1:15673/" };

describe("the lesson broker", () => {
  it("is configured by default on 5673 and 15673, the endpoints the durability lesson names", () => {
    const config = loadConfig({});
    assert.equal(config.BROKERLAB_LESSON_RABBITMQ_URL, lessonBrokerUrl);
    assert.equal(config.BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL, lessonBrokerManagementUrl);
  });

  it("may be named by a scenario only when configured; the port next to it may not", () => {
    const named = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: lessonBrokerUrl, managementUrl: lessonBrokerManagementUrl }));
    assert.deepEqual(endpointProblems(named, context), []);
    const { lessonRabbitUrl: _u, lessonRabbitManagementUrl: _m, ...without } = context;
    assert.deepEqual(endpointProblems(named, without).map((p) => p.path), ["brokers.rabbit.url", "brokers.rabbit.managementUrl"]);
    const next = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://guest:guest@127.0.0.1:5674" }));
    assert.deepEqual(endpointProblems(next, context).map((p) => p.path), ["brokers.rabbit.url"]);
  });

  it("is the stack's own, with a service of its own; a mix of the two nodes' endpoints is neither", () => {
    assert.equal(stackServiceFor(lesson, context), "rabbitmq-lesson");
    assert.equal(stackServiceFor(shared, context), undefined);
    assert.equal(isOwnStackBroker(lesson, context), true);
    assert.equal(isOwnStackBroker(shared, context), true);
    const mixed: ResolvedBroker = { kind: "rabbitmq", url: context.rabbitUrl, managementUrl: context.lessonRabbitManagementUrl };
    assert.equal(stackServiceFor(mixed, context), undefined);
    assert.equal(isOwnStackBroker(mixed, context), false);
  });

  it("a broker fault on it stops the lesson node's service, and one on the shared broker the shared node's", async () => {
    const calls: string[] = [];
    const lifecycle = ownStackLifecycle(context, async (action, broker, _log, service) => void calls.push(`${action} ${service ?? broker.kind}`));
    await lifecycle("down", lesson, () => {});
    await lifecycle("up", shared, () => {});
    await assert.rejects(lifecycle("down", { kind: "rabbitmq", url: context.rabbitUrl, managementUrl: context.lessonRabbitManagementUrl }, () => {}), (error: AppError) => error.code === "INVALID_INPUT");
    assert.deepEqual(calls, ["down rabbitmq-lesson", "up rabbitmq"]);
  });

  it("has a stack service of its own (own node name, ports, data and pid file), started only when named", async () => {
    const node = await localService("rabbitmq-lesson");
    const sharedNode = await localService("rabbitmq");
    const config = loadConfig({});
    assert.deepEqual(node.ports(config).map((p) => p.port), [5673, 15673, 25673]);
    assert.notEqual(node.marker, sharedNode.marker);
    assert.ok(ON_DEMAND_SERVICE_NAMES.includes("rabbitmq-lesson"));
    assert.ok(!(serviceIds as readonly string[]).includes("rabbitmq-lesson"), "not among the services `stack:up` starts (nor the home page's)");
    assert.deepEqual((await localServices(["rabbitmq-lesson", "rabbitmq"])).map((s) => s.name), ["rabbitmq", "rabbitmq-lesson"]);
  });
});

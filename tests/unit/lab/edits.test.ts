// Canvas and inspector edits as text edits: building order → inventory from empty gives a valid
// scenario; renames carry references along; deletes unlink; comments survive every edit.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { analyse } from "../../../lib/lab/document";
import { addResource, addService, canConnect, connect, deleteAt, emptyScenarioText, rename, setField } from "../../../lib/lab/edits";
import { validateScenario } from "../../../lib/scenario/validate";

function buildOrderInventory(): string {
  let text = emptyScenarioText;
  text = addService(text, { name: "order-service", producer: true }).text;
  text = addResource(text, "queue", "order_queue").text;
  text = addService(text, { name: "inventory-service", consumer: true }).text;
  text = connect(text, { kind: "producer", service: 0, producer: 0 }, { kind: "queue", broker: "rabbit", name: "order_queue" })!.text;
  text = connect(text, { kind: "queue", broker: "rabbit", name: "order_queue" }, { kind: "consumer", service: 1, consumer: 0 })!.text;
  return text;
}

describe("building from an empty scenario", () => {
  it("starts from a document that names what is missing", () => {
    const analysis = analyse(emptyScenarioText);
    assert.equal(analysis.parsed, true);
    assert.deepEqual(analysis.problems.map((p) => p.path), ["services"]);
  });

  it("gives a valid order → inventory scenario, with keys where a person writes them", () => {
    const text = buildOrderInventory();
    const result = validateScenario(parse(text));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.deepEqual(Object.keys(parse(text) as object), ["version", "name", "description", "brokers", "resources", "services"]);
    assert.match(text, /broker: rabbit\n\s+to: \{ queue: order_queue \}/);
    assert.match(text, /from: \{ queue: order_queue \}/);
  });

  it("declares a broker of the right kind when the first resource of that kind is added", () => {
    const text = addResource(addResource(emptyScenarioText, "queue").text, "topic").text;
    const raw = parse(text) as { brokers: Record<string, { kind: string }>; resources: Record<string, unknown> };
    assert.deepEqual(raw.brokers, { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } });
    assert.deepEqual(Object.keys(raw.resources), ["rabbit", "kafka"]);
  });

  it("joins only what fits: no queue → queue, no exchange → consumer", () => {
    assert.equal(canConnect({ kind: "queue", broker: "r", name: "a" }, { kind: "queue", broker: "r", name: "b" }), false);
    assert.equal(canConnect({ kind: "exchange", broker: "r", name: "a" }, { kind: "consumer", service: 0, consumer: 0 }), false);
    assert.equal(canConnect({ kind: "exchange", broker: "r", name: "a" }, { kind: "queue", broker: "r", name: "b" }), true);
    assert.equal(canConnect({ kind: "new-producer", service: 0 }, { kind: "topic", broker: "k", name: "t" }), true);
  });

  it("binds a queue to an exchange, and adds a producer when dragging from a service's new handle", () => {
    let text = addService(emptyScenarioText, { name: "web" }).text;
    text = addResource(text, "exchange", "logs").text;
    text = addResource(text, "queue", "logs.archive").text;
    text = connect(text, { kind: "exchange", broker: "rabbit", name: "logs" }, { kind: "queue", broker: "rabbit", name: "logs.archive" })!.text;
    text = connect(text, { kind: "new-producer", service: 0 }, { kind: "exchange", broker: "rabbit", name: "logs" })!.text;
    const raw = parse(text) as { resources: { rabbit: { bindings: unknown[] } }; services: { producers: { to: unknown }[] }[] };
    assert.deepEqual(raw.resources.rabbit.bindings, [{ exchange: "logs", queue: "logs.archive", routingKey: "" }]);
    assert.deepEqual(raw.services[0]!.producers[0]!.to, { exchange: "logs", routingKey: "" });
  });
});

describe("editing an existing document", () => {
  const original = readFileSync(new URL("../../../examples/order-inventory.yaml", import.meta.url), "utf8");

  it("keeps comments and untouched formatting", () => {
    const text = setField(original, ["services", 1, "consumers", 0, "prefetch"], 25);
    assert.match(text, /prefetch: 25 # at most 10 unacknowledged messages at a time/);
    assert.match(text, /^# order-inventory: the first example of the course, on a real broker\./);
    assert.match(text, /# Explicit on purpose: RabbitMQ 4\.x deprecates/);
  });

  it("renames a queue everywhere it is used", () => {
    const text = rename(original, ["resources", "rabbit", "queues", 0], "orders");
    const result = validateScenario(parse(text));
    assert.ok(result.ok);
    assert.deepEqual(result.scenario.services[0]!.producers[0]!.to, { queue: "orders" });
    assert.deepEqual(result.scenario.services[1]!.consumers[0]!.from, { queue: "orders" });
  });

  it("renames a service in the fault timeline too", () => {
    const withFault = setField(original, ["faults"], [{ at: "2s", kill: "inventory-service" }]);
    const text = rename(withFault, ["services", 1], "stock-service");
    assert.deepEqual((parse(text) as { faults: unknown[] }).faults, [{ at: "2s", kill: "stock-service" }]);
  });

  it("deleting a queue unlinks its producer and consumer instead of leaving dangling names", () => {
    const text = deleteAt(original, ["resources", "rabbit", "queues", 0]);
    const raw = parse(text) as { services: { producers?: Record<string, unknown>[]; consumers?: Record<string, unknown>[] }[] };
    assert.equal(raw.services[0]!.producers![0]!.to, undefined);
    assert.equal(raw.services[1]!.consumers![0]!.from, undefined);
    assert.equal(raw.services[0]!.producers![0]!.name, "new-orders");
  });

  it("deleting an exchange removes its bindings and the dead-letter links to it", () => {
    const text = readFileSync(new URL("../../../examples/retry-dead-letter.yaml", import.meta.url), "utf8");
    const raw = parse(text) as { resources: { rabbit: { exchanges: { name: string }[] } } };
    const index = raw.resources.rabbit.exchanges.findIndex((e) => e.name === "payments.dlx");
    const after = parse(deleteAt(text, ["resources", "rabbit", "exchanges", index])) as { resources: { rabbit: { bindings?: { exchange: string }[]; queues: { deadLetter?: unknown }[] } } };
    assert.ok(!(after.resources.rabbit.bindings ?? []).some((b) => b.exchange === "payments.dlx"));
    assert.ok(after.resources.rabbit.queues.every((q) => q.deadLetter === undefined));
  });

  it("leaves text that does not parse alone", () => {
    const broken = "version: 1\nservices: [\n";
    assert.equal(setField(broken, ["name"], "x"), broken);
  });
});

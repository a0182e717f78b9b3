// A lesson run renames its exchanges and queues (`orders` → `orders-ab12`); the permission patterns
// of its RabbitMQ run users must follow, or the user would be refused its own exchange.
import assert from "node:assert/strict";
import { it } from "node:test";
import { renamePatternNames } from "../../../lib/brokers/rabbitmq-hooks";
import { isolateNames } from "../../../lib/scenario/isolate";
import { parseScenarioText } from "../../../lib/scenario/validate";

const renames: [string, string, string][] = [["exchange", "orders", "orders-ab12"], ["queue", "order_queue", "order_queue-ab12"], ["exchange", "a.b", "a.b-ab12"]];

it("renames names a pattern spells out whole, and leaves other patterns alone", () => {
  assert.equal(renamePatternNames("^orders$", renames), "^orders-ab12$");
  assert.equal(renamePatternNames("^(orders|order_queue)$", renames), "^(orders-ab12|order_queue-ab12)$");
  assert.equal(renamePatternNames("^a\\.b$", renames), "^a\\.b-ab12$");
  assert.equal(renamePatternNames("^$", renames), "^$");
  assert.equal(renamePatternNames(".*", renames), ".*");
  assert.equal(renamePatternNames("^order", renames), "^order", "a prefix is not a whole name");
});

it("an isolated lesson run's run users keep their permissions over the renamed resources", () => {
  const parsed = parseScenarioText(`
version: 1
name: iso
brokers:
  rabbit: { kind: rabbitmq, runUsers: [{ services: [order-service], write: "^orders$" }] }
resources:
  rabbit:
    exchanges: [{ name: orders, type: direct }]
    queues: [{ name: order_queue }]
    bindings: [{ exchange: orders, queue: order_queue }]
services:
  - name: order-service
    producers: [{ name: p, broker: rabbit, to: { exchange: orders }, count: 1, payload: { n: 1 } }]
`);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  const { scenario } = isolateNames(parsed.scenario, "ab12");
  const entry = scenario.brokers.rabbit as { runUsers?: { write: string; read: string }[] };
  assert.equal(entry.runUsers?.[0]?.write, "^orders-ab12$");
  assert.equal(entry.runUsers?.[0]?.read, "^$");
});

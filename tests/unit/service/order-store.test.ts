// The SQLite stores behind a producer's database and a consumer's effects, on a real file: the
// outbox commits with the order, a crash point fires once across lives, and an idempotent
// consumer applies an effect once however often its message comes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { createEffectStore } from "../../../server/service/effect-store";
import { createOrderStore } from "../../../server/service/order-store";
import { openSqlite } from "../../../server/sqlite/open";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-order-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const row = (seq: number) => ({ id: `s/orders/${seq}`, seq, destination: "{}", body: Buffer.from(`{"orderId":${seq}}`), headers: "{}" });

describe("the order store", () => {
  it("writes the order and its outbox row together, lists unsent rows in order and marks them sent", () => {
    const file = path.join(dir, "orders.sqlite");
    const store = createOrderStore(openSqlite(file), "orders");
    for (const seq of [1, 2, 3]) store.writeOrderWithEvent(seq, `s/orders/${seq}`, row(seq).body, row(seq));
    assert.equal(store.ordersWritten(), 3);
    assert.deepEqual(store.unsent(2).map((r) => r.seq), [1, 2]);
    store.markSent("s/orders/1");
    assert.equal(store.unsentCount(), 2);
    // A second life of the process opens the same file and finds what the first committed.
    const again = createOrderStore(openSqlite(file), "orders");
    assert.equal(again.ordersWritten(), 3);
    assert.deepEqual(again.unsent(10).map((r) => r.seq), [2, 3]);
  });

  it("an outbox row whose order fails to insert is not written either (one transaction)", () => {
    const store = createOrderStore(openSqlite(path.join(dir, "atomic.sqlite")), "orders");
    store.writeOrder(1, "s/orders/1", Buffer.from("{}"));
    assert.throws(() => store.writeOrderWithEvent(1, "s/orders/1", Buffer.from("{}"), row(1)), /UNIQUE/);
    assert.equal(store.unsentCount(), 0);
  });

  it("a crash point fires the first time only", () => {
    const store = createOrderStore(openSqlite(path.join(dir, "crash.sqlite")), "orders");
    assert.equal(store.firstCrashAt("before-mark-sent", 20), true);
    assert.equal(store.firstCrashAt("before-mark-sent", 20), false);
    assert.equal(store.firstCrashAt("before-publish", 20), true);
  });
});

describe("the effect store", () => {
  it("idempotent: applies an effect once per message id, and remembers it after a reopen", () => {
    const file = path.join(dir, "effects.sqlite");
    const effects = createEffectStore(openSqlite(file), "charge", true);
    assert.equal(effects.apply("a", Buffer.from("{}")), true);
    assert.equal(effects.apply("a", Buffer.from("{}")), false);
    assert.equal(createEffectStore(openSqlite(file), "charge", true).processed("a"), true);
    assert.equal(effects.effectsApplied(), 1);
  });

  it("not idempotent: every delivery applies its effect", () => {
    const effects = createEffectStore(openSqlite(path.join(dir, "twice.sqlite")), "audit", false);
    effects.apply("a", Buffer.from("{}"));
    effects.apply("a", Buffer.from("{}"));
    assert.equal(effects.effectsApplied(), 2);
    assert.equal(effects.processed("a"), false);
  });
});

describe("a producer's database in a scenario", () => {
  const scenario = (database: string) => `
version: 1
name: db
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: q }] } }
services:
  - name: s
    producers: [{ name: orders, broker: rabbit, to: { queue: q }, database: ${database} }]
`;
  it("fills the defaults", () => {
    const result = parseScenarioText(scenario("{ mode: outbox }"));
    assert.ok(result.ok);
    assert.deepEqual(result.scenario.services[0]!.producers[0]!.database, { mode: "outbox", relayEvery: 200, relayBatch: 50 });
  });

  it("refuses a crash before marking sent without an outbox, saying what to do", () => {
    const result = parseScenarioText(scenario("{ crash: { order: 3, at: before-mark-sent } }"));
    assert.ok(!result.ok);
    const problem = result.problems.find((p) => p.path.endsWith("database.crash.at"));
    assert.match(problem?.message ?? JSON.stringify(result.problems), /use mode: outbox, or crash at before-publish/);
  });
});

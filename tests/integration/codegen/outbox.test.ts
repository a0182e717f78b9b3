// Generated code on the real stack: the outbox producer and the idempotent consumer, in TypeScript
// (better-sqlite3) and Python (sqlite3), across languages. The producer is killed (SIGKILL) part way
// and started again: it carries on from its database, its relay publishes what the outbox still
// owes, and the consumer applies every order's effect exactly once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const programs = generatedPrograms("codegen-outbox");
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-codegen-outbox-db-"));
after(() => {
  programs.cleanUp();
  rmSync(dir, { recursive: true, force: true });
});

const orders = 60;

function scenario(name: string) {
  return loadScenario(`
version: 1
name: ${unique("codegen-outbox")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    exchanges: [{ name: ${name}, type: fanout, durable: false, autoDelete: true }]
    queues: [{ name: ${name}, durable: false, autoDelete: true }]
    bindings: [{ exchange: ${name}, queue: ${name} }]
services:
  - name: order-service
    producers:
      - name: orders
        broker: rabbit
        to: { exchange: ${name}, routingKey: "" }
        rate: { perSecond: 20 }
        count: ${orders}
        payload: { orderId: "{{seq}}", amount: "{{randomInt 5 300}}" }
        database: { mode: outbox, relayEvery: 100ms, relayBatch: 5 }
  - name: payment-service
    consumers:
      - { name: charge, broker: rabbit, from: { queue: ${name} }, effects: sqlite, idempotent: true }
`);
}

const rows = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

async function killedAndResumed(producerLanguage: "typescript" | "python", consumerLanguage: "typescript" | "python"): Promise<void> {
  const source = scenario(unique("codegen-outbox"));
  const generate = (language: string) => (language === "python" ? generatePython : generateTypeScript);
  const ordersDb = path.join(dir, `${unique("orders")}.sqlite`);
  const paymentsDb = path.join(dir, `${unique("payments")}.sqlite`);
  const consumer = programs.start(generate(consumerLanguage)(source, { service: "payment-service", consumer: "charge" }), { DATABASE_FILE: paymentsDb });
  await waitFor(() => consumer.output().includes("waiting for messages on"), { timeoutMs: 30_000, description: `the ${consumerLanguage} consumer to consume (${consumer.output()})` });
  const producerCode = generate(producerLanguage)(source, { service: "order-service", producer: "orders" });
  const first = programs.start(producerCode, { DATABASE_FILE: ordersDb });
  await waitFor(() => (first.output().match(/relay: /g)?.length ?? 0) >= 3 || undefined, { timeoutMs: 60_000, description: `the relay to publish a few batches (${first.output()})` });
  first.child.kill("SIGKILL");
  await first.exited;
  const placedBefore = rows(ordersDb, "SELECT count(*) FROM orders");
  assert.ok(placedBefore > 0 && placedBefore < orders, `killed part way: ${placedBefore} orders placed`);
  const second = programs.start(producerCode, { DATABASE_FILE: ordersDb });
  const status = await Promise.race([second.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
  assert.equal(status, 0, second.output());
  assert.match(second.output(), new RegExp(`placed ${orders - placedBefore} orders, every event published from the outbox`));
  assert.equal(rows(ordersDb, "SELECT count(*) FROM orders"), orders);
  assert.equal(rows(ordersDb, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0, "every outbox row is marked sent");
  await waitFor(() => rows(paymentsDb, "SELECT count(*) FROM effects") >= orders || undefined, { timeoutMs: 30_000, description: `every order charged (${consumer.output().slice(-500)})` });
  await consumer.stop();
  assert.equal(rows(paymentsDb, "SELECT count(*) FROM effects"), orders, "each order's effect applied once");
  assert.equal(rows(paymentsDb, "SELECT count(DISTINCT message_id) FROM effects"), orders);
  assert.equal(rows(paymentsDb, "SELECT count(*) FROM processed_ids"), orders);
}

describe("generated outbox producer and idempotent consumer on the real stack", { timeout: 300_000 }, () => {
  it("TypeScript producer killed and restarted, Python consumer: every order charged once", () => killedAndResumed("typescript", "python"));
  it("Python producer killed and restarted, TypeScript consumer: every order charged once", () => killedAndResumed("python", "typescript"));
});

// The outbox and the idempotent consumer on the real RabbitMQ: order-service really crashes (its
// configured crash point exits the process) between its database and the broker, and is started
// again by the fault timeline; the ledger and the services' SQLite files say what happened.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import type { RunReport } from "../../../lib/run/model";
import { loadScenario, runToReport, unique } from "../../support/engine";

const orders = 40;

function scenario(options: { mode: string; crashAt: string; consumers: string }) {
  const exchange = unique("ob.orders");
  return loadScenario(`
version: 1
name: ${unique("outbox")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    exchanges: [{ name: ${exchange}, type: fanout }]
    queues: [{ name: ${exchange}.billing }, { name: ${exchange}.audit }]
    bindings:
      - { exchange: ${exchange}, queue: ${exchange}.billing }
      - { exchange: ${exchange}, queue: ${exchange}.audit }
services:
  - name: order-service
    producers:
      - name: orders
        broker: rabbit
        to: { exchange: ${exchange}, routingKey: "" }
        rate: { perSecond: 20 }
        count: ${orders}
        payload: { orderId: "{{seq}}", amount: "{{randomInt 5 300}}" }
        database: { mode: ${options.mode}, relayEvery: 100ms, crash: { order: 10, at: ${options.crashAt} } }
  - name: payment-service
    consumers:
${options.consumers.replaceAll("{q}", exchange)}
faults:
  # The crash point exits order-service about half a second in; these start it again.
  - { at: 3s, start: order-service }
  - { at: 6s, start: order-service }
`);
}

const billing = `      - { name: billing, broker: rabbit, from: { queue: "{q}.billing" }, effects: sqlite, idempotent: true }`;
const audit = `      - { name: audit, broker: rabbit, from: { queue: "{q}.audit" }, effects: sqlite, idempotent: false }`;

/** Rows of a service's SQLite database in the run's directory. */
function count(report: RunReport, service: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path.join(report.logsDir, `${service}-0.sqlite`), { readonly: true });
  try {
    return db.prepare(sql).pluck().get(...params) as number;
  } finally {
    db.close();
  }
}

/** What the run measured, in the test's output (the figures a reviewer reads). */
function figures(t: { diagnostic(message: string): void }, report: RunReport) {
  const consumers = Object.entries(report.consumers).map(([key, c]) => `${key}: received ${c.received}, duplicates ${c.duplicates}`);
  t.diagnostic(`ledger ${JSON.stringify(report.ledger)}; ${consumers.join("; ")}; order-service restarts ${report.services["order-service"]?.[0]?.restarts}`);
}

function crashedOnce(report: RunReport) {
  const [replica] = report.services["order-service"] ?? [];
  assert.ok(replica && replica.restarts >= 1, `order-service crashed and was started again: ${JSON.stringify(replica)}`);
  assert.ok(report.timeline?.some((entry) => /crashed/.test(entry.detail)), "the timeline shows the crash");
}

describe("the outbox and the idempotent consumer on the real stack", { timeout: 300_000 }, () => {
  it("publish after commit: a crash between the two loses the order's event", async (t) => {
    const report = await runToReport(scenario({ mode: "publish-after-commit", crashAt: "before-publish", consumers: billing }));
    figures(t, report);
    assert.equal(report.status, "finished");
    crashedOnce(report);
    assert.equal(count(report, "order-service", "SELECT count(*) FROM orders"), orders, "every order is in order-service's database");
    assert.equal(report.ledger.confirmed, orders);
    assert.equal(report.ledger.lost, 1, `order 10's event never left: ${JSON.stringify(report.ledger)}`);
    assert.equal(report.ledger.consumed, orders - 1);
    assert.equal(count(report, "payment-service", "SELECT count(*) FROM effects"), orders - 1);
  });

  it("outbox: the same crash loses nothing; the relay publishes the event after the restart", async (t) => {
    const report = await runToReport(scenario({ mode: "outbox", crashAt: "before-publish", consumers: billing }));
    figures(t, report);
    assert.equal(report.status, "finished");
    crashedOnce(report);
    assert.deepEqual({ ...report.ledger, recovered: 0 }, { confirmed: orders, consumed: orders, lost: 0, duplicated: 0, recovered: 0 });
    assert.equal(count(report, "order-service", "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0, "every outbox row is marked sent");
    assert.equal(count(report, "payment-service", "SELECT count(*) FROM effects"), orders);
  });

  it("outbox, crash before marking sent: the relay sends again; only the idempotent consumer applies each effect once", async (t) => {
    const report = await runToReport(scenario({ mode: "outbox", crashAt: "before-mark-sent", consumers: `${billing}\n${audit}` }));
    figures(t, report);
    assert.equal(report.status, "finished");
    crashedOnce(report);
    assert.equal(report.ledger.lost, 0);
    const billed = report.consumers["payment-service/billing"];
    const audited = report.consumers["payment-service/audit"];
    assert.ok(billed && billed.duplicates >= 1, `billing was delivered the re-sent event: ${JSON.stringify(billed)}`);
    assert.ok(audited && audited.duplicates >= 1, `audit was delivered it too: ${JSON.stringify(audited)}`);
    assert.equal(count(report, "payment-service", "SELECT count(*) FROM effects WHERE consumer = 'billing'"), orders, "billing applied each order once");
    assert.equal(count(report, "payment-service", "SELECT count(DISTINCT message_id) FROM processed_ids WHERE consumer = 'billing'"), orders);
    const audits = count(report, "payment-service", "SELECT count(*) FROM effects WHERE consumer = 'audit'");
    assert.equal(audits, orders + audited.duplicates, "audit (not idempotent) applied every delivery, duplicates too");
    assert.equal(report.ledger.duplicated, audited.duplicates, "the ledger's duplicates are audit's second processings alone");
  });
});

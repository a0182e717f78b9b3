// The lesson broker (a second RabbitMQ node that only lessons restart) stopped and started mid-run
// by the durability lesson's own scenario: a transient queue with transient messages loses the
// backlog waiting in it, a durable queue with persistent messages and publisher confirms loses
// nothing. The shared broker every other run uses keeps running throughout (same pid).
// The lesson broker belongs to this checkout's stack (started on demand by the first run), so
// these tests need no private stack, unlike the tests that stop the shared brokers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ordersAcrossRestart } from "../../../lib/lessons/scenarios/durability";
import { pidFile } from "../../../stack/paths";
import { readLivePid } from "../../../stack/process";
import { localService } from "../../../stack/services";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

/** The lesson scenario with a queue name of this test's own; `durable` makes queue, messages and publishing durable. */
function scenario(durable: boolean) {
  const queue = unique("durability");
  let text = ordersAcrossRestart.replaceAll("name: orders, durable: false", `name: ${queue}, durable: ${durable}`).replaceAll("{ queue: orders }", `{ queue: ${queue} }`);
  if (durable) text = text.replace("persistent: false", "persistent: true").replace("confirm: false", "confirm: true");
  assert.equal((text.match(new RegExp(queue, "g")) ?? []).length, 3, "the queue is renamed everywhere");
  return loadScenario(text);
}

async function sharedBrokerPid(): Promise<number | undefined> {
  return readLivePid(pidFile("rabbitmq"), (await localService("rabbitmq")).marker);
}

describe("the lesson broker restarted mid-run", { timeout: 600_000 }, () => {
  it("a transient queue with transient messages loses the backlog; the shared broker is untouched", async () => {
    const before = await sharedBrokerPid();
    const run = await testEngine().start(scenario(false), { limitMs: 240_000 });
    const report = await run.done();
    printLedger("lesson broker restarted, transient queue and messages", report);
    assert.equal(report.status, "finished");
    assert.ok(report.timeline!.some((e) => e.kind === "broker" && e.detail.startsWith("stopped")), "the lesson broker was stopped");
    assert.ok(report.timeline!.some((e) => e.kind === "broker" && e.detail.startsWith("up and healthy")), "and started again");
    assert.ok(report.ledger.lost > 0, `orders waiting in the transient queue were lost (lost ${report.ledger.lost})`);
    assert.equal(await sharedBrokerPid(), before, "the shared RabbitMQ kept running (same pid)");
  });

  it("a durable queue, persistent messages and publisher confirms lose nothing", async () => {
    const run = await testEngine().start(scenario(true), { limitMs: 240_000 });
    const report = await run.done();
    printLedger("lesson broker restarted, durable queue, persistent messages, confirms", report);
    assert.equal(report.status, "finished");
    assert.ok(report.timeline!.some((e) => e.kind === "broker" && e.detail.startsWith("stopped")), "the lesson broker was stopped");
    assert.equal(report.ledger.confirmed, 400);
    assert.equal(report.ledger.consumed, 400);
    assert.equal(report.ledger.lost, 0);
  });
});

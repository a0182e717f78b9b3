// The Amazon emulator (moto's server) stopped and started in the middle of a run by the run's own
// stopBroker fault, through the stack command, as broker-restart.test.ts does with RabbitMQ and Kafka.
// While it is down the SQS consumer's receives fail and it backs off (its link goes reconnecting);
// once it is up the consumer polls again by itself, with no process restart. moto keeps queues and
// messages in memory, so the run declares its resources again after the start (the driver says so)
// and what a queue held at the stop would be gone: the scenario stops it while the queue is empty
// (the first producer is done) and sends the rest only after the restart, so nothing confirmed is lost.
// This test stops a real emulator that other runs and tests on the machine may be using (and moto
// forgets their queues too): it runs only in CI (CI=1) or against a private stack, like the broker
// restart tests (brokerStopSkip), and skips, saying why, when this checkout's stack did not start moto.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { brokerStopSkip, cannotStopBroker, printLedger, stackUp } from "./support";

describe("the Amazon emulator stopped and started mid-run", { timeout: 300_000, skip: brokerStopSkip }, () => {
  // Whatever happened, the emulator is left up.
  after(() => stackUp("moto"));

  it("moto: the SQS consumer backs off while it is down and resumes once it is up; nothing confirmed is lost", async (t) => {
    const unable = await cannotStopBroker("moto");
    if (unable) return t.skip(unable);
    const queue = unique("faults-moto-restart");
    try {
      const started = await testEngine().start(loadScenario(`
version: 1
name: moto-restart
brokers: { sqs: { kind: aws } }
resources: { sqs: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers:
      - { name: before-stop, broker: sqs, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 40 }
      - { name: after-start, broker: sqs, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 40, startAfter: 60s }
  - name: inventory-service
    consumers: [ { name: stock, broker: sqs, from: { queue: ${queue}, waitSeconds: 1 }, work: { ms: 5 } } ]
faults:
  - { at: 8s, stopBroker: sqs, for: 4s }
`), { limitMs: 180_000 });
      const report = await started.done();
      printLedger("moto stopped and started mid-run", report);
      const timeline = report.timeline!;
      const link = "inventory-service[0]↔sqs";
      const states = timeline.filter((e) => e.kind === "connection" && e.target === link).map((e) => e.detail.split(":")[0]);
      const down = states.indexOf("reconnecting");

      assert.equal(report.status, "finished");
      assert.ok(timeline.some((e) => e.kind === "broker" && e.detail.startsWith("stopped")), "moto was stopped");
      assert.ok(timeline.some((e) => e.kind === "broker" && e.detail.startsWith("up and healthy")), "and started again");
      assert.ok(timeline.some((e) => e.kind === "broker" && e.detail.startsWith("its resources declared again")), "the run declared its queue again");
      assert.ok(down >= 0, `the consumer's receives failed and it backed off (${link} went reconnecting): ${states.join(" → ")}`);
      assert.ok(states.indexOf("connected", down) > down, `the consumer polled again by itself: ${states.join(" → ")}`);
      assert.equal(report.services["inventory-service"]![0]!.restarts, 0, "the consumer's process was never restarted");
      assert.equal(report.producers["order-service/after-start"]?.confirmed, 40, "the messages sent after the restart reached the queue");
      assert.equal(report.ledger.confirmed, 80);
      assert.equal(report.ledger.consumed, 80, "the consumer took every message, those sent after the restart included");
      assert.equal(report.ledger.lost, 0);
    } finally {
      await stackUp("moto");
    }
  });
});

// Redis under faults, through the engine on the local redis-server. A Streams consumer SIGKILLed
// while it holds entries: they stay in the group's pending entries list, the other replica claims
// them after the idle time (XAUTOCLAIM), nothing is lost. A Pub/Sub subscriber killed: what is
// published while it is down reaches no one, the ledger counts it lost and each of those publishes
// says why. The server stopped and started mid-run (guarded like the other broker restarts: it
// forgets everything, having no persistence): producers and consumers reconnect by themselves, the
// producers' commands wait for the server rather than fail, and the ledger counts what the restart
// cost (what the forgotten group and the resubscribing subscriber never got).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { brokerStopSkip, cannotStopBroker, printLedger, stackUp } from "./support";

const events = (report: RunReport, kind: string) => report.timeline?.filter((e) => e.kind === kind) ?? [];
const linkStates = (report: RunReport, link: string) => events(report, "connection").filter((e) => e.target === link).map((e) => e.detail.split(":")[0]);

describe("Redis consumers killed mid-run", { timeout: 240_000 }, () => {
  it("Streams: a killed group member's pending entries are claimed by the other; nothing is lost", async () => {
    const stream = unique("faults-redis-kill");
    const started = await testEngine().start(loadScenario(`
version: 1
name: redis-stream-consumer-kill
brokers: { redis: { kind: redis } }
resources: { redis: { streams: [ { name: ${stream}, claimIdle: 1s } ] } }
services:
  - name: shop
    producers: [ { name: orders, broker: redis, to: { stream: ${stream} }, rate: { perSecond: 40 }, count: 200 } ]
  - name: fulfilment
    replicas: 2
    consumers: [ { name: orders, broker: redis, from: { stream: ${stream}, group: fulfilment }, concurrency: 4, work: { ms: 60, jitterMs: 10 } } ]
faults:
  - { at: 2500ms, kill: fulfilment, replica: 1 }
`), { limitMs: 120_000 });
    const report = await started.done();
    const orders = report.consumers["fulfilment/orders"]!;
    printLedger("redis streams consumer SIGKILL", report, { claimed: orders.redelivered });
    assert.equal(report.status, "finished");
    assert.equal(events(report, "replica").filter((e) => e.detail.startsWith("killed")).length, 1, "the timeline shows the kill");
    assert.equal(report.ledger.confirmed, 200);
    assert.equal(report.ledger.lost, 0, `lost: ${JSON.stringify(started.missing().slice(0, 10))}`);
    assert.equal(report.ledger.consumed, 200);
    assert.ok(orders.redelivered > 0, `the entries the killed replica held were claimed and delivered again (redelivered ${orders.redelivered})`);
    assert.deepEqual(report.lag.map((g) => [g.group, g.total, g.pending]), [["fulfilment", 0, 0]], "the group ends with no lag and nothing pending");
  });

  it("Pub/Sub: what is published while the subscriber is down is lost, and the publishes say why", async () => {
    const channel = unique("faults-redis-chan");
    const started = await testEngine().start(loadScenario(`
version: 1
name: redis-subscriber-kill
brokers: { redis: { kind: redis } }
resources: { redis: { channels: [ { name: ${channel} } ] } }
services:
  - name: notifier
    consumers: [ { name: events, broker: redis, from: { channel: ${channel} } } ]
  - name: shop
    producers: [ { name: events, broker: redis, to: { channel: ${channel} }, rate: { perSecond: 40 }, count: 400 } ]
faults:
  - { at: 2s, kill: notifier }
  - { at: 4s, start: notifier }
`), { durationMs: 16_000 });
    const report = await started.done();
    printLedger("redis pub/sub subscriber SIGKILL", report);
    assert.equal(report.ledger.confirmed, 400, "Redis takes every publish, listened to or not");
    assert.ok(report.ledger.lost > 0, `lost > 0 (${report.ledger.lost}): nobody listened while the subscriber was down`);
    assert.equal(report.ledger.consumed + report.ledger.lost, 400, "every confirmed message is consumed or lost");
    assert.ok(report.ledger.consumed > 0, "the subscriber got what was published while it listened");
    // A publish Redis handed to the subscriber just before it died is lost in the process, not on
    // the channel: it carries no reason. Every one after the kill does.
    const killedAt = events(report, "replica").find((e) => e.detail.startsWith("killed"))!.at;
    const lost = started.missing().map((id) => started.messages.get(id)).filter((m) => m !== undefined);
    assert.ok(lost.length > 0, "the message log holds the lost messages");
    const confirms = lost.flatMap((m) => m.events.filter((e) => e.kind === "confirmed"));
    const unexplained = confirms.filter((e) => !/no subscriber was listening on channel .*Redis Pub\/Sub keeps nothing/.test(e.detail ?? ""));
    assert.ok(confirms.length - unexplained.length > 0, "lost publishes say nobody listened");
    assert.deepEqual(unexplained.filter((e) => e.at > killedAt + 200).map((e) => e.detail ?? "(no reason)"), [], "every publish after the kill that was lost says why");
    const restartedAt = events(report, "fault-ended").find((e) => e.detail.includes("ended by start"))?.at ?? Infinity;
    const heard = [...started.messages.recent(2_000)].filter((m) => m.events.some((e) => e.kind === "confirmed" && e.at > restartedAt) && m.events.some((e) => e.kind === "acked"));
    assert.ok(heard.length > 0, "once started again, the subscriber hears new publishes");
  });
});

describe("the Redis server stopped and started mid-run", { timeout: 300_000, skip: brokerStopSkip }, () => {
  after(() => stackUp("redis"));

  it("producers and consumers reconnect by themselves; the ledger says what the restart cost", async (t) => {
    const unable = await cannotStopBroker("redis");
    if (unable) return t.skip(unable);
    const [stream, channel] = [unique("faults-redis-restart"), unique("faults-redis-restart-chan")];
    try {
      const started = await testEngine().start(loadScenario(`
version: 1
name: redis-restart
brokers: { redis: { kind: redis } }
resources: { redis: { streams: [ { name: ${stream}, claimIdle: 1s } ], channels: [ { name: ${channel} } ] } }
services:
  - name: shop
    producers:
      - { name: orders, broker: redis, to: { stream: ${stream} }, rate: { perSecond: 40 }, count: 400 }
      - { name: events, broker: redis, to: { channel: ${channel} }, rate: { perSecond: 40 }, count: 400 }
  - name: fulfilment
    consumers: [ { name: orders, broker: redis, from: { stream: ${stream}, group: fulfilment }, work: { ms: 5 } } ]
  - name: notifier
    consumers: [ { name: events, broker: redis, from: { channel: ${channel} } } ]
faults:
  - { at: 3s, stopBroker: redis, for: 3s }
`), { durationMs: 25_000 });
      const report = await started.done();
      const failedSends = Object.values(report.producers).reduce((n, p) => n + p.failed, 0);
      printLedger("redis server stopped and started mid-run", report);
      assert.ok(events(report, "broker").some((e) => e.detail.startsWith("stopped")), "the server was stopped");
      assert.ok(events(report, "broker").some((e) => e.detail.startsWith("up and healthy")), "and started again");
      for (const service of ["shop", "fulfilment", "notifier"]) {
        const states = linkStates(report, `${service}[0]↔redis`);
        const down = states.indexOf("reconnecting");
        assert.ok(down >= 0, `${service} went reconnecting: ${states.join(" → ")}`);
        assert.ok(states.indexOf("connected", down) > down, `${service} came back connected by itself: ${states.join(" → ")}`);
        assert.equal(report.services[service]![0]!.restarts, 0, `${service} was never restarted`);
      }
      assert.ok(!events(report, "replica").some((e) => /crashed|killed/.test(e.detail)), "no process crashed");
      // The client queues commands while it reconnects and sends them once the server is back, so no
      // send fails; but the server came back empty (no persistence): its group was declared again at
      // the stream's end, and channel subscribers were still subscribing again. The ledger counts that.
      assert.equal(failedSends, 0, "no send failed: the client held them until the server was back");
      assert.equal(report.ledger.confirmed, 800);
      assert.ok(report.ledger.lost > 0, `the restart cost messages (lost ${report.ledger.lost}), and the ledger says so`);
      assert.equal(report.ledger.consumed + report.ledger.lost, report.ledger.confirmed, "the ledger accounts for every confirmed message");
      const orders = report.consumers["fulfilment/orders"]!;
      const notified = report.consumers["notifier/events"]!;
      assert.ok(orders.acked > 0 && notified.acked > 0, "both consumers processed messages");
      assert.deepEqual(report.lag.map((g) => [g.group, g.total]), [["fulfilment", 0]], "the group, declared again after the restart, caught up");
    } finally {
      await stackUp("redis");
    }
  });
});

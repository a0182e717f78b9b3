// Redis under faults, through the engine on the local redis-server. A Streams consumer SIGKILLed
// while it holds entries: they stay in the group's pending entries list, the other replica claims
// them after the idle time (XAUTOCLAIM), nothing is lost. A Pub/Sub subscriber killed: what is
// published while it is down reaches no one, the ledger counts it lost and each of those publishes
// says why.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { printLedger } from "./support";

const events = (report: RunReport, kind: string) => report.timeline?.filter((e) => e.kind === kind) ?? [];

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

// What the canvas draws from frames: edge rates from the producers' and consumers' own rates, a
// binding's rate from its queue's intake, depth history per queue, lag per topic, replica words.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { buildGraph } from "../../../lib/lab/graph";
import { computeLive, edgeMotion, replicaWord, serviceWord } from "../../../lib/lab/live";
import type { ConsumerCounters, ProducerCounters } from "../../../lib/run/ipc";
import type { ReplicaStatus, RunFrame } from "../../../lib/run/model";

const graph = buildGraph(parse(readFileSync(new URL("../../../examples/fanout-logs.yaml", import.meta.url), "utf8")));

const producer = (published: number, ratePerSec: number): ProducerCounters & { ratePerSec: number } => ({ published, confirmed: published, returned: 0, failed: 0, inFlight: 0, done: false, ratePerSec });
const consumer = (received: number, ratePerSec: number) => ({
  received, acked: received, nacked: 0, requeued: 0, redelivered: 0, retried: 0, deadLettered: 0, dropped: 0, duplicates: 0, failed: 0, forwarded: 0, inFlight: 0, ratePerSec,
  window: { endToEnd: { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 }, queueWait: { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 }, processing: { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 } },
}) satisfies ConsumerCounters & { ratePerSec: number; window: unknown };

function frame(at: number, archiveDepth: number, status: RunFrame["status"] = "running"): RunFrame {
  return {
    runId: "r", at, status, elapsedMs: at,
    producers: { "web-app/app-logs": producer(at / 40, 25) },
    consumers: { "log-archiver/archive": consumer(at / 50, 20), "log-monitor/watch": consumer(at / 40, 25) },
    services: {},
    queues: [
      { broker: "rabbit", name: "logs.archive", messages: archiveDepth, ready: archiveDepth, unacked: 0, consumers: 1 },
      { broker: "rabbit", name: "logs.monitor", messages: 0, ready: 0, unacked: 0, consumers: 1 },
    ],
    lag: [], ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, tail: [], droppedSpans: 0,
  };
}

describe("the live view of a run", () => {
  // Four seconds in which logs.archive grows by 5 messages a second.
  const frames = Array.from({ length: 41 }, (_, i) => frame(i * 100, i * 0.5));
  const live = computeLive(graph, frames)!;

  it("gives publish and consume edges the producers' and consumers' rates", () => {
    assert.equal(live.edgeRates.get("publish:0:0"), 25);
    assert.equal(live.edgeRates.get("consume:1:0"), 20);
    assert.equal(live.edgeRates.get("consume:2:0"), 25);
  });

  it("estimates a binding from what its queue takes in: consumed plus growth, at most the exchange's inflow", () => {
    const archive = graph.edges.find((e) => e.kind === "binding" && e.target === "q:rabbit/logs.archive")!;
    const monitor = graph.edges.find((e) => e.kind === "binding" && e.target === "q:rabbit/logs.monitor")!;
    assert.ok(Math.abs(live.edgeRates.get(archive.id)! - 25) < 0.01, `archive binding: ${live.edgeRates.get(archive.id)}`);
    assert.equal(live.edgeRates.get(monitor.id), 25);
  });

  it("keeps each queue's depth history and peak for the sparkline", () => {
    const archive = live.queues.get("rabbit/logs.archive")!;
    assert.equal(archive.messages, 20);
    assert.equal(archive.history.length, 41);
    assert.equal(archive.peak, 20);
  });

  it("shows nothing moving once the run has finished", () => {
    const done = computeLive(graph, [...frames, frame(4100, 0, "finished")])!;
    assert.equal(done.edgeRates.size, 0);
  });

  it("draws faster, thicker edges for higher rates, and none for idle ones", () => {
    assert.equal(edgeMotion(0), undefined);
    const slow = edgeMotion(2)!;
    const fast = edgeMotion(2000)!;
    assert.ok(fast.width > slow.width && fast.durationSec < slow.durationSec && fast.dots >= slow.dots);
  });
});

describe("replica words", () => {
  const replica = (state: ReplicaStatus["state"], connections: ReplicaStatus["connections"] = {}): ReplicaStatus => ({ replica: 0, state, restarts: 0, connections });

  it("say connected, reconnecting, crashed, killed or paused, the worst one for a service", () => {
    assert.equal(replicaWord(replica("running", { rabbit: "connected" })), "connected");
    assert.equal(replicaWord(replica("running", { rabbit: "reconnecting" })), "reconnecting");
    assert.equal(replicaWord(replica("killed")), "killed");
    assert.equal(serviceWord([replica("running", { rabbit: "connected" }), replica("crashed")]), "crashed");
    assert.equal(serviceWord([replica("paused"), replica("running", { rabbit: "connected" })]), "paused");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAggregator, zeroConsumer, zeroProducer } from "../../../server/engine/aggregator";
import type { ServiceFrame } from "../../../lib/run/ipc";

const frame = (published: number, acked: number, inFlight = 0): ServiceFrame => ({
  type: "frame", at: 0, histograms: {}, confirmedIds: [], consumedIds: {}, events: [], droppedSpans: 0,
  producers: { p: { ...zeroProducer(), published, confirmed: published } },
  consumers: { c: { ...zeroConsumer(), received: acked, acked, inFlight } },
});

describe("the aggregator", () => {
  it("sums replicas per producer and consumer", () => {
    const agg = createAggregator();
    agg.frame("svc", 0, frame(10, 4));
    agg.frame("svc", 1, frame(5, 6));
    assert.equal(agg.producers()["svc/p"]!.published, 15);
    assert.equal(agg.consumers()["svc/c"]!.acked, 10);
    assert.deepEqual(agg.consumersByReplica()["svc/c"]!.map((r) => r.acked), [4, 6]);
  });
  it("keeps counts across a restart of a process, and drops its in-flight gauge", () => {
    const agg = createAggregator();
    agg.frame("svc", 0, frame(10, 4, 3));
    agg.exited("svc", 0);
    assert.equal(agg.consumers()["svc/c"]!.inFlight, 0);
    agg.frame("svc", 0, frame(2, 1));
    assert.equal(agg.producers()["svc/p"]!.published, 12);
    assert.equal(agg.consumers()["svc/c"]!.acked, 5);
  });
  it("knows a producer is finished only when every replica said so", () => {
    const agg = createAggregator();
    agg.producerDone("svc", 0, "p");
    assert.equal(agg.producerFinished("svc", "p", 2), false);
    agg.producerDone("svc", 1, "p");
    assert.equal(agg.producerFinished("svc", "p", 2), true);
  });

  it("sums dropped, traced and untraced spans over replicas and over a replica's earlier lives", () => {
    const agg = createAggregator();
    agg.frame("svc", 0, { ...frame(1, 1), droppedSpans: 2, traced: 10, untraced: 5 });
    agg.frame("svc", 1, { ...frame(1, 1), droppedSpans: 1, traced: 3, untraced: 0 });
    agg.exited("svc", 0);
    agg.frame("svc", 0, { ...frame(1, 1), droppedSpans: 0, traced: 4, untraced: 1 });
    assert.deepEqual(agg.spans(), { dropped: 3, traced: 17, untraced: 6 });
  });
});

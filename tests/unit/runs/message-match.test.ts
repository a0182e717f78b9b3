// The same message in two recordings: histories rebuilt from the frames' message events, the ids
// both runs hold (those that differ first), and the step-by-step differences the comparison marks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commonMessageIds, flightDifferences, recordedMessages } from "../../../lib/runs/message-match";
import type { MessageEvent } from "../../../lib/run/ipc";
import type { RunFrame } from "../../../lib/run/model";

const event = (id: string, kind: MessageEvent["kind"], at: number, extra: Partial<MessageEvent> = {}): MessageEvent =>
  ({ id, kind, at, service: "inventory", replica: 0, actor: "update-stock", ...extra });

const frame = (elapsedMs: number, tail: MessageEvent[]): RunFrame => ({
  runId: "r", at: 1_000 + elapsedMs, status: "running", elapsedMs, producers: {}, consumers: {}, services: {}, queues: [], lag: [],
  ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, droppedSpans: 0, tail,
});

const id = (seq: number) => `orders/new-orders/${seq}`;

// Run A: messages 1 and 2 go straight through. Run B: message 2 is redelivered after a kill, 3 is B's alone.
const runA = [
  frame(0, [event(id(1), "published", 100, { traceId: "t-a1" }), event(id(1), "delivered", 110)]),
  frame(100, [event(id(1), "acked", 120), event(id(2), "published", 200), event(id(2), "delivered", 205), event(id(2), "acked", 210)]),
];
const runB = [
  frame(0, [event(id(2), "published", 5_000), event(id(2), "delivered", 5_004)]),
  frame(100, [event(id(1), "published", 5_100), event(id(1), "delivered", 5_115), event(id(1), "acked", 5_130)]),
  frame(200, [event(id(2), "delivered", 7_000, { redelivered: true, replica: 1 }), event(id(2), "acked", 7_010), event(id(3), "published", 7_100)]),
];

describe("matching a message across two recorded runs", () => {
  it("rebuilds each message's history from the frames in time order, with its trace id", () => {
    const a = recordedMessages(runA);
    assert.deepEqual([...a.keys()], [id(1), id(2)]);
    assert.deepEqual(a.get(id(1))!.events.map((e) => e.kind), ["published", "delivered", "acked"]);
    assert.equal(a.get(id(1))!.traceId, "t-a1");
    assert.equal(a.get(id(1))!.firstAt, 100);
    assert.deepEqual(recordedMessages(runB).get(id(2))!.events.map((e) => e.kind), ["published", "delivered", "delivered", "acked"]);
  });

  it("takes the producer's trace for a message, even when a consumer's event (link propagation) came first", () => {
    const linked = recordedMessages([
      frame(0, [event(id(1), "delivered", 110, { traceId: "t-consumer" }), event(id(1), "acked", 120, { traceId: "t-consumer" })]),
      frame(100, [event(id(1), "published", 100, { traceId: "t-producer" })]),
    ]);
    assert.equal(linked.get(id(1))!.traceId, "t-producer");
    const consumerOnly = recordedMessages([frame(0, [event(id(2), "delivered", 110, { traceId: "t-consumer" })])]);
    assert.equal(consumerOnly.get(id(2))!.traceId, "t-consumer", "without a producer event, the trace there is");
  });

  it("offers the messages both runs hold, the one whose history differs first; none when the runs share no message", () => {
    const a = recordedMessages(runA);
    const b = recordedMessages(runB);
    assert.deepEqual(commonMessageIds(a, b), [id(2), id(1)]);
    assert.deepEqual(commonMessageIds(a, recordedMessages([frame(0, [event("payments/charge/1", "published", 1)])])), []);
    assert.deepEqual(commonMessageIds(a, a), [id(1), id(2)], "equal histories: in sequence order");
  });

  it("marks a redelivery and a repeated step in one run only, and times each step from its own run's publish", () => {
    const a = recordedMessages(runA);
    const b = recordedMessages(runB);
    const rows = flightDifferences(a.get(id(2))!, b.get(id(2))!);
    assert.deepEqual(rows.map((row) => row.kind), ["published", "delivered", "acked"]);
    const delivered = rows.find((row) => row.kind === "delivered")!;
    assert.deepEqual(delivered.notes, ["1× in A, 2× in B", "redelivered in B, not in A"]);
    assert.equal(delivered.a.afterMs, 5);
    assert.equal(delivered.b.afterMs, 4);
    const acked = rows.find((row) => row.kind === "acked")!;
    assert.equal(acked.a.afterMs, 10);
    assert.equal(acked.b.afterMs, 2_010);
    assert.equal(acked.differs, false, "a slower step is shown by its times, not flagged");
    const same = flightDifferences(a.get(id(1))!, b.get(id(1))!);
    assert.ok(same.every((row) => !row.differs), JSON.stringify(same));
  });

  it("ranks a pair recorded from the publish above one the sampling cut, and lines steps up in a message's life order", () => {
    const cut = [frame(0, [event(id(7), "acked", 50)])];
    const a = recordedMessages([...runA, ...cut]);
    const b = recordedMessages([...runB, frame(300, [event(id(7), "delivered", 8_000), event(id(7), "acked", 8_040)])]);
    assert.deepEqual(commonMessageIds(a, b), [id(2), id(1), id(7)]);
    assert.deepEqual(flightDifferences(a.get(id(7))!, b.get(id(7))!).map((row) => row.kind), ["delivered", "acked"]);
  });

  it("names a step only one run has", () => {
    const a = recordedMessages([frame(0, [event(id(1), "published", 0), event(id(1), "acked", 5)])]);
    const b = recordedMessages([frame(0, [event(id(1), "published", 0), event(id(1), "dead-lettered", 9)])]);
    const rows = flightDifferences(a.get(id(1))!, b.get(id(1))!);
    assert.deepEqual(rows.map((row) => [row.kind, row.notes.join("; ")]), [["published", ""], ["acked", "only in A"], ["dead-lettered", "only in B"]]);
  });
});

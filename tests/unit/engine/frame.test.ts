// The live frame's message tail: the newest events, within a count and a byte budget per frame.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MessageEvent } from "../../../lib/run/ipc";
import { buildFrame, maxTailPerFrame, tailBytesPerFrame } from "../../../server/engine/frame";

const event = (i: number, detail = ""): MessageEvent => ({ id: `svc/p/${i}`, kind: "processed", at: i, service: "svc", replica: 0, actor: "c", traceId: "0af7651916cd43dd8448eb211c80319c", destination: "orders", detail });

const frameWith = (tail: MessageEvent[]) => buildFrame({
  runId: "r", status: "running", elapsedMs: 0, producers: {}, consumers: {}, rates: { producers: {}, consumers: {} }, windows: {},
  services: {}, snapshot: undefined, ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, tail, droppedSpans: 0,
});

describe("the live frame's tail", () => {
  it("keeps every event of a quiet frame", () => {
    const tail = [event(1), event(2), event(3)];
    assert.deepEqual(frameWith(tail).tail, tail);
  });

  it("keeps the newest events, at most maxTailPerFrame", () => {
    const tail = Array.from({ length: 200 }, (_, i) => event(i));
    const kept = frameWith(tail).tail;
    assert.ok(kept.length <= maxTailPerFrame);
    assert.equal(kept.at(-1)!.id, "svc/p/199");
  });

  it("stays within the byte budget when events are large", () => {
    const tail = Array.from({ length: 50 }, (_, i) => event(i, "x".repeat(400)));
    const kept = frameWith(tail).tail;
    assert.ok(kept.length > 0 && kept.length < maxTailPerFrame, `${kept.length} events`);
    assert.ok(JSON.stringify(kept).length <= tailBytesPerFrame + 20, `${JSON.stringify(kept).length} bytes`);
    assert.equal(kept.at(-1)!.id, "svc/p/49");
  });
});

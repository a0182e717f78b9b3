// The engine's message log: a message's trace is its producer's (the creation context), whichever
// process reported first; a consumer's trace stands in only until the producer's arrives.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MessageEvent } from "../../../lib/run/ipc";
import { createMessageLog } from "../../../server/engine/message-log";

const event = (kind: MessageEvent["kind"], traceId: string | undefined, at: number): MessageEvent => ({
  id: "m-1", kind, at, service: kind === "published" || kind === "confirmed" ? "shop" : "billing", replica: 0, actor: "a", ...(traceId ? { traceId } : {}),
});

describe("message log trace ids", () => {
  it("keeps the producer's trace when the consumer's events arrive first (link propagation)", () => {
    const log = createMessageLog();
    log.add([event("delivered", "consumer-trace", 2), event("acked", "consumer-trace", 3)]);
    assert.equal(log.get("m-1")?.traceId, "consumer-trace", "a consumer's trace until the producer reports");
    log.add([event("published", "producer-trace", 1), event("confirmed", "producer-trace", 4)]);
    assert.equal(log.get("m-1")?.traceId, "producer-trace");
    assert.deepEqual(log.traceIds(5), ["producer-trace"]);
  });

  it("does not let a later event replace the producer's trace", () => {
    const log = createMessageLog();
    log.add([event("published", "producer-trace", 1), event("delivered", "consumer-trace", 2), event("published", "retry-trace", 3)]);
    assert.equal(log.get("m-1")?.traceId, "producer-trace");
  });

  it("takes the first trace id when no producer event carries one", () => {
    const log = createMessageLog();
    log.add([event("published", undefined, 1), event("delivered", "consumer-trace", 2), event("acked", "other", 3)]);
    assert.equal(log.get("m-1")?.traceId, "consumer-trace");
  });
});

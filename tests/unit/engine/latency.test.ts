// The engine's latency book: windows start empty after each frame, the run keeps everything.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as hdr from "hdr-histogram-js";
import { createLatencyBook } from "../../../server/engine/latency";

/** A service process's window: end-to-end values in ms, stored in microseconds. */
function window(valuesMs: number[]) {
  const encode = (values: number[]) => {
    const h = hdr.build({ numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: true });
    for (const v of values) h.recordValue(Math.round(v * 1000));
    return hdr.encodeIntoCompressedBase64(h);
  };
  return { endToEnd: encode(valuesMs), queueWait: encode(valuesMs.map((v) => v / 2)), processing: encode([]) };
}

describe("latency book", () => {
  it("summarizes each frame's window alone, and the run over all frames", () => {
    const book = createLatencyBook();
    book.add("svc/c", window([10, 20, 30]));
    const first = book.takeWindow(["svc/c", "other/c"])["svc/c"]!;
    assert.equal(first.endToEnd.count, 3);
    assert.ok(Math.abs(first.endToEnd.p50 - 20) < 0.1, `p50 ${first.endToEnd.p50}`);
    assert.equal(first.processing.count, 0);

    book.add("svc/c", window([100]));
    const second = book.takeWindow(["svc/c", "other/c"]);
    assert.equal(second["svc/c"]!.endToEnd.count, 1, "the window holds only this frame's values");
    assert.ok(Math.abs(second["svc/c"]!.endToEnd.max - 100) < 0.1);
    assert.equal(second["other/c"]!.endToEnd.count, 0);
    assert.equal(book.takeWindow(["svc/c"])["svc/c"]!.endToEnd.count, 0, "an empty frame gives an empty window");

    const run = book.forRun("svc/c");
    assert.equal(run.endToEnd.count, 4);
    assert.equal(run.queueWait.count, 4);
    assert.equal(book.overall().count, 4);
  });
});

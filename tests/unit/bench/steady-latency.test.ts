// The benchmark's latency after the warm-up: the median frame's p50 and p99 inside the measured
// window, so a start-up backlog (frames of hundreds of ms before the window) does not set it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { steadyLatency } from "../../../bench/lib/measure";

const frame = (at: number, p50: number, p99: number, count = 400) => ({ at, latency: { count, p50, p99 } });

describe("steady-state latency from frames", () => {
  it("takes the median frame's p50 and p99 inside the window, ignoring the warm-up and empty frames", () => {
    const points = [
      frame(0, 500, 540), frame(100, 700, 800), // the warm-up backlog, before the window
      frame(1_000, 2, 8), frame(1_100, 3, 12), frame(1_200, 1, 6), { at: 1_300 }, frame(1_400, 90, 95, 0),
      frame(9_000, 400, 450), // after the window
    ];
    assert.deepEqual(steadyLatency(points, 1_000, 5_000), { p50Ms: 2, p99Ms: 8 });
  });

  it("is undefined when no frame in the window consumed", () => {
    assert.equal(steadyLatency([frame(0, 1, 2), { at: 2_000 }], 1_000, 5_000), undefined);
  });
});

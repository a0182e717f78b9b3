import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredRun } from "../../../lib/runs/history";
import { compareRuns } from "../../../lib/runs/run-diff";

/** A stored run whose report holds only what the diff reads. */
function storedRun(errors: string[]): StoredRun {
  const report = {
    durationMs: 10_000, errors, timeline: [], producers: {}, consumers: {},
    ledger: { confirmed: 10, consumed: 10, lost: 0, duplicated: 0, recovered: 0 },
    latencyMs: { p50: 1, p90: 2, p99: 3, max: 4 },
  };
  return { id: "r", scenario: "s", status: "finished", startedAt: new Date(0).toISOString(), report } as unknown as StoredRun;
}

const errorsRow = (a: StoredRun, b: StoredRun) => compareRuns(a, b).find((row) => row.section === "errors")!;

describe("the headless diff's error count", () => {
  it("leaves out the note a stop writes: a stopped run has no error", () => {
    assert.deepEqual(errorsRow(storedRun(["stopped: by the user"]), storedRun([])), { section: "errors", what: "count", a: "0", b: "0" });
  });

  it("counts every other line", () => {
    assert.deepEqual(errorsRow(storedRun(["stopped: by the user", "payment-service[0] crashed with exit code 1"]), storedRun([])), { section: "errors", what: "count", a: "1", b: "0" });
  });
});

// Event sourcing on the real stack: 1,000 events on a Kafka topic folded into state per sku;
// wiping the projection and replaying from offset 0 rebuilds the same state, field by field,
// and the replay is visible as progress in the frames.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProjectionView } from "../../../lib/run/patterns";
import { stateDifferences } from "../../../lib/scenario/fold";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

describe("event sourcing on the real stack", { timeout: 240_000 }, () => {
  it("after 1,000 events, a wipe and a replay from offset 0 rebuild the same state, with visible progress; a chosen offset or time rebuilds only what came after", async () => {
    const topic = unique("inventory-events");
    const engine = testEngine();
    const run = await engine.start(loadScenario(`
version: 1
name: ${unique("es")}
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [{ name: ${topic}, partitions: 3 }] } }
services:
  - name: warehouse
    producers:
      - name: movements
        broker: kafka
        to: { topic: ${topic}, key: "{{sku}}" }
        rate: { burst: 1000 }
        payload: { type: "{{pick stock-added stock-added stock-reserved stock-released}}", sku: "{{pick a b c d e f g h}}", quantity: "{{randomInt 1 10}}" }
  - name: inventory
    projections:
      - name: stock
        broker: kafka
        from: { topic: ${topic} }
        key: sku
        work: { ms: 2 }
        fold:
          stock-added: { onHand: { add: quantity }, events: { add: 1 } }
          stock-reserved: { onHand: { subtract: quantity }, reserved: { add: quantity }, events: { add: 1 } }
          stock-released: { onHand: { add: quantity }, reserved: { subtract: quantity }, events: { add: 1 } }
`), { durationMs: 120_000 });
    const projection = () => run.latestFrame().patterns?.projections?.["inventory/stock"];
    const caughtUp = (p: ProjectionView | undefined) =>
      p && p.applied >= 1000 && p.partitions.length === 3 && p.partitions.every((part) => part.high > 0 || part.position === 0) && p.partitions.reduce((n, part) => n + part.high, 0) === 1000 && p.partitions.every((part) => part.position >= part.high) ? p : undefined;
    try {
      const before = await waitFor(() => caughtUp(projection()), { timeoutMs: 60_000, intervalMs: 100, description: "the projection to fold all 1,000 events" });
      assert.equal(before.applied, 1000);
      assert.equal(before.replayed, 0);
      assert.equal(Object.values(before.state).reduce((n, entry) => n + Number(entry.events ?? 0), 0), 1000, "every event counted once");

      const progress: number[] = [];
      run.events.on("frame", (frame) => {
        const replay = frame.patterns?.projections?.["inventory/stock"]?.replay;
        if (replay) progress.push(replay.progress);
      });
      assert.equal(run.replay("inventory", "stock", { offset: 0 }), 1, "one process replays");
      const after = await waitFor(() => {
        const p = projection();
        return p?.replay?.done && p.replay.from === "offset 0" ? p : undefined;
      }, { timeoutMs: 60_000, intervalMs: 100, description: "the replay to finish" });

      assert.deepEqual(stateDifferences(before.state, after.state), [], "the same state, field by field");
      assert.deepEqual(after.state, before.state);
      assert.equal(after.replayed, 1000, "every event was applied again");
      assert.equal(after.replay?.applied, 1000);
      assert.deepEqual(after.replay?.partitions.map((p) => [p.start, p.position === p.end]), before.partitions.map(() => [0, true]));
      assert.ok(progress.some((value) => value > 0 && value < 1), `progress was visible between 0 and 1: ${progress.slice(0, 30).map((v) => v.toFixed(2)).join(" ")}`);
      assert.equal(progress.at(-1), 1);

      // From a chosen offset the state holds only what happened since; from a time after the last event, nothing.
      const at = Date.now();
      run.replay("inventory", "stock", { offset: 100 });
      const partial = await waitFor(() => {
        const p = projection();
        return p?.replay?.done && p.replay.from === "offset 100" ? p : undefined;
      }, { timeoutMs: 60_000, intervalMs: 100, description: "the replay from offset 100" });
      const expected = 1000 - before.partitions.reduce((n, part) => n + Math.min(100, part.high), 0);
      assert.equal(Object.values(partial.state).reduce((n, entry) => n + Number(entry.events ?? 0), 0), expected);
      run.replay("inventory", "stock", { time: at });
      const empty = await waitFor(() => {
        const p = projection();
        return p?.replay?.done && p.replay.from === new Date(at).toISOString() ? p : undefined;
      }, { timeoutMs: 30_000, intervalMs: 100, description: "the replay from a time after the last event" });
      assert.deepEqual(empty.state, {});
    } finally {
      await run.stop();
    }
    const report = await run.done();
    assert.deepEqual(report.ledger, { confirmed: 1000, consumed: 1000, lost: 0, duplicated: 0, recovered: 0 }, "a replay is not a duplicate delivery");
    assert.equal(report.patterns?.projections?.["inventory/stock"]?.replay?.done, true);
  });
});

// A projection's declarative fold: each operation, skipped events, nested fields, and the property
// event sourcing relies on: folding the same log again gives the same state.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProjectionState } from "../../../lib/run/patterns";
import { applyEvent, readField, stateDifferences } from "../../../lib/scenario/fold";
import type { Projection } from "../../../lib/scenario/patterns";

const inventory: Pick<Projection, "key" | "typeField" | "fold"> = {
  key: "sku",
  typeField: "type",
  fold: {
    "stock-added": { onHand: { add: "quantity" }, events: { add: 1 } },
    "stock-reserved": { onHand: { subtract: "quantity" }, reserved: { add: "quantity" }, events: { add: 1 } },
    "stock-released": { onHand: { add: "quantity" }, reserved: { subtract: "quantity" }, events: { add: 1 } },
    "price-set": { price: { set: "price" }, highest: { max: "price" }, lowest: { min: "price" }, active: { set: true } },
  },
};

describe("projection fold", () => {
  it("adds, subtracts and counts per key", () => {
    const state: ProjectionState = {};
    for (const event of [
      { type: "stock-added", sku: "apple", quantity: 10 },
      { type: "stock-reserved", sku: "apple", quantity: 3 },
      { type: "stock-released", sku: "apple", quantity: 1 },
      { type: "stock-added", sku: "pear", quantity: "4" },
    ]) assert.deepEqual(applyEvent(state, event, inventory), { applied: true, key: event.sku });
    assert.deepEqual(state, { apple: { onHand: 8, reserved: 2, events: 3 }, pear: { onHand: 4, events: 1 } });
  });

  it("sets, keeps the max and the min", () => {
    const state: ProjectionState = {};
    for (const price of [5, 9, 2]) applyEvent(state, { type: "price-set", sku: "fig", price }, inventory);
    assert.deepEqual(state.fig, { price: 2, highest: 9, lowest: 2, active: true });
  });

  it("skips events it has no fold for, or without a key, and says why", () => {
    const state: ProjectionState = {};
    assert.deepEqual(applyEvent(state, { type: "stock-counted", sku: "apple" }, inventory), { applied: false, reason: 'no fold for event type "stock-counted"' });
    assert.deepEqual(applyEvent(state, { type: "stock-added", quantity: 1 }, inventory), { applied: false, reason: 'the event has no "sku"' });
    assert.deepEqual(applyEvent(state, "not json", inventory), { applied: false, reason: "the event is not a JSON object" });
    assert.deepEqual(state, {});
  });

  it("ignores a non-numeric operand instead of poisoning the sum", () => {
    const state: ProjectionState = {};
    applyEvent(state, { type: "stock-added", sku: "kiwi", quantity: 2 }, inventory);
    applyEvent(state, { type: "stock-added", sku: "kiwi", quantity: "lots" }, inventory);
    assert.deepEqual(state.kiwi, { onHand: 2, events: 2 });
  });

  it("reads nested fields with dots", () => {
    assert.equal(readField({ data: { quantity: 3 } }, "data.quantity"), 3);
    assert.equal(readField({ "data.quantity": 4, data: { quantity: 3 } }, "data.quantity"), 4);
    assert.equal(readField({ data: 1 }, "data.quantity"), undefined);
  });

  it("rebuilds the same state from the same log, whatever the interleaving of partitions", () => {
    const skus = ["a", "b", "c", "d"];
    const types = ["stock-added", "stock-added", "stock-reserved", "stock-released"];
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const log = Array.from({ length: 1_000 }, () => ({ type: types[Math.floor(random() * 4)], sku: skus[Math.floor(random() * 4)], quantity: Math.round(random() * 10 * 100) / 100 }));
    const first: ProjectionState = {};
    for (const event of log) applyEvent(first, event, inventory);
    // A replay reads each partition in order but interleaves partitions differently.
    const partitions = [0, 1].map((p) => log.filter((e) => skus.indexOf(e.sku!) % 2 === p));
    const again: ProjectionState = {};
    for (const event of [...partitions[1]!, ...partitions[0]!]) applyEvent(again, event, inventory);
    assert.deepEqual(stateDifferences(first, again), []);
    assert.equal(Object.values(first).reduce((n, s) => n + Number(s.events), 0), 1_000);
  });

  it("lists differences field by field", () => {
    assert.deepEqual(stateDifferences({ a: { x: 1, y: 2 } }, { a: { x: 1, y: 3 }, b: { x: 0 } }), ["a.y: 2 ≠ 3", "b.x: undefined ≠ 0"]);
  });
});

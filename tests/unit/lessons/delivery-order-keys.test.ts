// deliveryOrder per key on RabbitMQ: a message's key is the routing key it was first delivered
// with, so a retried copy (back through a retry queue, with that queue's routing key) still counts
// under its customer, and a retry that overtakes a later order of the same customer is caught.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CheckOf } from "../../../lib/lessons/checks";
import { evaluateCheck } from "../../../lib/lessons/evaluate";
import type { MessageEvent } from "../../../lib/run/ipc";
import { events, fakeRun } from "./fixtures";

const consumer = "worker/process";
const perKey = (expect: "ordered" | "reordered"): CheckOf<"deliveryOrder"> => ({ kind: "deliveryOrder", consumer, per: "key", expect, minMessages: 4 });
const customer = (seq: number) => `customer.${seq % 2 === 0 ? "even" : "odd"}`;

/** Orders 1..6 delivered with their customer's routing key; `retried` come back later through the retry queue. */
function log(processedOrder: number[], retried: number[]): MessageEvent[] {
  const first = events("delivered", consumer, [1, 2, 3, 4, 5, 6], (seq) => ({ routingKey: customer(seq) }));
  const again = events("delivered", consumer, retried, () => ({ routingKey: "orders", at: 2000 }));
  const processed = events("processed", consumer, processedOrder, () => ({})).map((e, i) => ({ ...e, at: 3000 + i }));
  return [...first, ...again, ...processed];
}

describe("deliveryOrder per key with RabbitMQ routing keys", () => {
  it("sees a retried order processed after a later order of the same customer", () => {
    // Order 2 failed, went through the retry queue and was processed after order 4 (same customer).
    const run = fakeRun({ events: log([1, 3, 4, 5, 2, 6], [2]) });
    const reordered = evaluateCheck(perKey("reordered"), { run, queues: {}, deadLetters: {}, traces: {} }, "order");
    assert.equal(reordered.state, "pass", reordered.detail);
    assert.match(reordered.detail, /1 of 6 messages processed by worker\/process came after a later one within a key \(#2 after #4\)/);
    const ordered = evaluateCheck(perKey("ordered"), { run, queues: {}, deadLetters: {}, traces: {} }, "order");
    assert.equal(ordered.state, "fail");
  });

  it("keeps each customer's order when a retry only overtakes other customers' orders", () => {
    // Order 2 was processed after 3 and 5 (odd customer) but before 4 and 6 (its own customer).
    const run = fakeRun({ events: log([1, 3, 5, 2, 4, 6], [2]) });
    const ordered = evaluateCheck(perKey("ordered"), { run, queues: {}, deadLetters: {}, traces: {} }, "order");
    assert.equal(ordered.state, "pass", ordered.detail);
    assert.match(ordered.detail, /all 6 messages processed by worker\/process came in send order within a key/);
    const perProducer = evaluateCheck({ ...perKey("ordered"), per: "producer" }, { run, queues: {}, deadLetters: {}, traces: {} }, "order");
    assert.equal(perProducer.state, "fail", "across customers the retry did reorder");
  });

  it("fails, saying how many it saw, before enough messages were processed", () => {
    const run = fakeRun({ events: log([1, 3], []) });
    const result = evaluateCheck(perKey("reordered"), { run, queues: {}, deadLetters: {}, traces: {} }, "order");
    assert.equal(result.state, "partial");
    assert.match(result.detail, /2 message\(s\) processed .* needs 4/);
  });
});

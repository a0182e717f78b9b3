// The senders' shared wait: a change wakes every waiter once, and settling ends when nothing is in
// flight (even without a signal), or at the deadline with false.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChangeSignal, settleInFlight } from "../../../server/brokers/in-flight";

test("a signal wakes every waiter, and a later waiter waits for the next signal", async () => {
  const changes = createChangeSignal();
  let woken = 0;
  const first = [changes.changed(), changes.changed()].map((wait) => wait.then(() => (woken += 1)));
  changes.signal();
  await Promise.all(first);
  assert.equal(woken, 2);
  let late = false;
  void changes.changed().then(() => (late = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(late, false, "no signal since it started waiting");
  changes.signal();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(late, true);
});

test("settling returns true as soon as the last send is signalled", async () => {
  const changes = createChangeSignal();
  let inFlight = 2;
  setTimeout(() => { inFlight -= 1; changes.signal(); }, 10);
  setTimeout(() => { inFlight -= 1; changes.signal(); }, 20);
  const started = Date.now();
  assert.equal(await settleInFlight(() => inFlight, changes, 5_000), true);
  assert.ok(Date.now() - started < 1_000, "it did not wait for the deadline");
});

test("a count that drops without a signal is still seen within about 100 ms", async () => {
  const changes = createChangeSignal();
  let inFlight = 1;
  setTimeout(() => { inFlight = 0; }, 20);
  const started = Date.now();
  assert.equal(await settleInFlight(() => inFlight, changes, 5_000), true);
  assert.ok(Date.now() - started < 1_000, `seen after ${Date.now() - started} ms`);
});

test("at the deadline with messages still in flight, settling returns false", async () => {
  const started = Date.now();
  assert.equal(await settleInFlight(() => 3, createChangeSignal(), 250), false);
  assert.ok(Date.now() - started >= 240, "it waited for the whole timeout");
});

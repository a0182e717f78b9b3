// The token bucket against command floods: a burst, then a steady rate, per key, and the refusal's words.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCommandLimit, rateLimitedPayload } from "../../../server/classroom/command-limit";

describe("command limit", () => {
  test("allows a burst, then the rate, each key on its own", () => {
    let clock = 0;
    const limit = createCommandLimit({ burst: 3, perSecond: 2, now: () => clock });
    for (let i = 0; i < 3; i++) assert.equal(limit.take("a"), undefined, `command ${i + 1} of the burst`);
    assert.equal(limit.take("a"), 1, "the fourth at once waits a second");
    assert.equal(limit.take("b"), undefined, "another learner has a bucket of their own");
    clock = 500;
    assert.equal(limit.take("a"), undefined, "half a second gives back one token at 2 a second");
    assert.equal(limit.take("a"), 1);
    clock = 60_000;
    for (let i = 0; i < 3; i++) assert.equal(limit.take("a"), undefined, "a full bucket again, never more than the burst");
    assert.notEqual(limit.take("a"), undefined);
  });

  test("says the code, the limit and when to retry", () => {
    const payload = rateLimitedPayload("commands", 2);
    assert.equal(payload.code, "RATE_LIMITED");
    assert.equal(payload.retriable, true);
    assert.equal(payload.retryAfterSeconds, 2);
    assert.equal(payload.message, "Too many commands: at most 10 a second (40 at once). Wait 2 s and try again; your runs and the class carry on.");
  });
});

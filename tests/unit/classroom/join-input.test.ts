// The join code (generated readable, compared forgivingly) and the display name's rules; the per-address limiter.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { codeMatches, displayNameSchema, newClassCode } from "../../../server/classroom/join-input";
import { createRateLimiter } from "../../../server/classroom/rate-limit";

describe("join code", () => {
  test("a new code is two groups of four unambiguous characters, and differs each time", () => {
    const codes = new Set(Array.from({ length: 50 }, () => newClassCode()));
    for (const code of codes) assert.match(code, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    assert.ok(codes.size > 45);
  });

  test("matches regardless of case, spaces and dashes; anything else is refused", () => {
    assert.equal(codeMatches("k7pm 4qxd", "K7PM-4QXD"), true);
    assert.equal(codeMatches("K7PM4QXD", "K7PM-4QXD"), true);
    for (const wrong of ["K7PM-4QXE", "", "K7PM", 12345678, undefined, null, { code: "K7PM-4QXD" }, "K7PM-4QXD".repeat(20)]) {
      assert.equal(codeMatches(wrong, "K7PM-4QXD"), false, String(wrong));
    }
  });
});

describe("display name", () => {
  test("is trimmed and its runs of spaces collapsed", () => {
    assert.equal(displayNameSchema.parse("  Ada   Lovelace "), "Ada Lovelace");
    assert.equal(displayNameSchema.parse("Zoë O'Brien-Łukasz 李"), "Zoë O'Brien-Łukasz 李");
  });

  test("empty, too long, not a string, control or invisible characters are refused with what to do", () => {
    const cases: Array<[unknown, RegExp]> = [
      ["   ", /is empty/],
      ["x".repeat(41), /longer than 40/],
      [undefined, /is missing/],
      [42, /is missing/],
      ["Ada\u0000", /control or invisible/],
      ["Ada\u001b[31m", /control or invisible/],
      ["Ad\u200Ba", /control or invisible/],
      ["\u202Eadmin", /control or invisible/],
    ];
    for (const [input, message] of cases) {
      const parsed = displayNameSchema.safeParse(input);
      assert.equal(parsed.success, false, JSON.stringify(input));
      assert.match(parsed.error!.issues[0]!.message, message);
    }
  });
});

describe("rate limiter", () => {
  test("allows `limit` hits per window per key, then says how long to wait", () => {
    let clock = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => clock });
    for (let i = 0; i < 3; i++) assert.equal(limiter.hit("a"), undefined);
    assert.equal(limiter.hit("b"), undefined);
    clock = 15_000;
    assert.equal(limiter.hit("a"), 45);
    assert.equal(limiter.retryAfter("a"), 45);
    assert.equal(limiter.retryAfter("b"), undefined);
    clock = 60_000;
    assert.equal(limiter.retryAfter("a"), undefined);
    assert.equal(limiter.hit("a"), undefined);
  });

  test("retryAfter blocks once one more attempt would pass the limit", () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now: () => 0 });
    limiter.hit("a");
    assert.equal(limiter.retryAfter("a"), undefined);
    limiter.hit("a");
    assert.equal(limiter.retryAfter("a"), 1);
  });
});

// The session cookie: signed, tamper-evident, expiring, HttpOnly and SameSite=Strict.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { sessionCookie, signSession, verifySession } from "../../../server/classroom/session";

const secret = "a".repeat(43);
const now = 1_800_000_000_000;

describe("classroom session", () => {
  test("a signed session verifies to its learner until it expires", () => {
    const value = signSession("learner-one", now + 60_000, secret);
    assert.deepEqual(verifySession(value, secret, now), { ok: true, learnerId: "learner-one", expiresAt: now + 60_000 });
    assert.deepEqual(verifySession(value, secret, now + 60_000), { ok: false, reason: "expired" });
  });

  test("another secret, an edited payload or signature, and junk are invalid", () => {
    const value = signSession("learner-one", now + 60_000, secret);
    assert.deepEqual(verifySession(value, "b".repeat(43), now), { ok: false, reason: "invalid" });
    const [payload, signature] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ l: "learner-two", e: now + 60_000 })).toString("base64url");
    assert.deepEqual(verifySession(`${forged}.${signature}`, secret, now), { ok: false, reason: "invalid" });
    const extended = Buffer.from(JSON.stringify({ l: "learner-one", e: now + 10 ** 9 })).toString("base64url");
    assert.deepEqual(verifySession(`${extended}.${signature}`, secret, now), { ok: false, reason: "invalid" });
    assert.deepEqual(verifySession(`${payload}.${signature.slice(0, -2)}`, secret, now), { ok: false, reason: "invalid" });
    for (const junk of ["", "x", "a.b.c", `${payload}.`, `.${signature}`]) assert.equal(verifySession(junk, secret, now).ok, false, junk);
    assert.deepEqual(verifySession(undefined, secret, now), { ok: false, reason: "missing" });
  });

  test("a payload signed right but of the wrong shape is invalid", () => {
    const payload = Buffer.from(JSON.stringify({ l: 42, e: "soon" })).toString("base64url");
    const signature = createHmac("sha256", secret).update(payload).digest("base64url");
    assert.deepEqual(verifySession(`${payload}.${signature}`, secret, now), { ok: false, reason: "invalid" });
  });

  test("the cookie is HttpOnly, SameSite=Strict, scoped to the site, with a Max-Age; Secure over TLS", () => {
    const cookie = sessionCookie("v.s", 12 * 3600_000, false);
    assert.match(cookie, /^brokerlab_session=v\.s; /);
    for (const attribute of ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"]) assert.ok(cookie.split("; ").includes(attribute), attribute);
    assert.ok(!cookie.includes("Secure"));
    assert.ok(sessionCookie("v.s", 1000, true).endsWith("; Secure"));
  });
});

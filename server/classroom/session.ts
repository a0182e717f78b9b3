// A learner's session in classroom mode: a cookie carrying the learner id and an expiry, signed
// with HMAC-SHA256 under the server's secret, so the browser can hold it but not forge or extend it.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const sessionCookieName = "brokerlab_session";
/** A class lasts a school day; after that the learner joins again (and keeps their id if the cookie is still valid). */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export type SessionCheck = { ok: true; learnerId: string; expiresAt: number } | { ok: false; reason: "missing" | "invalid" | "expired" };

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

function signature(payload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/** A fresh secret for a server that was not given BROKERLAB_SESSION_SECRET. */
export const newSessionSecret = () => randomBytes(32).toString("base64url");

/** The cookie value: base64url(JSON { l: learnerId, e: expiresAt }) "." base64url(HMAC). */
export function signSession(learnerId: string, expiresAt: number, secret: string): string {
  const payload = base64url(JSON.stringify({ l: learnerId, e: expiresAt }));
  return `${payload}.${base64url(signature(payload, secret))}`;
}

export function verifySession(value: string | undefined, secret: string, now: number): SessionCheck {
  if (!value) return { ok: false, reason: "missing" };
  const [payload, presented, extra] = value.split(".");
  if (!payload || !presented || extra !== undefined) return { ok: false, reason: "invalid" };
  const expected = signature(payload, secret);
  const given = Buffer.from(presented, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const { l: learnerId, e: expiresAt } = (fields ?? {}) as { l?: unknown; e?: unknown };
  if (typeof learnerId !== "string" || typeof expiresAt !== "number") return { ok: false, reason: "invalid" };
  if (expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, learnerId, expiresAt };
}

/** Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function sessionCookie(value: string, maxAgeMs: number, secure: boolean): string {
  return `${sessionCookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? "; Secure" : ""}`;
}

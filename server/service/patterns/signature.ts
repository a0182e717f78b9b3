// Webhook signatures: HMAC-SHA256 of the exact body bytes with the run's secret, sent as
// `X-Brokerlab-Signature: sha256=<hex>` and compared in constant time by the receiver.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export type SignatureCheck = "valid" | "invalid" | "missing";

export function checkSignature(secret: string, body: Buffer, header: string | string[] | undefined): SignatureCheck {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return "missing";
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(value.trim());
  return given.length === expected.length && timingSafeEqual(given, expected) ? "valid" : "invalid";
}

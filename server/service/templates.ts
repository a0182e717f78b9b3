// Compiled message templates of a producer or forward: the body (payload rendered, JSON, padded
// to sizeBytes) and the headers, which may use the payload's fields. Each broker kind's client
// driver compiles its own targets (key, routing key, group id) into a CompiledTarget.
import { compilePayload, compileString } from "../../lib/scenario/template";
import type { RenderContext } from "../../lib/scenario/template";
import type { Destination } from "./clients";

export type HeaderValue = string | number | boolean;

export const fieldsOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * JSON body, padded to `sizeBytes` while staying valid JSON: an object gets a last `_pad` field,
 * anything else trailing spaces. One JSON.stringify per message; the pad is appended as text.
 */
export function encodeBody(payload: unknown, sizeBytes?: number): Buffer {
  const text = JSON.stringify(payload ?? null);
  if (sizeBytes === undefined) return Buffer.from(text);
  const length = Buffer.byteLength(text);
  if (length >= sizeBytes) return Buffer.from(text);
  if (!payload || typeof payload !== "object" || Array.isArray(payload) || !text.startsWith("{")) return Buffer.from(text + " ".repeat(sizeBytes - length));
  if (Object.hasOwn(payload, "_pad")) {
    // Rare: the payload names the field itself; its value is replaced, in place.
    const base = Buffer.byteLength(JSON.stringify({ ...payload, _pad: "" }));
    return Buffer.from(JSON.stringify({ ...payload, _pad: "x".repeat(Math.max(0, sizeBytes - base)) }));
  }
  // `{...}` becomes `{...,"_pad":"xxx"}`: the same text JSON.stringify gives for { ...payload, _pad }.
  const open = text === "{}" ? "{" : `${text.slice(0, -1)},`;
  const base = Buffer.byteLength(open) + '"_pad":""}'.length;
  return Buffer.from(`${open}"_pad":"${"x".repeat(Math.max(0, sizeBytes - base))}"}`);
}

export function decodeBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString());
  } catch {
    return body.toString();
  }
}

/** A `to` compiled for its broker kind: where each message goes. */
export interface CompiledTarget<D = Destination> {
  render(ctx: RenderContext): D;
}

export function compileHeaders(headers: Record<string, HeaderValue>, fields: readonly string[]): (ctx: RenderContext) => Record<string, HeaderValue> {
  const compiled = Object.entries(headers).map(([name, value]) => [name, typeof value === "string" ? compileString(value, fields) : () => value] as const);
  return (ctx) => Object.fromEntries(compiled.map(([name, render]) => [name, render(ctx)]));
}

export { compilePayload };

// Payload, key, routing-key and header templates as small expression trees, so each language
// emitter writes them in its own syntax ({{seq}} → `seq`, {{pick a b}} → `pick(["a", "b"])`).
import { parseTemplate } from "../scenario/template";
import type { PlaceholderName } from "../scenario/template";

export type Expr =
  /** A JSON value written as is. */
  | { kind: "value"; value: unknown }
  | { kind: "placeholder"; name: PlaceholderName; args: string[] }
  /** A top-level field of the payload being sent (keys, headers) or consumed (forwards). */
  | { kind: "field"; name: string }
  /** Text with placeholders: the parts joined as one string. */
  | { kind: "concat"; parts: Expr[] }
  | { kind: "object"; entries: [string, Expr][] }
  | { kind: "array"; items: Expr[] };

/** What the run-only placeholders stand for outside a run. */
export interface ConstantContext {
  service: string;
  producer: string;
}

function constant(name: PlaceholderName, ctx: ConstantContext): Expr | undefined {
  switch (name) {
    case "service": return { kind: "value", value: ctx.service };
    case "producer": return { kind: "value", value: ctx.producer };
    case "replica": return { kind: "value", value: 0 };
    case "runId": return { kind: "value", value: "local" };
    default: return undefined;
  }
}

/** A template string; `fields` names the payload fields it may use ("*": any). Invalid templates stay literal text. */
export function templateExpr(source: string, ctx: ConstantContext, fields: readonly string[] = []): Expr {
  const parsed = parseTemplate(source, fields);
  if ("error" in parsed) return { kind: "value", value: source };
  const parts: Expr[] = parsed.parts.map((part) => {
    if (part.kind === "text") return { kind: "value", value: part.text };
    if (part.kind === "field") return { kind: "field", name: part.name };
    return constant(part.name, ctx) ?? { kind: "placeholder", name: part.name, args: part.args };
  });
  if (parts.length === 0) return { kind: "value", value: "" };
  // Like the engine: a template that is exactly one placeholder keeps its type (a number stays a number).
  if (parts.length === 1) return parts[0]!;
  return { kind: "concat", parts };
}

export function payloadExpr(payload: unknown, ctx: ConstantContext, fields: readonly string[] = []): Expr {
  if (typeof payload === "string") return templateExpr(payload, ctx, fields);
  if (Array.isArray(payload)) return { kind: "array", items: payload.map((item) => payloadExpr(item, ctx, fields)) };
  if (payload && typeof payload === "object") {
    return { kind: "object", entries: Object.entries(payload).map(([key, value]) => [key, payloadExpr(value, ctx, fields)]) };
  }
  return { kind: "value", value: payload ?? null };
}

/** Every placeholder an expression uses, so an emitter imports and defines only what it needs. */
export function placeholdersIn(expr: Expr | undefined, out = new Set<PlaceholderName>()): Set<PlaceholderName> {
  if (!expr) return out;
  switch (expr.kind) {
    case "placeholder": out.add(expr.name); break;
    case "concat": expr.parts.forEach((part) => placeholdersIn(part, out)); break;
    case "object": expr.entries.forEach(([, value]) => placeholdersIn(value, out)); break;
    case "array": expr.items.forEach((item) => placeholdersIn(item, out)); break;
    default: break;
  }
  return out;
}

/** True when the expression has no placeholder or field: the same value every time. */
export function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case "value": return true;
    case "concat": return expr.parts.every(isConstant);
    case "object": return expr.entries.every(([, value]) => isConstant(value));
    case "array": return expr.items.every(isConstant);
    default: return false;
  }
}

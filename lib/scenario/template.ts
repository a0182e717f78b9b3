// Payload templates: a closed set of placeholders, never an expression language.
// A template is parsed once (and validated) and rendered for every message.

export type PlaceholderName =
  | "seq" | "uuid" | "now" | "timestamp" | "randomInt" | "randomFloat" | "pick" | "service" | "producer" | "replica" | "runId";

interface PlaceholderSpec {
  /** Number of arguments: exact, or [min, max]. */
  args: number | [number, number];
  numeric: boolean;
  usage: string;
}

export const placeholders: Record<PlaceholderName, PlaceholderSpec> = {
  seq: { args: 0, numeric: true, usage: "{{seq}}: the message's sequence number (1, 2, 3, …)" },
  uuid: { args: 0, numeric: false, usage: "{{uuid}}: a random UUID" },
  now: { args: 0, numeric: false, usage: "{{now}}: the send time as an ISO-8601 string" },
  timestamp: { args: 0, numeric: true, usage: "{{timestamp}}: the send time in epoch milliseconds" },
  randomInt: { args: 2, numeric: true, usage: "{{randomInt A B}}: a whole number from A to B" },
  randomFloat: { args: 2, numeric: true, usage: "{{randomFloat A B}}: a number from A to B with two decimals" },
  pick: { args: [1, 64], numeric: false, usage: "{{pick a b c}}: one of the given words" },
  service: { args: 0, numeric: false, usage: "{{service}}: the sending service's name" },
  producer: { args: 0, numeric: false, usage: "{{producer}}: the producer's name" },
  replica: { args: 0, numeric: true, usage: "{{replica}}: the replica number of the sending process" },
  runId: { args: 0, numeric: false, usage: "{{runId}}: the run's id" },
};

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "placeholder"; name: PlaceholderName; args: string[] }
  | { kind: "field"; name: string };

export interface RenderContext {
  seq: number;
  service: string;
  producer: string;
  replica: number;
  runId: string;
  now: number;
  /** Fields of the rendered payload, for keys and headers such as "{{customerId}}". */
  fields?: Record<string, unknown>;
  random?: () => number;
}

const token = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Parses a template string. `fields` lists payload field names that may be referenced
 * (for keys and headers); returns the parts, or the problems in plain words.
 */
export function parseTemplate(source: string, fields: readonly string[] = []): { parts: TemplatePart[] } | { error: string } {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of source.matchAll(token)) {
    if (match.index > last) parts.push({ kind: "text", text: source.slice(last, match.index) });
    last = match.index + match[0].length;
    const [name = "", ...args] = match[1]!.split(/\s+/).filter(Boolean);
    // Own names only: "toString" or "constructor" must not match what every object inherits.
    if (Object.hasOwn(placeholders, name)) {
      const spec = placeholders[name as PlaceholderName];
      const [min, max] = typeof spec.args === "number" ? [spec.args, spec.args] : spec.args;
      if (args.length < min || args.length > max) return { error: `placeholder {{${match[1]}}} takes ${describeArgs(spec.args)}; use ${spec.usage}` };
      if ((name === "randomInt" || name === "randomFloat") && !numericRange(args, name === "randomInt")) {
        return { error: `placeholder {{${match[1]}}} needs two ${name === "randomInt" ? "whole numbers" : "numbers"} A ≤ B; use ${spec.usage}` };
      }
      parts.push({ kind: "placeholder", name: name as PlaceholderName, args });
    } else if (args.length === 0 && (fields.includes(name) || (fields.includes("*") && /^[A-Za-z_][\w.-]*$/.test(name)))) {
      parts.push({ kind: "field", name });
    } else {
      const known = [...Object.keys(placeholders), ...fields.filter((f) => f !== "*")].map((n) => `{{${n}}}`).join(", ");
      return { error: `unknown placeholder {{${match[1]}}}; known placeholders are ${known}` };
    }
  }
  if (source.slice(last).includes("{{")) return { error: `unclosed placeholder in "${source}"; write {{name}}` };
  if (last < source.length) parts.push({ kind: "text", text: source.slice(last) });
  return { parts };
}

function describeArgs(args: number | [number, number]): string {
  if (typeof args === "number") return args === 0 ? "no arguments" : `${args} arguments`;
  return `${args[0]} to ${args[1]} arguments`;
}

function numericRange(args: string[], integers: boolean): boolean {
  const [a, b] = args.map(Number);
  const valid = integers ? Number.isSafeInteger : Number.isFinite;
  return valid(a) && valid(b) && a! <= b!;
}

function renderPlaceholder(part: Extract<TemplatePart, { kind: "placeholder" }>, ctx: RenderContext): string | number {
  const random = ctx.random ?? Math.random;
  switch (part.name) {
    case "seq": return ctx.seq;
    case "uuid": return globalThis.crypto.randomUUID();
    case "now": return new Date(ctx.now).toISOString();
    case "timestamp": return Math.round(ctx.now);
    case "randomInt": {
      const [a, b] = part.args.map(Number) as [number, number];
      return Math.floor(a + random() * (b - a + 1));
    }
    case "randomFloat": {
      const [a, b] = part.args.map(Number) as [number, number];
      return Math.round((a + random() * (b - a)) * 100) / 100;
    }
    case "pick": return part.args[Math.floor(random() * part.args.length)]!;
    case "service": return ctx.service;
    case "producer": return ctx.producer;
    case "replica": return ctx.replica;
    case "runId": return ctx.runId;
  }
}

/** A field of the payload, never one every object inherits ({{constructor}} of a message without one is empty). */
const fieldOf = (ctx: RenderContext, name: string): unknown => (ctx.fields && Object.hasOwn(ctx.fields, name) ? ctx.fields[name] : undefined);

/** Renders parsed parts. A template that is exactly one numeric placeholder renders as a number. */
export function renderParts(parts: TemplatePart[], ctx: RenderContext): string | number {
  if (parts.length === 1 && parts[0]!.kind !== "text") {
    const only = parts[0]!;
    if (only.kind === "field") return (fieldOf(ctx, only.name) as string | number | undefined) ?? "";
    const value = renderPlaceholder(only, ctx);
    return value;
  }
  return parts
    .map((part) => (part.kind === "text" ? part.text : part.kind === "field" ? String(fieldOf(ctx, part.name) ?? "") : String(renderPlaceholder(part, ctx))))
    .join("");
}

/** Every string inside a JSON-like value, with its path, for validation. */
export function* stringsIn(value: unknown, path: (string | number)[] = []): Generator<[string, (string | number)[]]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsIn(item, [...path, i]);
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key]);
}

/**
 * A payload compiled once: rendering walks the structure and fills each template string.
 * `fields` lets strings name fields of a consumed message ("*": any), as forwards do.
 */
export function compilePayload(payload: unknown, fields: readonly string[] = []): (ctx: RenderContext) => unknown {
  if (typeof payload === "string") {
    const parsed = parseTemplate(payload, fields);
    if ("error" in parsed) throw new Error(parsed.error);
    if (parsed.parts.every((p) => p.kind === "text")) return () => payload;
    return (ctx) => renderParts(parsed.parts, ctx);
  }
  if (Array.isArray(payload)) {
    const items = payload.map((item) => compilePayload(item, fields));
    return (ctx) => items.map((render) => render(ctx));
  }
  if (payload && typeof payload === "object") {
    const entries = Object.entries(payload).map(([key, value]) => [key, compilePayload(value, fields)] as const);
    return (ctx) => Object.fromEntries(entries.map(([key, render]) => [key, render(ctx)]));
  }
  return () => payload;
}

/** A string template (key, header, routing key) that may reference the payload's top-level fields. */
export function compileString(source: string, fields: readonly string[] = []): (ctx: RenderContext) => string {
  const parsed = parseTemplate(source, fields);
  if ("error" in parsed) throw new Error(parsed.error);
  return (ctx) => String(renderParts(parsed.parts, ctx));
}

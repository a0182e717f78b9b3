// The JSON Schema of what a payload template renders to: a value that is exactly one numeric
// placeholder ("{{seq}}") becomes a number, any other string stays a string (see template.ts).
import { parseTemplate, placeholders } from "../scenario/template";
import type { PlaceholderName } from "../scenario/template";

export type JsonSchema = Record<string, unknown>;

const integerPlaceholders = new Set<PlaceholderName>(["seq", "timestamp", "randomInt", "replica"]);

function stringSchema(text: string): JsonSchema {
  const parsed = parseTemplate(text, ["*"]);
  if ("error" in parsed) return { type: "string" };
  const [only, ...rest] = parsed.parts;
  if (only?.kind === "placeholder" && rest.length === 0) {
    if (placeholders[only.name].numeric) {
      const [min, max] = only.args.map(Number);
      const range = only.name.startsWith("random") ? { minimum: min, maximum: max } : {};
      return { type: integerPlaceholders.has(only.name) ? "integer" : "number", ...range };
    }
    if (only.name === "uuid") return { type: "string", format: "uuid" };
    if (only.name === "now") return { type: "string", format: "date-time" };
    // {{pick info info warn}} weighs words by repeating them; a schema lists each once.
    if (only.name === "pick") return { type: "string", enum: [...new Set(only.args)] };
  }
  // A field copied from the consumed message ({{orderId}}) may be of any type.
  if (only?.kind === "field" && rest.length === 0) return {};
  return { type: "string" };
}

/** The JSON Schema of the values a payload template renders to. */
export function payloadSchema(template: unknown): JsonSchema {
  if (typeof template === "string") return stringSchema(template);
  if (typeof template === "number") return { type: Number.isInteger(template) ? "integer" : "number", const: template };
  if (typeof template === "boolean") return { type: "boolean", const: template };
  if (template === null || template === undefined) return { type: "null" };
  if (Array.isArray(template)) return { type: "array", items: template.length > 0 ? payloadSchema(template[0]) : {} };
  const entries = Object.entries(template as Record<string, unknown>);
  return {
    type: "object",
    properties: Object.fromEntries(entries.map(([key, value]) => [key, payloadSchema(value)])),
    required: entries.map(([key]) => key),
  };
}

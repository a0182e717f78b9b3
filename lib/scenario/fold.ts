// A projection's fold: how one event changes the state, declared per event type (see
// projections in docs/patterns.md). Pure, so the service process and the tests share it.
import type { ProjectionState, ProjectionValue } from "../run/patterns";
import type { FoldOp, Projection } from "./patterns";

export type FoldOutcome = { applied: true; key: string } | { applied: false; reason: string };

/** A payload field by name; `a.b` reads a nested field when there is no top-level `a.b`. */
export function readField(payload: Record<string, unknown>, name: string): unknown {
  if (name in payload) return payload[name];
  let node: unknown = payload;
  for (const part of name.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function operand(payload: Record<string, unknown>, value: string | number): number | undefined {
  const raw = typeof value === "number" ? value : readField(payload, value);
  const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function step(current: ProjectionValue | undefined, op: FoldOp, payload: Record<string, unknown>): ProjectionValue | undefined {
  const base = typeof current === "number" ? current : 0;
  if ("set" in op) {
    if (typeof op.set !== "string") return op.set;
    const value = readField(payload, op.set);
    return typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : undefined;
  }
  const [name, value] = Object.entries(op)[0] as ["add" | "subtract" | "max" | "min", string | number];
  const n = operand(payload, value);
  if (n === undefined) return undefined;
  switch (name) {
    case "add": return round(base + n);
    case "subtract": return round(base - n);
    case "max": return typeof current === "number" ? Math.max(current, n) : n;
    case "min": return typeof current === "number" ? Math.min(current, n) : n;
  }
}

/** Keeps sums of decimals readable (0.1 + 0.2 = 0.3), and equal whatever the order of folding. */
const round = (value: number) => Math.round(value * 1e9) / 1e9;

/** Applies one event to `state` in place. */
export function applyEvent(state: ProjectionState, payload: unknown, projection: Pick<Projection, "key" | "typeField" | "fold">): FoldOutcome {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { applied: false, reason: "the event is not a JSON object" };
  const event = payload as Record<string, unknown>;
  const type = readField(event, projection.typeField);
  const ops = typeof type === "string" ? projection.fold[type] : undefined;
  if (!ops) return { applied: false, reason: `no fold for event type ${JSON.stringify(type ?? null)}` };
  const rawKey = readField(event, projection.key);
  if (rawKey === undefined || rawKey === null || typeof rawKey === "object") return { applied: false, reason: `the event has no "${projection.key}"` };
  const key = String(rawKey);
  const entry = (state[key] ??= {});
  for (const [field, op] of Object.entries(ops)) {
    const next = step(entry[field], op, event);
    if (next !== undefined) entry[field] = next;
  }
  return { applied: true, key };
}

/** Field-by-field differences between two states, for checks and tests: `["A.onHand: 3 ≠ 4"]`. */
export function stateDifferences(a: ProjectionState, b: ProjectionState): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[key] ?? {};
    const right = b[key] ?? {};
    for (const field of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (left[field] !== right[field]) out.push(`${key}.${field}: ${String(left[field])} ≠ ${String(right[field])}`);
    }
  }
  return out;
}

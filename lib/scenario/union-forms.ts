// Fields that take one of several object forms ({ queue } | { exchange, routingKey } | { topic }):
// their errors say in words which form is missing or mixed, instead of "matches no allowed form".
import { z } from "zod";

/** One form of a field, told apart from the others by its key. */
export interface UnionForm {
  key: string;
  /** How the form is written, e.g. `{ exchange: …, routingKey: … }`. */
  text: string;
}

/** "a", "a or b", "a, b or c". */
export const orList = (items: readonly string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);

/** What is wrong with `input` for a field of these forms; `what` names the field, e.g. "a target (where the messages go)". */
export function describeForms(input: unknown, what: string, forms: readonly UnionForm[]): string {
  const choices = `one of ${orList(forms.map((f) => f.text))}`;
  if (input === undefined || input === null) return `is missing: needs ${what}, ${choices}`;
  if (typeof input !== "object" || Array.isArray(input)) return `must be ${what}, ${choices}`;
  const used = forms.filter((f) => Object.hasOwn(input, f.key));
  if (used.length > 1) return `mixes ${used.map((f) => `"${f.key}"`).join(" and ")}; write ${choices}`;
  if (used.length === 0) return `names no ${what.replace(/^an? /, "")}: write ${choices}`;
  return `does not match ${used[0]!.text}; see docs/scenario-format.md`;
}

/** A union of object forms whose error explains itself (see describeForms). */
export function formsUnion<const T extends readonly [z.core.SomeType, ...z.core.SomeType[]]>(what: string, forms: readonly UnionForm[], options: T) {
  return z.union(options, { error: (issue) => describeForms(issue.input, what, forms) });
}

// The target and source forms come from the broker descriptors (lib/brokers/index.ts).
export const rateForms: readonly UnionForm[] = [
  { key: "perSecond", text: "{ perSecond: … }" },
  { key: "burst", text: "{ burst: … }" },
  { key: "manual", text: "{ manual: true }" },
];

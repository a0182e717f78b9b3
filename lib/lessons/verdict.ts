// The two shapes most check verdicts take: one number against its goal, or several readings of
// which all, any or n must hold. Shared by every evaluator.
import type { Comparison, Need } from "./checks";
import { compare, opWord } from "./describe";

export type CheckState = "pass" | "partial" | "fail";
export type Verdict = { state: CheckState; detail: string };

/** A measured number against its goal: amber when a growing count is on its way. */
export function measured(actual: number, op: Comparison, value: number, subject: string): Verdict {
  if (compare(actual, op, value)) return { state: "pass", detail: `${subject}: ${actual}` };
  const growing = (op === ">=" || op === ">") && actual > 0;
  return { state: growing ? "partial" : "fail", detail: `${subject} is ${actual}; needs ${opWord(op, value)}` };
}

/** Several readings against one goal: all, any, or at least n must hold. */
export function counted(readings: { key: string; ok: boolean }[], need: Need, noun: string, goal: string): Verdict {
  const ok = readings.filter((r) => r.ok);
  const wanted = need === "all" ? readings.length : need === "any" ? 1 : need;
  const missing = readings.filter((r) => !r.ok).map((r) => r.key);
  if (readings.length > 0 && ok.length >= wanted) return { state: "pass", detail: `${ok.length} of ${readings.length} ${noun} ${goal}` };
  if (readings.length === 0) return { state: "fail", detail: `no ${noun} yet` };
  const tail = missing.length > 0 ? `; not yet: ${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", …" : ""}` : "";
  return { state: ok.length > 0 ? "partial" : "fail", detail: `${ok.length} of ${readings.length} ${noun} ${goal}${tail}` };
}


// Durations in scenarios: a number of milliseconds, or a string like "250ms", "5s", "2m".
import { z } from "zod";

const pattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;
const factor = { ms: 1, s: 1000, m: 60_000 } as const;

export function parseDuration(value: string): number | undefined {
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * factor[match[2] as keyof typeof factor];
}

/** A duration in milliseconds, written as a number or as "250ms" / "5s" / "2m". */
export const durationSchema = z.union([z.number().min(0, "must not be negative"), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a duration; write e.g. 500ms, 5s or 2m` });
    return z.NEVER;
  }
  return ms;
});

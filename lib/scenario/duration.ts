// Durations in scenarios: a number of milliseconds, or a string like "250ms", "5s", "2m".
// Every duration has an upper bound: timers overflow past 2^31-1 ms and would fire at once.
import { z } from "zod";

const pattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;
const factor = { ms: 1, s: 1000, m: 60_000 } as const;

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export function parseDuration(value: string): number | undefined {
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * factor[match[2] as keyof typeof factor];
}

/** "24 h", "90 s", "500 ms": the bound in the words of an error message. */
function describeMs(ms: number): string {
  if (ms % dayMs === 0) return `${ms / dayMs * 24} h`;
  if (ms % hourMs === 0) return `${ms / hourMs} h`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A duration in milliseconds, written as a number or as "250ms" / "5s" / "2m", at most `maxMs`. */
export function durationUpTo(maxMs: number) {
  return z.union([z.number().min(0, "must not be negative"), z.string()]).transform((value, ctx) => {
    const ms = typeof value === "number" ? value : parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `"${String(value)}" is not a duration; write e.g. 500ms, 5s or 2m` });
      return z.NEVER;
    }
    if (ms > maxMs) {
      ctx.addIssue({ code: "custom", message: `${typeof value === "string" ? `"${value}"` : `${value} ms`} is too long; a duration here may be at most ${describeMs(maxMs)} (${maxMs} ms)` });
      return z.NEVER;
    }
    return ms;
  });
}

const longPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const longFactor = { ...factor, h: hourMs, d: dayMs } as const;

/** Like parseDuration, also in hours and days ("12h", "4d"): broker settings such as SQS retention. */
export function parseLongDuration(value: string): number | undefined {
  const match = longPattern.exec(value.trim());
  return match ? Number(match[1]) * longFactor[match[2] as keyof typeof longFactor] : undefined;
}

/** "0s", "15m", "12h", "14d": a bound of a broker setting, in the units it is written in. */
function describeBound(ms: number): string {
  const units: [string, number][] = [["d", dayMs], ["h", hourMs], ["m", 60_000], ["s", 1000]];
  const unit = units.find(([, size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : ms === 0 ? "0s" : `${ms}ms`;
}

/** A broker setting's duration, "30s", "12h" or "4d" (or milliseconds), between `minMs` and `maxMs`. */
export function durationBetween(minMs: number, maxMs: number) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === "number" ? value : parseLongDuration(value);
    const shown = typeof value === "string" ? `"${value}"` : `${value} ms`;
    if (ms === undefined) ctx.addIssue({ code: "custom", message: `"${String(value)}" is not a duration; write e.g. 30s, 15m, 12h or 4d` });
    else if (ms < minMs || ms > maxMs) ctx.addIssue({ code: "custom", message: `${shown} is out of range; it must be between ${describeBound(minMs)} and ${describeBound(maxMs)}` });
    else return ms;
    return z.NEVER;
  });
}

/** Times of a run (fault times, start delays, timeouts): at most 24 h. */
export const durationSchema = durationUpTo(dayMs);

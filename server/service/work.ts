// Simulated processing: how long a message takes (a distribution around `ms`) and whether it
// fails (error rate, or a poison payload that always fails). Declarative; no user code runs.
import type { Consumer } from "../../lib/scenario/schema";

type Work = Consumer["work"];
type Failures = Consumer["failures"];

/** Milliseconds of work for one message: uniform ±jitter, normal (σ = jitter) or exponential (mean = ms). */
export function workMs(work: Work, random: () => number = Math.random): number {
  const { ms, jitterMs, distribution } = work;
  switch (distribution) {
    case "uniform":
      return Math.max(0, ms + (random() * 2 - 1) * jitterMs);
    case "normal": {
      // Box–Muller: two uniforms make one standard normal value.
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, ms + z * jitterMs);
    }
    case "exponential":
      return ms <= 0 ? 0 : -ms * Math.log(1 - random());
  }
}

export function isPoison(failures: Failures, fields: Record<string, unknown>): boolean {
  const poison = failures.poison;
  if (!poison) return false;
  const value = fields[poison.field];
  return value !== undefined && String(value) === String(poison.equals);
}

/** Why this attempt fails, or undefined when it succeeds. */
export function failureOf(failures: Failures, fields: Record<string, unknown>, random: () => number = Math.random): string | undefined {
  if (isPoison(failures, fields)) return `poison message (${failures.poison!.field} = ${String(failures.poison!.equals)})`;
  if (failures.errorRate > 0 && random() < failures.errorRate) return `simulated failure (errorRate ${failures.errorRate})`;
  return undefined;
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

// Python snippets the pattern programs share: where a message goes, the pace of a sending loop,
// simulated work, seconds, and the backoff between retries.
import { pyQuote } from "./escape";
import type { Pace, RabbitRoute } from "./pattern-plan";
import { pyString } from "./python-syntax";
import { lines } from "./source";

/** Scenario text as a string literal, escaped (lib/codegen/escape.ts). */
export const q = pyQuote;
export const pika = ["import pika"];
export const seconds = (ms: number) => String(Math.round(ms) / 1000);

/** The constants, loop condition and wait of a sending loop (requester, task submitter, API caller). */
export function pyPacing(pace: Pace): { constants: string; start: string; condition: string; pace: string } {
  const paced = pace.perSecond !== undefined;
  return {
    constants: lines(paced && `PER_SECOND = ${pace.perSecond}`, pace.count !== undefined && `COUNT = ${pace.count}`),
    start: paced ? "started = time.time()" : "",
    condition: pace.count !== undefined ? "seq <= COUNT" : "True",
    pace: paced ? "time.sleep(max(0, started + seq / PER_SECOND - time.time()))" : "",
  };
}

export const pyPublishTo = (route: RabbitRoute, source: string) => `exchange=${q(route.exchange)}, routing_key=${pyString(route.routingKey, source)}`;

/** The scenario's simulated work as a statement. */
export const pyWorkSleep = (spec: { ms: number; jitterMs: number }) =>
  spec.ms > 0 || spec.jitterMs > 0 ? `time.sleep(max(0, ${spec.ms}${spec.jitterMs > 0 ? ` + random.uniform(-${spec.jitterMs}, ${spec.jitterMs})` : ""}) / 1000)` : "pass  # (no work time in the scenario)";

/** Seconds to wait before retry `attempt` (1 = the first retry); the last value repeats. */
export const pyBackoff = lines(
  "def backoff(delays_ms, attempt):",
  "    return delays_ms[min(attempt, len(delays_ms)) - 1] / 1000 if delays_ms else 0",
);

// TypeScript snippets the pattern programs share: connecting and declaring, where a message goes,
// the pace of a sending loop, simulated work and the backoff between retries.
import { tsLiteral } from "./escape";
import type { Pace, RabbitEndpoint, RabbitRoute } from "./pattern-plan";
import { lines } from "./source";
import { tsRabbitDeclarations } from "./typescript-clients";
import { tsString } from "./typescript-syntax";

/** Scenario values as literals, escaped (lib/codegen/escape.ts). */
export const q = tsLiteral;

export function tsConnect(endpoint: RabbitEndpoint, confirm: boolean): string {
  return lines(
    "const connection = await connect(url);",
    `const channel = await connection.${confirm ? "createConfirmChannel" : "createChannel"}();`,
    tsRabbitDeclarations(endpoint),
  );
}

export const tsPublishTo = (route: RabbitRoute, source: string) => `${q(route.exchange)}, ${tsString(route.routingKey, source)}`;

/** The constants, start, loop condition and wait of a sending loop (requester, task submitter, API caller); empty where the pace needs none. */
export function tsPacing(pace: Pace): { constants: string; start: string; condition: string; pace: string } {
  const paced = pace.perSecond !== undefined;
  return {
    constants: lines(paced && `const perSecond = ${pace.perSecond};`, pace.count !== undefined && `const count = ${pace.count};`),
    start: paced ? "const startedAt = Date.now();" : "",
    condition: pace.count !== undefined ? "seq <= count && !stop.signal.aborted" : "!stop.signal.aborted",
    pace: paced ? "await sleep(startedAt + (seq * 1000) / perSecond - Date.now());" : "",
  };
}

export const tsStopOnSigint = lines("const stop = new AbortController();", 'process.once("SIGINT", () => stop.abort());');

/** Milliseconds of the scenario's simulated work, as an expression. */
export const tsWorkMs = (spec: { ms: number; jitterMs: number }) =>
  spec.ms > 0 || spec.jitterMs > 0 ? `${spec.ms}${spec.jitterMs > 0 ? ` + (Math.random() * 2 - 1) * ${spec.jitterMs}` : ""}` : "0";

/** The wait before retry `attempt` (1 = the first retry); the last value repeats. */
export const tsBackoff = "const backoff = (delays: number[], attempt: number) => (delays.length === 0 ? 0 : delays[Math.min(attempt, delays.length) - 1]!);";

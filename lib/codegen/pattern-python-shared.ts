// Python snippets the pattern programs share: where a message goes, the pace of a sending loop,
// simulated work, seconds, and the backoff between retries.
import { pyQuote } from "./escape";
import type { Pace, PatternPlan, RabbitRoute } from "./pattern-plan";
import { codegenHeaders } from "./plan";
import { pyRabbitConnect } from "./python-clients";
import { py, pyExpr, pyString } from "./python-syntax";
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

type RequesterPlan = Extract<PatternPlan, { kind: "requesters" }>;

/** A requester's constants, its payload and the opening of main() up to the reply queue. */
export function pyRequesterOpening(plan: RequesterPlan, constants: string): string {
  const { part } = plan;
  return lines(
    `TIMEOUT = ${seconds(part.timeout)}  # seconds; a reply after this is late: the request already counts as timed out`,
    constants,
    "",
    "",
    "def render(seq):",
    `    return ${pyExpr(plan.payload)}`,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    part.replyTo === "exclusive" ? '    reply_to = channel.queue_declare(queue="", exclusive=True).method.queue  # a private queue for this process' : `    reply_to = ${q(part.replyTo.queue)}`,
  );
}

/** Publishes `payload` as request `request_id` with reply_to and its correlation id (inside a loop or function body). */
export function pyRequestPublish(plan: RequesterPlan): string {
  return lines(
    "        channel.basic_publish(",
    `            ${pyPublishTo(plan.route, "payload")},`,
    "            body=json.dumps(payload),",
    "            properties=pika.BasicProperties(",
    "                reply_to=reply_to, correlation_id=request_id, message_id=request_id, content_type=\"application/json\",",
    plan.part.expire && "                expiration=str(int(TIMEOUT * 1000)),  # nobody waits after the timeout",
    `                headers={${q(codegenHeaders.id)}: request_id, ${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)), ${q(codegenHeaders.attempt)}: 1},`,
    "            ),",
    "        )",
  );
}

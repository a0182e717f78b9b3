// Runnable Python for a requester with a circuit breaker (pybreaker). pybreaker guards a call that
// returns or raises, so each request is one call: publish, wait for its reply up to the timeout,
// and raise on a timeout or an error reply. One request is in flight at a time.
import { pyFStringText } from "./escape";
import type { PatternPlan } from "./pattern-plan";
import { patternHeaders } from "./pattern-plan";
import { pika, pyPacing, pyRequesterOpening, pyRequestPublish, q, seconds } from "./pattern-python-shared";
import { pyRabbitUrl } from "./python-clients";
import { pyImports, pyMain } from "./python-syntax";
import { lines } from "./source";

export function pyRequesterWithBreaker(plan: Extract<PatternPlan, { kind: "requesters" }>): string {
  const { part } = plan;
  const cb = part.circuitBreaker!;
  const loop = pyPacing(plan.pace);
  return lines(
    pyImports([plan.payload, plan.route.routingKey], [...pika, "import pybreaker"]),
    "",
    pyRabbitUrl(plan.endpoint),
    "class RequestFailed(Exception):",
    '    """A call that timed out or got an error reply: the breaker counts it as a failure."""',
    "",
    "",
    "class LogTransitions(pybreaker.CircuitBreakerListener):",
    "    def state_change(self, breaker, old_state, new_state):",
    '        print(f"circuit breaker: {new_state.name}")',
    "",
    "",
    "breaker = pybreaker.CircuitBreaker(",
    `    fail_max=${cb.failureThreshold},  # open after this many failed calls in a row`,
    `    reset_timeout=${seconds(cb.openFor)},  # seconds open before trial calls go through`,
    `    success_threshold=${cb.halfOpenTrials},  # trial calls that must succeed to close`,
    "    throw_new_error_on_trip=False,  # the call that opens it raises its own error",
    "    listeners=[LogTransitions()],",
    ")",
    "",
    "",
    pyRequesterOpening(plan, loop.constants),
    '    waiting = {"id": None, "reply": None}  # the request in flight and its reply',
    '    counts = {"replied": 0, "errors": 0, "late": 0, "timed_out": 0, "fast_failed": 0}',
    "",
    "    def on_reply(ch, method, properties, body):",
    '        if properties.correlation_id != waiting["id"]:',
    '            counts["late"] += 1  # timed out already, or not ours: ignore it',
    '            print(f"late or unknown reply {properties.correlation_id}")',
    "            return",
    '        waiting["reply"] = (properties, body)',
    "",
    "    channel.basic_consume(queue=reply_to, on_message_callback=on_reply, auto_ack=True)",
    "",
    "    def ask(request_id, payload):",
    '        """One call: publish the request, wait for its reply; raise RequestFailed on a timeout or an error reply."""',
    '        waiting["id"], waiting["reply"] = request_id, None',
    pyRequestPublish(plan),
    "        sent = time.time()",
    '        while waiting["reply"] is None and time.time() - sent < TIMEOUT:',
    "            connection.process_data_events(time_limit=0.02)",
    '        reply, waiting["id"] = waiting["reply"], None',
    "        if reply is None:",
    '            counts["timed_out"] += 1',
    '            raise RequestFailed(f"{request_id}: no reply within {TIMEOUT} s")',
    "        properties, body = reply",
    `        if (properties.headers or {}).get(${q(patternHeaders.replyStatus)}) == "error":`,
    '            counts["errors"] += 1',
    '            raise RequestFailed(f"{request_id}: error reply {body.decode()}")',
    '        counts["replied"] += 1',
    '        print(f"{request_id}: reply after {(time.time() - sent) * 1000:.0f} ms: {body.decode()}")',
    "",
    loop.start && `    ${loop.start}`,
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        request_id = f"${pyFStringText(`${plan.service}/${plan.name}/`)}{seq}"  # the correlation id`,
    "        try:",
    "            breaker.call(ask, request_id, render(seq))",
    "        except pybreaker.CircuitBreakerError:",
    '            counts["fast_failed"] += 1  # the open breaker refused the call: nothing was sent',
    '            print(f"{request_id}: not sent, the circuit breaker is {breaker.current_state}")',
    "        except RequestFailed as failure:",
    "            print(failure)",
    "        connection.process_data_events(time_limit=0)  # take late replies",
    loop.pace && `        ${loop.pace}`,
    "        seq += 1",
    '    print(f"replied {counts[\'replied\']}, error replies {counts[\'errors\']}, timed out {counts[\'timed_out\']}, late {counts[\'late\']}, fast failures {counts[\'fast_failed\']}")',
    "    connection.close()",
    "",
    "",
    pyMain,
  );
}

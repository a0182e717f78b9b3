// Runnable Python for the pattern parts (pika, confluent-kafka, the standard library's HTTP
// server and urllib): the same programs as pattern-typescript.ts, message for message.
import { wrap } from "./describe";
import { describePattern } from "./pattern-describe";
import { patternFileStem, patternHeaders, planPattern } from "./pattern-plan";
import type { PatternPlan, PatternSelection, RabbitRoute } from "./pattern-plan";
import { codegenHeaders } from "./plan";
import type { GeneratedCode } from "./plan";
import { pyKafkaBrokers, pyKafkaTopics, pyRabbitConnect, pyRabbitUrl } from "./python-clients";
import { py, pyExpr, pyImports, pyLiteral, pyMain, pyString } from "./python-syntax";
import { lines, tidy } from "./source";
import type { Scenario } from "../scenario/schema";

const q = (value: unknown) => JSON.stringify(value);
const pika = ["import pika"];
const seconds = (ms: number) => String(Math.round(ms) / 1000);

function pacing(part: { rate: Record<string, unknown>; count?: number }): { constants: string; condition: string; pace: string } {
  const rate = part.rate as { perSecond?: number; burst?: number };
  const count = part.count ?? rate.burst ?? (rate.perSecond === undefined ? 1 : undefined);
  return {
    constants: lines(rate.perSecond !== undefined && `PER_SECOND = ${rate.perSecond}`, count !== undefined && `COUNT = ${count}`),
    condition: count !== undefined ? "seq <= COUNT" : "True",
    pace: rate.perSecond !== undefined ? "time.sleep(max(0, started + seq / PER_SECOND - time.time()))" : "",
  };
}

const publishArgs = (route: RabbitRoute, source: string) => `exchange=${q(route.exchange)}, routing_key=${pyString(route.routingKey, source)}`;
const work = (spec: { ms: number; jitterMs: number }) => (spec.ms > 0 || spec.jitterMs > 0 ? `time.sleep(max(0, ${spec.ms}${spec.jitterMs > 0 ? ` + random.uniform(-${spec.jitterMs}, ${spec.jitterMs})` : ""}) / 1000)` : "pass  # (no work time in the scenario)");

function requester(plan: Extract<PatternPlan, { kind: "requesters" }>): string {
  const { part } = plan;
  const loop = pacing(part);
  const exclusive = part.replyTo === "exclusive";
  return lines(
    pyImports([plan.payload, plan.route.routingKey], pika),
    "",
    pyRabbitUrl(plan.endpoint),
    `TIMEOUT = ${seconds(part.timeout)}  # seconds; a reply after this is late: the request already counts as timed out`,
    loop.constants,
    "",
    "",
    "def render(seq):",
    `    return ${pyExpr(plan.payload)}`,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    exclusive ? '    reply_to = channel.queue_declare(queue="", exclusive=True).method.queue  # a private queue for this process' : `    reply_to = ${q((part.replyTo as { queue: string }).queue)}`,
    "    pending = {}  # correlation id -> time sent",
    '    counts = {"replied": 0, "errors": 0, "late": 0, "timed_out": 0}',
    "",
    "    def on_reply(ch, method, properties, body):",
    "        sent = pending.pop(properties.correlation_id, None)",
    "        if sent is None:",
    '            counts["late"] += 1  # timed out already, or not ours: ignore it',
    '            print(f"late or unknown reply {properties.correlation_id}")',
    "            return",
    `        kind = "errors" if (properties.headers or {}).get(${q(patternHeaders.replyStatus)}) == "error" else "replied"`,
    "        counts[kind] += 1",
    '        print(f"{properties.correlation_id}: reply after {(time.time() - sent) * 1000:.0f} ms: {body.decode()}")',
    "",
    "    channel.basic_consume(queue=reply_to, on_message_callback=on_reply, auto_ack=True)",
    "",
    "    def expire():",
    "        now = time.time()",
    "        for request_id, sent in list(pending.items()):",
    "            if now - sent > TIMEOUT:",
    "                del pending[request_id]",
    '                counts["timed_out"] += 1',
    '                print(f"{request_id}: no reply within {TIMEOUT} s")',
    "",
    "    started = time.time()",
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        request_id = f"${plan.service}/${plan.name}/{seq}"  # the correlation id`,
    "        payload = render(seq)",
    "        channel.basic_publish(",
    `            ${publishArgs(plan.route, "payload")},`,
    "            body=json.dumps(payload),",
    "            properties=pika.BasicProperties(",
    "                reply_to=reply_to, correlation_id=request_id, message_id=request_id, content_type=\"application/json\",",
    part.expire && "                expiration=str(int(TIMEOUT * 1000)),  # nobody waits after the timeout",
    `                headers={${q(codegenHeaders.id)}: request_id, ${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)), ${q(codegenHeaders.attempt)}: 1},`,
    "            ),",
    "        )",
    "        pending[request_id] = time.time()",
    "        connection.process_data_events(time_limit=0)  # take the replies that arrived",
    "        expire()",
    loop.pace && `        ${loop.pace}`,
    "        seq += 1",
    "    while pending:",
    "        connection.process_data_events(time_limit=0.05)",
    "        expire()",
    '    print(f"replied {counts[\'replied\']}, error replies {counts[\'errors\']}, timed out {counts[\'timed_out\']}, late {counts[\'late\']}")',
    "    connection.close()",
    "",
    "",
    pyMain,
  );
}

function replier(plan: Extract<PatternPlan, { kind: "repliers" }>): string {
  const { part } = plan;
  return lines(
    pyImports([plan.reply], pika, { random: true }),
    "",
    pyRabbitUrl(plan.endpoint),
    "",
    "",
    "def answer(request):",
    '    """The scenario\'s reply; its strings may name fields of the request."""',
    `    return ${pyExpr(plan.reply, "request")}`,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, false), 1),
    `    channel.basic_qos(prefetch_count=${part.prefetch})`,
    "",
    "    def on_request(ch, method, properties, body):",
    `        ${work(part.work)}`,
    `        failed = random.random() < ${part.failures.errorRate}`,
    "        reply = {\"error\": \"simulated failure\"} if failed else answer(json.loads(body))",
    "        if properties.reply_to:  # answer where the request says, quoting its correlation id",
    "            ch.basic_publish(",
    '                exchange="", routing_key=properties.reply_to, body=json.dumps(reply),',
    `                properties=pika.BasicProperties(correlation_id=properties.correlation_id, content_type="application/json", headers={${q(patternHeaders.replyStatus)}: "error" if failed else "ok"}),`,
    "            )",
    "        ch.basic_ack(delivery_tag=method.delivery_tag)",
    "",
    `    channel.basic_consume(queue=${q(part.from.queue)}, on_message_callback=on_request)`,
    `    print(${q(`answering requests on ${part.from.queue}; Ctrl+C to stop`)})`,
    "    channel.start_consuming()",
    "",
    "",
    pyMain,
  );
}

function tasks(plan: Extract<PatternPlan, { kind: "tasks" }>): string {
  const loop = pacing(plan.part);
  return lines(
    pyImports([plan.job, plan.args, plan.route.routingKey], pika),
    "",
    pyRabbitUrl(plan.endpoint),
    loop.constants,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    "    started = time.time()",
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        task_id = f"${plan.service}/${plan.name}/{seq}"`,
    `        task = {"taskId": task_id, "job": ${pyExpr(plan.job)}, "args": ${pyExpr(plan.args)}}`,
    "        channel.basic_publish(",
    `            ${publishArgs(plan.route, "task")},`,
    "            body=json.dumps(task),",
    `            properties=pika.BasicProperties(delivery_mode=2, message_id=task_id, content_type="application/json", headers={${q(codegenHeaders.id)}: task_id, ${q(codegenHeaders.attempt)}: 1}),`,
    "            mandatory=True,",
    "        )  # returns once the broker confirmed: the task is pending",
    '        print(f"submitted {task_id} ({task[\'job\']})")',
    loop.pace && `        ${loop.pace}`,
    "        seq += 1",
    "    connection.close()",
    "",
    "",
    pyMain,
  );
}

function worker(plan: Extract<PatternPlan, { kind: "workers" }>): string {
  const { part } = plan;
  const policy = part.callbacks;
  const jobs = Object.entries(part.jobs).map(([job, spec]) => lines(
    `def run_${job.replace(/[^A-Za-z0-9_]/g, "_")}(args):`,
    `    ${work(spec.work)}`,
    spec.failures.errorRate > 0 && `    if random.random() < ${spec.failures.errorRate}:`,
    spec.failures.errorRate > 0 && '        raise RuntimeError("simulated failure")',
    spec.failures.poison && `    if str(args.get(${q(spec.failures.poison.field)})) == ${q(String(spec.failures.poison.equals))}:`,
    spec.failures.poison && '        raise RuntimeError("poison task")',
    `    return ${pyExpr(plan.results[job]!, "args")}`,
    "",
    "",
  ));
  const table = Object.entries(part.jobs).map(([job, spec]) => `    ${q(job)}: (run_${job.replace(/[^A-Za-z0-9_]/g, "_")}, ${seconds(spec.timeout ?? part.timeout)}),`);
  return lines(
    pyImports(Object.values(plan.results), pika, { random: true }),
    "import hashlib",
    "import hmac",
    "import urllib.request",
    "from concurrent.futures import ThreadPoolExecutor, TimeoutError as AttemptTimeout",
    "",
    pyRabbitUrl(plan.endpoint),
    `QUEUE = ${q(part.from.queue)}`,
    `RETRIES = ${part.retries}`,
    `BACKOFF_MS = ${pyLiteral(part.backoffMs)}  # before each retry; the last value repeats`,
    "# Signs callbacks like a Brokerlab run: HMAC-SHA256 of the body (set the run's secret to be accepted by its receiver).",
    'SECRET = os.environ.get("BROKERLAB_WEBHOOK_SECRET", "change-me").encode()',
    "pool = ThreadPoolExecutor(max_workers=1)",
    "",
    "",
    ...jobs,
    "JOBS = {  # job -> (function, time limit in seconds)",
    ...table,
    "}",
    "",
    "",
    "def call_back(url, outcome):",
    `    """POSTs the outcome to the task's callback_url, signed; retried with backoff (${policy.retries} retries)."""`,
    "    body = json.dumps(outcome).encode()",
    '    signature = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()',
    `    delays = ${pyLiteral(policy.backoffMs)}`,
    `    for attempt in range(1, ${policy.retries + 2}):`,
    `        request = urllib.request.Request(url, data=body, method="POST", headers={"content-type": "application/json", ${q(patternHeaders.signature)}: signature, ${q(patternHeaders.task)}: outcome["taskId"], ${q(patternHeaders.attempt)}: str(attempt)})`,
    "        try:",
    `            with urllib.request.urlopen(request, timeout=${seconds(policy.timeout)}) as response:`,
    "                if 200 <= response.status < 300:",
    "                    return",
    "        except Exception as error:  # an HTTP error status or no answer: try again",
    '            print(f"callback for {outcome[\'taskId\']}: attempt {attempt} failed: {error}")',
    "        if delays:",
    "            time.sleep(delays[min(attempt - 1, len(delays) - 1)] / 1000)",
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    `    channel.basic_qos(prefetch_count=${part.prefetch})`,
    "",
    "    def on_task(ch, method, properties, body):",
    "        task = json.loads(body)",
    `        tries = int((properties.headers or {}).get(${q(codegenHeaders.attempt)}, 1))`,
    '        run, limit = JOBS.get(task["job"], (None, 0))',
    "        try:",
    "            if run is None:",
    '                raise RuntimeError(f"no job named {task[\'job\']}")',
    '            result = pool.submit(run, task.get("args") or {}).result(timeout=limit)  # fails the attempt at its time limit',
    '            print(f"{task[\'taskId\']} succeeded: {json.dumps(result)}")  # store it where the submitter can look it up',
    '            if task.get("callback_url"):',
    '                call_back(task["callback_url"], {"taskId": task["taskId"], "job": task["job"], "status": "succeeded", "result": result, "attempts": tries})',
    "        except (Exception, AttemptTimeout) as error:",
    '            reason = str(error) or "timed out"',
    "            if tries <= RETRIES:",
    "                # A copy with the next attempt number, after the backoff; the original is acked below.",
    "                if BACKOFF_MS:",
    "                    time.sleep(BACKOFF_MS[min(tries - 1, len(BACKOFF_MS) - 1)] / 1000)",
    `                headers = dict(properties.headers or {}, **{${q(codegenHeaders.attempt)}: tries + 1})`,
    '                ch.basic_publish(exchange="", routing_key=QUEUE, body=body, properties=pika.BasicProperties(delivery_mode=2, message_id=task["taskId"], headers=headers))',
    '                print(f"{task[\'taskId\']} attempt {tries} failed ({reason}); retrying")',
    "            else:",
    '                print(f"{task[\'taskId\']} failed: {reason}")',
    '                if task.get("callback_url"):',
    '                    call_back(task["callback_url"], {"taskId": task["taskId"], "job": task["job"], "status": "failed", "error": reason, "attempts": tries})',
    "        ch.basic_ack(delivery_tag=method.delivery_tag)",
    "",
    "    channel.basic_consume(queue=QUEUE, on_message_callback=on_task)",
    '    print(f"working on {QUEUE}; Ctrl+C to stop")',
    "    channel.start_consuming()",
    "",
    "",
    pyMain,
  );
}

function httpApi(plan: Extract<PatternPlan, { kind: "httpApi" }>): string {
  const { part } = plan;
  return lines(
    pyImports([plan.job, plan.route.routingKey], pika),
    "import uuid",
    "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer",
    "",
    pyRabbitUrl(plan.endpoint),
    'PORT = int(os.environ.get("PORT", "8080"))',
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    "",
    "    class Api(BaseHTTPRequestHandler):",
    "        def reply(self, status, body):",
    "            data = json.dumps(body).encode()",
    "            self.send_response(status)",
    '            self.send_header("content-type", "application/json")',
    '            self.send_header("content-length", str(len(data)))',
    "            self.end_headers()",
    "            self.wfile.write(data)",
    "",
    "        def do_POST(self):",
    `            if self.path != ${q(part.path)}:`,
    `                return self.reply(404, {"error": ${q(`POST ${part.path}`)}})`,
    "            try:",
    '                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")',
    "            except ValueError:",
    '                return self.reply(400, {"error": "the body is not JSON"})',
    '            callback_url = body.pop("callback_url", None)',
    `            task_id = f"${plan.service}/${part.name}/{uuid.uuid4()}"`,
    `            task = {"taskId": task_id, "job": ${pyExpr(plan.job)}, "args": body}`,
    "            if callback_url:",
    '                task["callback_url"] = callback_url',
    "            channel.basic_publish(",
    `                ${publishArgs(plan.route, "task")},`,
    "                body=json.dumps(task),",
    `                properties=pika.BasicProperties(delivery_mode=2, message_id=task_id, content_type="application/json", headers={${q(codegenHeaders.id)}: task_id, ${q(codegenHeaders.attempt)}: 1}),`,
    "            )",
    "            # Accepted, not done: a worker does the job and calls back when it is.",
    '            self.reply(202, {"taskId": task_id})',
    "",
    "    # One request at a time: pika's connection is not shared between threads.",
    '    server = ThreadingHTTPServer(("127.0.0.1", PORT), Api)',
    "    server.daemon_threads = True",
    `    print(f"POST http://127.0.0.1:{PORT}${part.path}")`,
    "    server.serve_forever()",
    "",
    "",
    pyMain,
  );
}

function apiCall(plan: Extract<PatternPlan, { kind: "apiCalls" }>): string {
  const loop = pacing(plan.part);
  return lines(
    pyImports([plan.body], ["import urllib.request"]),
    "",
    `API = os.environ.get("API_URL", ${q(`http://127.0.0.1:8080${plan.apiPath}`)})`,
    plan.callbackPath && `CALLBACK_URL = os.environ.get("CALLBACK_URL", ${q(`http://127.0.0.1:8081${plan.callbackPath}`)})`,
    loop.constants,
    "",
    "",
    "def main():",
    "    started = time.time()",
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        body = ${pyExpr(plan.body)}`,
    plan.callbackPath && '        body["callback_url"] = CALLBACK_URL',
    '        request = urllib.request.Request(API, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json"})',
    "        try:",
    `            with urllib.request.urlopen(request, timeout=${seconds(plan.part.timeout)}) as response:`,
    '                print(f"request {seq}: {response.status} {response.read().decode()}")  # 202 and a task id',
    "        except Exception as error:",
    '            print(f"request {seq} failed: {error}")',
    loop.pace && `        ${loop.pace}`,
    "        seq += 1",
    "",
    "",
    pyMain,
  );
}

function webhookReceiver(plan: Extract<PatternPlan, { kind: "webhookReceiver" }>): string {
  const { part } = plan;
  const header = patternHeaders.signature;
  return lines(
    "import hashlib",
    "import hmac",
    "import json",
    "import os",
    part.errorRate > 0 && "import random",
    "from http.server import BaseHTTPRequestHandler, HTTPServer",
    "",
    'PORT = int(os.environ.get("PORT", "8081"))',
    'SECRET = os.environ.get("BROKERLAB_WEBHOOK_SECRET", "change-me").encode()  # the same secret as the sender',
    `state = {"fail_first": ${part.failFirst}, "seen": set()}  # the scenario's outage: the first callbacks fail`,
    "",
    "",
    "class Receiver(BaseHTTPRequestHandler):",
    "    def do_POST(self):",
    `        if self.path != ${q(part.path)}:`,
    "            return self.answer(404)",
    '        body = self.rfile.read(int(self.headers.get("content-length", 0)))',
    '        if state["fail_first"] > 0:',
    '            state["fail_first"] -= 1',
    `            return self.answer(${part.failStatus})  # the sender retries with backoff`,
    part.errorRate > 0 && `        if random.random() < ${part.errorRate}:`,
    part.errorRate > 0 && `            return self.answer(${part.failStatus})`,
    '        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()',
    `        if not hmac.compare_digest(expected, self.headers.get(${q(header)}, "")):`,
    '            print("rejected a callback with a bad or missing signature")',
    "            return self.answer(401)",
    "        callback = json.loads(body)",
    '        if callback["taskId"] in state["seen"]:  # deliveries are at least once',
    '            print(f"duplicate callback for {callback[\'taskId\']}")',
    '        state["seen"].add(callback["taskId"])',
    '        print(f"{callback[\'taskId\']}: {callback[\'status\']}")',
    "        self.answer(200)",
    "",
    "    def answer(self, status):",
    "        self.send_response(status)",
    '        self.send_header("content-length", "0")',
    "        self.end_headers()",
    "",
    "",
    'if __name__ == "__main__":',
    `    print(f"callbacks on http://127.0.0.1:{PORT}${part.path}")`,
    '    HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()',
  );
}

function projection(plan: Extract<PatternPlan, { kind: "projections" }>): string {
  const { part } = plan;
  const folds = Object.entries(part.fold).map(([type, ops]) => {
    const steps = Object.entries(ops).map(([field, op]) => {
      const [name, value] = Object.entries(op)[0] as [string, string | number | boolean];
      const operand = typeof value === "string" ? `float(event.get(${q(value)}, 0))` : pyLiteral(value);
      switch (name) {
        case "add": return `state[${q(field)}] = state.get(${q(field)}, 0) + ${operand}`;
        case "subtract": return `state[${q(field)}] = state.get(${q(field)}, 0) - ${operand}`;
        case "max": return `state[${q(field)}] = max(state.get(${q(field)}, ${operand}), ${operand})`;
        case "min": return `state[${q(field)}] = min(state.get(${q(field)}, ${operand}), ${operand})`;
        default: return `state[${q(field)}] = ${typeof value === "string" ? `event.get(${q(value)})` : pyLiteral(value)}`;
      }
    });
    return lines(`    if kind == ${q(type)}:`, ...steps.map((s) => `        ${s}`), "        return True");
  });
  return lines(
    "import json",
    "import os",
    "import time",
    "",
    "from confluent_kafka import Consumer",
    pyKafkaTopics(plan.endpoint) && "from confluent_kafka.admin import AdminClient, NewTopic",
    "",
    pyKafkaBrokers(plan.endpoint),
    `TOPIC = ${q(part.from.topic)}`,
    "",
    "",
    pyKafkaTopics(plan.endpoint),
    "",
    "",
    "def apply(state, kind, event):",
    '    """How each event type changes the state of its key (the scenario\'s fold; other types are skipped)."""',
    ...folds,
    "    return False",
    "",
    "",
    "def main():",
    pyKafkaTopics(plan.endpoint) && "    create_topics()",
    "    # REPLAY=1 rebuilds the state from offset 0: a new group has no committed offsets.",
    `    group = f"${plan.group}-replay-{int(time.time())}" if os.environ.get("REPLAY") else ${q(plan.group)}`,
    '    consumer = Consumer({"bootstrap.servers": BROKERS, "group.id": group, "auto.offset.reset": "earliest"})',
    "    consumer.subscribe([TOPIC])",
    "    states, applied, last_print = {}, 0, time.time()",
    "    try:",
    "        while True:",
    "            message = consumer.poll(0.5)",
    "            if message is not None and not message.error():",
    "                event = json.loads(message.value())",
    `                key = event.get(${q(part.key)})`,
    "                if key is not None:",
    "                    state = states.setdefault(str(key), {})",
    `                    if apply(state, event.get(${q(part.typeField)}), event):`,
    "                        applied += 1",
    "            if time.time() - last_print > 2:",
    "                print(applied, states)",
    "                last_print = time.time()",
    "    except KeyboardInterrupt:",
    "        pass",
    "    finally:",
    "        consumer.close()",
    "",
    "",
    pyMain,
  );
}

const emitters: { [K in PatternPlan["kind"]]: (plan: Extract<PatternPlan, { kind: K }>) => string } = {
  requesters: requester, repliers: replier, tasks, workers: worker, httpApi, apiCalls: apiCall, webhookReceiver, projections: projection,
};

/** The Python program for the selected pattern part. */
export function generatePatternPython(scenario: Scenario, service: string, selection: PatternSelection): GeneratedCode {
  const plan = planPattern(scenario, service, selection);
  const fileName = `${patternFileStem(plan).replace(/-/g, "_")}.py`;
  const libraries = plan.kind === "projections" ? ["confluent-kafka"] : plan.kind === "apiCalls" || plan.kind === "webhookReceiver" ? [] : ["pika"];
  const install = libraries.length > 0 ? `python3 -m pip install ${libraries.join(" ")}` : "(the standard library only)";
  const body = (emitters[plan.kind] as (p: PatternPlan) => string)(plan);
  const preamble = lines(
    `# ${plan.service} / ${plan.name}, generated by Brokerlab from the scenario "${plan.scenario}".`,
    ...wrap(describePattern(plan)).map((line) => `# ${line}`),
    "#",
    "# Runs as is against the local stack (npm run stack:up):",
    libraries.length > 0 && `#   ${install}`,
    `#   python3 ${fileName}`,
  );
  return { language: "python", library: libraries.join(" + ") || "standard library", fileName, run: [...(libraries.length > 0 ? [install] : []), `python3 ${fileName}`], source: tidy(lines(preamble, "", body)) };
}

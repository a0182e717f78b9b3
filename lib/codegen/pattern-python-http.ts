// Runnable Python for the task worker (with its signed callbacks) and the HTTP parts of the
// asynchronous API: the same programs as pattern-typescript-http.ts, in pika, urllib and the
// standard library's HTTP server. pika is not thread-safe: only the connection's thread touches it.
import { pyFStringText } from "./escape";
import type { PatternPlan } from "./pattern-plan";
import { patternHeaders } from "./pattern-plan";
import { pika, pyBackoff, pyPacing, pyPublishTo, pyWorkSleep, q, seconds } from "./pattern-python-shared";
import { codegenHeaders } from "./plan";
import { pyRabbitConnect, pyRabbitUrl } from "./python-clients";
import { py, pyExpr, pyImports, pyLiteral, pyMain } from "./python-syntax";
import { lines } from "./source";

type Plan<K extends PatternPlan["kind"]> = Extract<PatternPlan, { kind: K }>;

/** A Python function name per job: its ASCII letters and digits, numbered when two jobs would share one. */
function functionNames(jobs: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const job of jobs) {
    const base = `run_${job.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(job, name);
  }
  return names;
}

function jobTable(plan: Plan<"workers">): string {
  const { part } = plan;
  const names = functionNames(Object.keys(part.jobs));
  const functionName = (job: string) => names.get(job)!;
  return lines(
    ...Object.entries(part.jobs).map(([job, spec]) => lines(
      `def ${functionName(job)}(args):`,
      `    ${pyWorkSleep(spec.work)}`,
      spec.failures.errorRate > 0 && `    if random.random() < ${spec.failures.errorRate}:`,
      spec.failures.errorRate > 0 && '        raise RuntimeError("simulated failure")',
      spec.failures.poison && `    if str(args.get(${q(spec.failures.poison.field)})) == ${q(String(spec.failures.poison.equals))}:`,
      spec.failures.poison && '        raise RuntimeError("poison task")',
      `    return ${pyExpr(plan.results[job]!, "args")}`,
      "",
      "",
    )),
    "JOBS = {  # job -> (function, time limit in seconds)",
    ...Object.entries(part.jobs).map(([job, spec]) => `    ${q(job)}: (${functionName(job)}, ${seconds(spec.timeout ?? part.timeout)}),`),
    "}",
  );
}

/** The webhook sender: signed like a Brokerlab run, retried like one (webhook-sender.ts). */
function callBack(policy: Plan<"workers">["part"]["callbacks"]): string {
  const key = policy.signature === "wrong-secret" ? 'b"not-" + SECRET' : "SECRET";
  return lines(
    "def call_back(url, outcome):",
    `    """POSTs the outcome to the task's callback_url, signed; retried with backoff (${policy.retries} retries) while the receiver answers 5xx, 408 or 429 or does not answer."""`,
    "    body = json.dumps(outcome).encode()",
    "    delivery = str(uuid.uuid4())  # the same on every attempt of this callback",
    `    headers = {"content-type": "application/json", ${q(patternHeaders.delivery)}: delivery, ${q(patternHeaders.task)}: outcome["taskId"]}`,
    policy.signature === "missing"
      ? "    # The scenario sends no signature (callbacks.signature: missing): the receiver answers 401."
      : `    headers[${q(patternHeaders.signature)}] = "sha256=" + hmac.new(${key}, body, hashlib.sha256).hexdigest()`,
    policy.signature === "wrong-secret" && "    # The scenario signs with a wrong secret (callbacks.signature): the receiver answers 401.",
    "    attempt = 1",
    "    while True:",
    `        headers[${q(patternHeaders.attempt)}] = str(attempt)`,
    "        try:",
    `            with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST", headers=headers), timeout=${seconds(policy.timeout)}) as response:`,
    "                status = response.status",
    "        except urllib.error.HTTPError as error:",
    "            status = error.code",
    "        except OSError:",
    "            status = 0  # no answer",
    "        if 200 <= status < 300:",
    "            return True",
    `        again = (status in (0, 408, 429) or status >= 500) and attempt <= ${policy.retries}`,
    '        print(f"callback for {outcome[\'taskId\']}: attempt {attempt} got {status or \'no answer\'}{\'; retrying\' if again else \'\'}")',
    "        if not again:",
    "            return False  # another 4xx is final",
    `        time.sleep(backoff(${pyLiteral(policy.backoffMs)}, attempt))`,
    "        attempt += 1",
  );
}

/** One delivery, on a pool thread: returns the headers of the retry to publish, or None. */
const handle = lines(
  "def handle(task, headers):",
  '    """Runs one task delivery on a pool thread; returns the headers of the retry to publish, or None."""',
  `    tries = int(headers.get(${q(codegenHeaders.attempt)}, 1))`,
  "    # A retry is published at once with its due time: hold it until then.",
  `    time.sleep(max(0, int(headers.get(${q(codegenHeaders.dueAt)}, 0)) / 1000 - time.time()))`,
  '    run, limit = JOBS.get(task["job"], (None, 0))',
  "    try:",
  "        if run is None:",
  '            raise RuntimeError(f"unknown job {task[\'job\']}")',
  '        result = attempts.submit(run, task.get("args") or {}).result(timeout=limit)',
  "    except AttemptTimeout:",
  '        reason = f"timed out after {limit} s"',
  "    except Exception as error:",
  "        reason = str(error)",
  "    else:",
  '        print(f"{task[\'taskId\']} succeeded: {json.dumps(result)}")  # store it where the submitter can look it up',
  '        if task.get("callback_url"):',
  '            call_back(task["callback_url"], {"taskId": task["taskId"], "job": task["job"], "status": "succeeded", "result": result, "attempts": tries, "completedAt": now()})',
  "        return None",
  "    if tries <= RETRIES and run is not None:",
  "        delay = backoff(BACKOFF_MS, tries)",
  '        print(f"{task[\'taskId\']} attempt {tries} failed ({reason}); attempt {tries + 1} in {delay} s")',
  `        return dict(headers, **{${q(codegenHeaders.attempt)}: tries + 1, ${q(codegenHeaders.dueAt)}: str(int((time.time() + delay) * 1000))})`,
  '    print(f"{task[\'taskId\']} failed: {reason}")',
  '    if task.get("callback_url"):',
  '        call_back(task["callback_url"], {"taskId": task["taskId"], "job": task["job"], "status": "failed", "error": reason, "attempts": tries, "completedAt": now()})',
  "    return None",
);

export function pyWorker(plan: Plan<"workers">): string {
  const { part } = plan;
  const extra = ["import functools", "import hashlib", "import hmac", "import urllib.error", "import urllib.request", "import uuid", "from concurrent.futures import ThreadPoolExecutor, TimeoutError as AttemptTimeout", "from datetime import datetime, timezone"];
  const imports = pyImports(Object.values(plan.results), [], { random: true }).split("\n").filter(Boolean);
  return lines(
    [...new Set([...imports, ...extra])].sort((a, b) => Number(a.startsWith("from")) - Number(b.startsWith("from")) || a.localeCompare(b)),
    "",
    ...pika,
    "",
    pyRabbitUrl(plan.endpoint),
    `QUEUE = ${q(part.from.queue)}`,
    `CONCURRENCY = ${part.concurrency}`,
    `RETRIES = ${part.retries}`,
    `BACKOFF_MS = ${pyLiteral(part.backoffMs)}  # before each retry; the last value repeats`,
    "# Signs callbacks like a Brokerlab run: HMAC-SHA256 of the body (set the run's secret to be accepted by its receiver).",
    'SECRET = os.environ.get("BROKERLAB_WEBHOOK_SECRET", "change-me").encode()',
    "# An attempt past its time limit fails, but its thread runs on: room for that beside the running tasks.",
    "attempts = ThreadPoolExecutor(max_workers=2 * CONCURRENCY)",
    "",
    "",
    'def now():\n    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")',
    "",
    "",
    pyBackoff,
    "",
    "",
    jobTable(plan),
    "",
    "",
    callBack(part.callbacks),
    "",
    "",
    handle,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    "    # CONCURRENCY at a time: the broker hands this worker at most that many unacknowledged tasks (prefetch).",
    "    channel.basic_qos(prefetch_count=CONCURRENCY)",
    "    handlers = ThreadPoolExecutor(max_workers=CONCURRENCY)",
    "",
    "    def settle(delivery_tag, properties, body, retry):",
    '        """On the connection\'s thread: publish the retry (a copy, due later), then ack the delivery."""',
    "        if retry is not None:",
    '            channel.basic_publish(exchange="", routing_key=QUEUE, body=body, properties=pika.BasicProperties(delivery_mode=2, message_id=properties.message_id, content_type="application/json", headers=retry))',
    "        channel.basic_ack(delivery_tag=delivery_tag)",
    "",
    "    def work_on(method, properties, body):",
    "        retry = None",
    "        try:",
    "            retry = handle(json.loads(body), properties.headers or {})",
    "        except Exception as error:  # not a task message: acknowledged and dropped",
    '            print(f"dropped a message that is not a task: {error}")',
    "        connection.add_callback_threadsafe(functools.partial(settle, method.delivery_tag, properties, body, retry))",
    "",
    "    def on_task(ch, method, properties, body):",
    "        handlers.submit(work_on, method, properties, body)",
    "",
    "    channel.basic_consume(queue=QUEUE, on_message_callback=on_task)",
    '    print(f"working on {QUEUE}; Ctrl+C to stop")',
    "    channel.start_consuming()",
    "",
    "",
    pyMain,
  );
}

/** A request handler's method that answers with a JSON body. */
const jsonAnswer = (name: string) => lines(
  `def ${name}(self, status, body):`,
  "    data = json.dumps(body).encode()",
  "    self.send_response(status)",
  '    self.send_header("content-type", "application/json")',
  '    self.send_header("content-length", str(len(data)))',
  "    self.end_headers()",
  "    self.wfile.write(data)",
);

export function pyHttpApi(plan: Plan<"httpApi">): string {
  const { part } = plan;
  return lines(
    pyImports([plan.job, plan.route.routingKey], pika),
    "import uuid",
    "from http.server import BaseHTTPRequestHandler, HTTPServer",
    "",
    pyRabbitUrl(plan.endpoint),
    'PORT = int(os.environ.get("PORT", "8080"))',
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    "",
    "    class Api(BaseHTTPRequestHandler):",
    py(jsonAnswer("reply"), 2),
    "",
    "        def do_POST(self):",
    `            if self.path.split("?")[0] != ${q(part.path)}:`,
    `                return self.reply(404, {"error": ${q(`not found; POST ${part.path}`)}})`,
    "            try:",
    '                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")',
    "            except ValueError:",
    '                return self.reply(400, {"error": "the body is not JSON"})',
    "            if not isinstance(body, dict):",
    '                return self.reply(400, {"error": "the body must be a JSON object"})',
    '            callback_url = body.pop("callback_url", None)',
    `            task_id = f"${pyFStringText(`${plan.service}/${part.name}/`)}{uuid.uuid4()}"`,
    `            task = {"taskId": task_id, "job": ${pyExpr(plan.job)}, "args": body}`,
    "            if callback_url:",
    '                task["callback_url"] = callback_url',
    "            try:",
    "                channel.basic_publish(",
    `                    ${pyPublishTo(plan.route, "task")},`,
    "                    body=json.dumps(task),",
    `                    properties=pika.BasicProperties(delivery_mode=2, message_id=task_id, content_type="application/json", headers={${q(codegenHeaders.id)}: task_id, ${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)), ${q(codegenHeaders.attempt)}: 1, "x-brokerlab-job": task["job"]}),`,
    "                    mandatory=True,",
    "                )  # returns once the broker confirmed the task",
    "            except (pika.exceptions.UnroutableError, pika.exceptions.NackError):",
    '                return self.reply(503, {"error": "the task could not be queued"})',
    "            # Accepted, not done: a worker does the job and calls back when it is.",
    '            self.reply(202, {"taskId": task_id, "status": "accepted"})',
    "",
    "    class Server(HTTPServer):",
    "        def service_actions(self):",
    "            connection.process_data_events(time_limit=0)  # heartbeats between requests",
    "",
    "    # One request at a time, on this thread: pika's connection is not thread-safe.",
    `    print(f"POST http://127.0.0.1:{PORT}${pyFStringText(part.path)}")`,
    '    Server(("127.0.0.1", PORT), Api).serve_forever()',
    "",
    "",
    pyMain,
  );
}

export function pyApiCall(plan: Plan<"apiCalls">): string {
  const loop = pyPacing(plan.pace);
  return lines(
    pyImports([plan.body], ["import urllib.request"]),
    "",
    `API = os.environ.get("API_URL", ${q(`http://127.0.0.1:8080${plan.apiPath}`)})`,
    plan.callbackPath && `CALLBACK_URL = os.environ.get("CALLBACK_URL", ${q(`http://127.0.0.1:8081${plan.callbackPath}`)})`,
    loop.constants,
    "",
    "",
    "def main():",
    loop.start && `    ${loop.start}`,
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

export function pyWebhookReceiver(plan: Plan<"webhookReceiver">): string {
  const { part } = plan;
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
    `        if self.path.split("?")[0] != ${q(part.path)}:`,
    '            return self.answer(404, {"error": "not found"})',
    '        body = self.rfile.read(int(self.headers.get("content-length", 0)))',
    '        if state["fail_first"] > 0:',
    '            state["fail_first"] -= 1',
    `            return self.answer(${part.failStatus}, {"error": "failing on purpose (failFirst)"})  # the sender retries with backoff`,
    part.errorRate > 0 && `        if random.random() < ${part.errorRate}:`,
    part.errorRate > 0 && `            return self.answer(${part.failStatus}, {"error": "failing on purpose (errorRate)"})`,
    '        expected = ("sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()).encode()',
    `        if not hmac.compare_digest(expected, self.headers.get(${q(patternHeaders.signature)}, "").strip().encode()):  # constant time`,
    '            print("rejected a callback with a bad or missing signature")',
    '            return self.answer(401, {"error": "the signature is missing or does not match the body"})',
    "        callback = json.loads(body)",
    '        if callback["taskId"] in state["seen"]:  # deliveries are at least once',
    '            print(f"duplicate callback for {callback[\'taskId\']}")',
    '        state["seen"].add(callback["taskId"])',
    '        print(f"{callback[\'taskId\']}: {callback[\'status\']}")',
    '        self.answer(200, {"received": True})',
    "",
    py(jsonAnswer("answer"), 1),
    "",
    "",
    'if __name__ == "__main__":',
    `    print(f"callbacks on http://127.0.0.1:{PORT}${pyFStringText(part.path)}")`,
    '    HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()',
  );
}

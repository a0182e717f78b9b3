// Runnable Python for the pattern parts (pika, confluent-kafka, the standard library's HTTP
// server and urllib): the same programs as pattern-typescript.ts, message for message. Request/
// reply, the task submitter and the projection here; the worker and the HTTP parts in -http.ts.
import { wrap } from "./describe";
import { pyComment, pyFStringText } from "./escape";
import { describePattern } from "./pattern-describe";
import { foldPlan, hasBreaker, patternBroker, patternFileStem, patternHeaders, planPattern } from "./pattern-plan";
import type { FoldStep, PatternPlan, PatternSelection } from "./pattern-plan";
import { pyRequesterWithBreaker } from "./pattern-python-breaker";
import { pyApiCall, pyHttpApi, pyWebhookReceiver, pyWorker } from "./pattern-python-http";
import { pika, pyPacing, pyPublishTo, pyRequesterOpening, pyRequestPublish, pyWorkSleep, q } from "./pattern-python-shared";
import { codegenHeaders } from "./plan";
import type { GeneratedCode } from "./plan";
import { pyKafkaBrokers, pyKafkaTopics, pyRabbitConnect, pyRabbitUrl } from "./python-clients";
import { py, pyExpr, pyImports, pyLiteral, pyMain } from "./python-syntax";
import { lines, tidy } from "./source";
import type { Scenario } from "../scenario/schema";

function requester(plan: Extract<PatternPlan, { kind: "requesters" }>): string {
  if (plan.part.circuitBreaker) return pyRequesterWithBreaker(plan);
  const loop = pyPacing(plan.pace);
  return lines(
    pyImports([plan.payload, plan.route.routingKey], pika),
    "",
    pyRabbitUrl(plan.endpoint),
    pyRequesterOpening(plan, loop.constants),
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
    loop.start && `    ${loop.start}`,
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        request_id = f"${pyFStringText(`${plan.service}/${plan.name}/`)}{seq}"  # the correlation id`,
    "        payload = render(seq)",
    pyRequestPublish(plan),
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
    `        ${pyWorkSleep(part.work)}`,
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
  const loop = pyPacing(plan.pace);
  return lines(
    pyImports([plan.job, plan.args, plan.route.routingKey], pika),
    "",
    pyRabbitUrl(plan.endpoint),
    loop.constants,
    "",
    "",
    "def main():",
    py(pyRabbitConnect(plan.endpoint, true), 1),
    loop.start && `    ${loop.start}`,
    "    seq = 1",
    `    while ${loop.condition}:`,
    `        task_id = f"${pyFStringText(`${plan.service}/${plan.name}/`)}{seq}"`,
    `        task = {"taskId": task_id, "job": ${pyExpr(plan.job)}, "args": ${pyExpr(plan.args)}}`,
    "        channel.basic_publish(",
    `            ${pyPublishTo(plan.route, "task")},`,
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

const pyFoldHelpers: Record<FoldStep["op"], string[]> = {
  add: ["def add(state, name, n):", "    if n is not None:", "        state[name] = state.get(name, 0) + n"],
  subtract: ["def subtract(state, name, n):", "    if n is not None:", "        state[name] = state.get(name, 0) - n"],
  max: ["def maximum(state, name, n):", "    if n is not None:", "        state[name] = max(state.get(name, n), n)"],
  min: ["def minimum(state, name, n):", "    if n is not None:", "        state[name] = min(state.get(name, n), n)"],
  set: ["def set_field(state, name, value):", "    if isinstance(value, (str, int, float, bool)):", "        state[name] = value"],
};
const pyFoldNames: Record<FoldStep["op"], string> = { add: "add", subtract: "subtract", max: "maximum", min: "minimum", set: "set_field" };

function pyFoldStep({ target, op, from }: FoldStep): string {
  if ("value" in from) return op === "set" ? `state[${q(target)}] = ${pyLiteral(from.value)}` : `${pyFoldNames[op]}(state, ${q(target)}, ${pyLiteral(from.value)})`;
  const read = `field(event, ${q(from.field)})`;
  return `${pyFoldNames[op]}(state, ${q(target)}, ${op === "set" ? read : `number(${read})`})`;
}

function projection(plan: Extract<PatternPlan, { kind: "projections" }>): string {
  const { part } = plan;
  const fold = foldPlan(part);
  const folds = fold.types.map(({ type, steps }) => lines(`    if kind == ${q(type)}:`, ...steps.map((step) => `        ${pyFoldStep(step)}`), "        return True"));
  return lines(
    "import json",
    "import math",
    "import os",
    "import time",
    "from datetime import datetime",
    "",
    "from confluent_kafka import Consumer",
    pyKafkaTopics(plan.endpoint) && "from confluent_kafka.admin import AdminClient, NewTopic",
    "",
    pyKafkaBrokers(plan.endpoint),
    `TOPIC = ${q(part.from.topic)}`,
    "# REPLAY rebuilds the state in a fresh consumer group (no committed offsets): REPLAY=1 from offset 0,",
    "# REPLAY=offset:<n> from offset n of every partition, REPLAY=time:<ISO date> from the first event since then.",
    'REPLAY = os.environ.get("REPLAY", "")',
    "",
    "",
    pyKafkaTopics(plan.endpoint),
    "",
    "",
    "def field(event, name):",
    '    """A payload field; "a.b" reads a nested field when there is no top-level "a.b"."""',
    "    if name in event:",
    "        return event[name]",
    "    node = event",
    '    for part in name.split("."):',
    "        node = node.get(part) if isinstance(node, dict) else None",
    "    return node",
    "",
    "",
    "def number(value):",
    '    """A field as a number (3 or "2.5"); None when it is not one, and its step is skipped."""',
    "    if isinstance(value, bool) or not isinstance(value, (int, float, str)):",
    "        return None",
    "    try:",
    "        n = float(value)",
    "    except ValueError:",
    "        return None",
    "    if not math.isfinite(n):",
    "        return None",
    "    return int(n) if n.is_integer() else n",
    "",
    "",
    ...[...fold.helpers].flatMap((op) => [...pyFoldHelpers[op], "", ""]),
    "def apply(state, kind, event):",
    '    """How each event type changes the state of its key (the scenario\'s fold; other types are skipped)."""',
    ...folds,
    "    return False",
    "",
    "",
    "def key_of(event):",
    '    """The state key of an event, as text; None when the event has none."""',
    `    key = field(event, ${q(part.key)})`,
    "    if key is None or isinstance(key, (dict, list)):",
    "        return None",
    "    return key if isinstance(key, str) else json.dumps(key)",
    "",
    "",
    "def replay_from(consumer, partitions):",
    '    """On assignment: where a replay starts (offset 0 needs nothing: a new group reads from the earliest)."""',
    '    if REPLAY.startswith("offset:"):',
    "        for partition in partitions:",
    '            partition.offset = int(REPLAY[len("offset:"):])',
    '    elif REPLAY.startswith("time:"):',
    '        since = datetime.fromisoformat(REPLAY[len("time:"):].replace("Z", "+00:00"))',
    "        for partition in partitions:",
    "            partition.offset = int(since.timestamp() * 1000)",
    "        partitions = consumer.offsets_for_times(partitions, timeout=10)  # the first offset at or after that time",
    "    consumer.assign(partitions)",
    "",
    "",
    "def main():",
    pyKafkaTopics(plan.endpoint) && "    create_topics()",
    `    group = f"${pyFStringText(`${plan.group}-replay-`)}{int(time.time())}" if REPLAY else ${q(plan.group)}`,
    '    consumer = Consumer({"bootstrap.servers": BROKERS, "group.id": group, "auto.offset.reset": "earliest"})',
    "    consumer.subscribe([TOPIC], on_assign=replay_from)",
    "    states, applied, last_print = {}, 0, time.time()",
    "    try:",
    "        while True:",
    "            message = consumer.poll(0.5)",
    "            if message is not None and not message.error():",
    "                event = json.loads(message.value())",
    "                key = key_of(event) if isinstance(event, dict) else None",
    "                state = states.get(key, {})",
    `                if key is not None and apply(state, field(event, ${q(part.typeField)}), event):`,
    "                    states[key] = state",
    "                    applied += 1",
    "            if time.time() - last_print > 2:",
    "                print(f\"{applied} events applied:\", json.dumps(states, sort_keys=True), flush=True)",
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
  requesters: requester, repliers: replier, tasks, workers: pyWorker, httpApi: pyHttpApi, apiCalls: pyApiCall, webhookReceiver: pyWebhookReceiver, projections: projection,
};

const pyLibraries = { rabbitmq: ["pika"], kafka: ["confluent-kafka"], http: [] };

/** The Python program for the selected pattern part. */
export function generatePatternPython(scenario: Scenario, service: string, selection: PatternSelection): GeneratedCode {
  const plan = planPattern(scenario, service, selection);
  const fileName = `${patternFileStem(plan).replace(/-/g, "_")}.py`;
  const libraries = [...pyLibraries[patternBroker(plan)], ...(hasBreaker(plan) ? ["pybreaker"] : [])];
  const install = libraries.length > 0 ? `python3 -m pip install ${libraries.join(" ")}` : "(the standard library only)";
  const body = (emitters[plan.kind] as (p: PatternPlan) => string)(plan);
  const preamble = lines(
    pyComment(`${plan.service} / ${plan.name}, generated by Brokerlab from the scenario "${plan.scenario}".`),
    ...wrap(describePattern(plan)).map(pyComment),
    "#",
    "# Runs as is against the local stack (npm run stack:up):",
    libraries.length > 0 && `#   ${install}`,
    `#   python3 ${fileName}`,
  );
  return { language: "python", library: libraries.join(" + ") || "standard library", fileName, run: [...(libraries.length > 0 ? [install] : []), `python3 ${fileName}`], source: tidy(lines(preamble, "", body)) };
}

// The pika programs: a producer paced like the scenario's, and a consumer with its prefetch, ack
// mode, simulated work, retries through delayed-retry queues, dead-lettering and forward.
import { pyComment, pyQuote, quotedName } from "./escape";
import type { ConsumerPlan, Endpoint, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { sqliteTables } from "./sqlite-tables";
import { pyAcks, pyKafkaBrokers, pyKafkaProduce, pyKafkaProducer, pyKafkaTopics, pyRabbitConnect, pyRabbitPublish, pyRabbitUrl } from "./python-clients";
import { py, pyExpr, pyImports, pyMain, pyWork, pyWorkUsesRandom } from "./python-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
const q = pyQuote;

type PyLoop = { constants: string[]; condition: string; pace: string | false };

/**
 * The producer loop: its constants, its condition, the pause that keeps the rate, how main() starts
 * it (`payload`, `message_id` in scope, inside a try) and how each turn and the try end once the
 * message is sent.
 */
export function pyProducerLoop(plan: ProducerPlan): PyLoop & { start: string; end: string } {
  const loop = pyLoopShape(plan);
  const start = lines(
    "    started = time.monotonic()",
    "    sent = 0",
    "    seq = 1",
    "    try:",
    `        while ${loop.condition}:`,
    "            payload = render(seq)",
    `            message_id = ${q(`${plan.service}/${plan.name}/`)} + str(seq)`,
  );
  const end = lines("            sent += 1", loop.pace && `            ${loop.pace}`, "            seq += 1", "    except KeyboardInterrupt:", "        pass");
  return { ...loop, start, end };
}

function pyLoopShape(plan: ProducerPlan): PyLoop {
  const { schedule } = plan;
  if (schedule.kind === "rate") {
    return {
      constants: [`PER_SECOND = ${schedule.perSecond}`, ...(schedule.count !== undefined ? [`COUNT = ${schedule.count}`] : [])],
      condition: schedule.count !== undefined ? "seq <= COUNT" : "True",
      pace: "time.sleep(max(0.0, started + seq / PER_SECOND - time.monotonic()))  # keep the scenario's rate",
    };
  }
  const count = schedule.kind === "burst" ? schedule.count : 1;
  return { constants: [`COUNT = ${count}${schedule.kind === "once" ? "  # the scenario sends these by hand: one per run" : ""}`], condition: "seq <= COUNT", pace: false };
}

export const pyRender = (plan: ProducerPlan) =>
  lines("def render(seq):", '    """The scenario\'s payload template; seq counts 1, 2, 3, ..."""', `    return ${py(pyExpr(plan.payload), 1).trimStart()}`);

export function pyRabbitProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as RabbitEndpoint;
  if (plan.route.kind !== "rabbitmq") return "";
  const route = plan.route;
  const { producer } = plan;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, route.routingKey, ...plan.headers.map(([, value]) => value)];
  const publish = pyRabbitPublish(route, { body: "json.dumps(payload)", id: "message_id", source: "payload", headers: plan.headers, persistent: producer.persistent, mandatory: producer.mandatory });
  return lines(
    pyImports(exprs, ["import pika"]),
    "",
    pyRabbitUrl(endpoint),
    ...loop.constants,
    "",
    "",
    pyRender(plan),
    "",
    "",
    "def main():",
    py(pyRabbitConnect(endpoint, producer.confirm), 1),
    producer.mandatory && !producer.confirm && "    # mandatory: a message no queue is bound for comes back instead of vanishing.",
    producer.mandatory && !producer.confirm && '    channel.add_on_return_callback(lambda _ch, _method, props, _body: print(f"returned, unroutable: {props.message_id}"))',
    loop.start,
    producer.mandatory && producer.confirm
      ? lines(
          "            try:",
          py(publish, 4),
          "            except pika.exceptions.UnroutableError:",
          '                print(f"{message_id}: returned, unroutable (mandatory: no queue is bound for it)")',
        )
      : py(publish, 3),
    loop.end,
    "    finally:",
    "        connection.close()",
    producer.confirm ? '    print(f"published {sent} messages, every one confirmed by the broker")' : '    print(f"published {sent} messages (without confirms: none is known to have arrived)")',
    "",
    "",
    pyMain,
  );
}

/** The forward: publish the processed message (or a new body from its fields) to the next destination. */
export function pyForward(plan: ConsumerPlan, consumedBody: string): string {
  const forward = plan.forward;
  if (!forward) return "";
  const args = { id: "forward_id", source: "consumed", headers: forward.headers, extraHeaders: [`${q(codegenHeaders.origin)}: message_id,`] };
  return lines(
    "# Forward: publish the next message of the chain once this one is processed.",
    `forward_id = ${q(`${plan.service}/${plan.name}/`)} + message_id`,
    forward.payload && `forwarded = ${pyExpr(forward.payload, "consumed")}`,
    forward.route.kind === "rabbitmq"
      ? pyRabbitPublish(forward.route, { ...args, body: forward.payload ? "json.dumps(forwarded)" : consumedBody, persistent: true, mandatory: true })
      : forward.route.kind === "kafka" && lines(pyKafkaProduce(forward.route, { ...args, value: forward.payload ? "json.dumps(forwarded)" : consumedBody }), "producer.flush()"),
  );
}

export function pyRabbitConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "";
  const endpoint = plan.endpoint as RabbitEndpoint;
  const queue = consumer.from.queue;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const forwardRabbit = plan.forward?.endpoint.kind === "rabbitmq" ? (plan.forward.endpoint as RabbitEndpoint) : undefined;
  const forwardKafka = plan.forward?.endpoint.kind === "kafka" ? plan.forward.endpoint : undefined;
  const source = endpoint.declarations.queues.find((x) => x.name === queue);
  const ack = manual ? "ch.basic_ack(delivery_tag=method.delivery_tag)" : "pass  # auto-ack: the broker already forgot it";
  const then = !manual
    ? ['print(f"{message_id}: {reason}; lost: auto-ack removed it from the broker on delivery")']
    : onError.then === "dead-letter"
      ? [
          `ch.basic_nack(delivery_tag=method.delivery_tag, requeue=False)  ${pyComment(source?.deadLetter ? `the dead-letter exchange ${quotedName(source.deadLetter.exchange)} takes it` : "no dead-letter exchange: RabbitMQ drops it")}`,
          'print(f"{message_id}: {reason}; dead-lettered after {attempt} attempt(s)")',
        ]
      : onError.then === "requeue"
        ? ["ch.basic_nack(delivery_tag=method.delivery_tag, requeue=True)  # delivered again, redelivered = True", 'print(f"{message_id}: {reason}; requeued")']
        : ["ch.basic_ack(delivery_tag=method.delivery_tag)  # dropped: acknowledged without being processed", 'print(f"{message_id}: {reason}; dropped")'];
  const exprs = [plan.forward?.payload, ...(plan.forward?.headers.map(([, value]) => value) ?? [])];
  const confirm = retries || Boolean(forwardRabbit);
  const effects = consumer.effects === "sqlite";
  // Without a database, an idempotent consumer remembers processed ids in memory (until it restarts).
  const inMemory = consumer.idempotent && !effects;
  const library = ["import pika", ...(forwardKafka ? ["from confluent_kafka import Producer", "from confluent_kafka.admin import AdminClient, NewTopic"] : []), ...(effects ? ["import sqlite3"] : [])];

  return lines(
    pyImports(exprs, library, { random: pyWorkUsesRandom(consumer) }),
    "",
    pyRabbitUrl(endpoint),
    forwardKafka && pyKafkaBrokers(forwardKafka),
    `QUEUE = ${q(queue)}`,
    retries && `RETRIES = ${onError.retries}`,
    retries && `BACKOFF_MS = [${onError.backoffMs.join(", ")}]  # the delay before each retry; the last one repeats`,
    effects && pyEffects(plan.service, consumer.idempotent),
    "",
    "",
    "def header(properties, name):",
    "    value = (properties.headers or {}).get(name)",
    "    if isinstance(value, bytes):",
    "        value = value.decode()",
    "    return None if value is None else str(value)",
    "",
    "",
    pyWork(consumer),
    forwardKafka && lines("", "", pyKafkaTopics(forwardKafka)),
    "",
    "",
    "def main():",
    py(pyRabbitConnect(forwardRabbit ? { ...endpoint, declarations: mergeDeclarations(endpoint, forwardRabbit) } : endpoint, confirm), 1),
    forwardKafka && py(lines("create_topics()", pyKafkaProducer(plan.service, { idempotent: false, acks: pyAcks("all", false) })), 1),
    `    # At most ${consumer.prefetch} delivered, unacknowledged messages on their way to this consumer (prefetch).`,
    `    channel.basic_qos(prefetch_count=${consumer.prefetch})`,
    consumer.concurrency > 1 && `    # pika's blocking connection handles one message at a time: run ${consumer.concurrency} copies of this program for concurrency ${consumer.concurrency}.`,
    inMemory && "    processed = set()  # ids already processed: a repeat is acknowledged, not processed again",
    consumer.failures.crashAfter !== undefined && "    taken = 0",
    "",
    "    def on_message(ch, method, properties, body):",
    consumer.failures.crashAfter !== undefined && "        nonlocal taken",
    `        message_id = properties.message_id or header(properties, ${q(codegenHeaders.id)}) or f"{QUEUE}/{method.delivery_tag}"`,
    `        attempt = int(header(properties, ${q(codegenHeaders.attempt)}) or 1)`,
    `        sent_at = header(properties, ${q(codegenHeaders.sentAt)})`,
    inMemory && lines("        if message_id in processed:", `            ${ack}`, '            print(f"{message_id}: a duplicate, acknowledged without processing")', "            return"),
    consumer.failures.crashAfter !== undefined &&
      lines("        taken += 1", `        if taken >= ${consumer.failures.crashAfter}:`, '            print(f"crashAfter: exiting before acknowledging {message_id}")', "            os._exit(1)"),
    "        try:",
    "            consumed = json.loads(body)",
    "            work(consumed)",
    plan.forward && py(pyForward(plan, "body"), 3),
    inMemory && "            processed.add(message_id)",
    effects &&
      (consumer.idempotent
        ? lines("            if not apply_effect(message_id, body):", `                ${ack}`, '                print(f"{message_id}: a duplicate: its effect was applied before, acknowledged without applying it again")', "                return")
        : "            apply_effect(message_id, body)  # not idempotent: a repeat applies its effect again"),
    `            ${ack}`,
    '            latency = f", {time.time() * 1000 - float(sent_at):.0f} ms after it was sent" if sent_at else ""',
    "            print(f\"{message_id}: processed{' (redelivered)' if method.redelivered else ''}{latency}\")",
    "        except Exception as error:  # noqa: BLE001 - every failure goes through the scenario's onError policy",
    "            reason = str(error)",
    retries
      ? lines(
          "            if attempt <= RETRIES:",
          "                delay_ms = BACKOFF_MS[min(attempt, len(BACKOFF_MS)) - 1] if BACKOFF_MS else 0",
          "                # A copy waits in <queue>.retry.<delay> until its message TTL dead-letters it back to the queue.",
          "                headers = dict(properties.headers or {})",
          `                headers[${q(codegenHeaders.attempt)}] = attempt + 1`,
          "                ch.basic_publish(",
          '                    exchange="",',
          '                    routing_key=f"{QUEUE}.retry.{delay_ms}" if delay_ms > 0 else QUEUE,',
          "                    body=body,",
          '                    properties=pika.BasicProperties(delivery_mode=2, content_type="application/json", message_id=message_id, headers=headers),',
          "                )",
          `                ${ack}`,
          '                print(f"{message_id}: {reason}; attempt {attempt + 1} in {delay_ms} ms")',
          "            else:",
          py(then.join("\n"), 4),
        )
      : py(then.join("\n"), 3),
    "",
    `    channel.basic_consume(queue=QUEUE, on_message_callback=on_message, auto_ack=${manual ? "False" : "True"})`,
    '    print(f"waiting for messages on {QUEUE}; press Ctrl+C to stop")',
    "    try:",
    "        channel.start_consuming()",
    "    except KeyboardInterrupt:",
    "        channel.stop_consuming()",
    "    connection.close()",
    forwardKafka && "    producer.flush()",
    "",
    "",
    pyMain,
  );
}

function mergeDeclarations(a: RabbitEndpoint, b: RabbitEndpoint): RabbitEndpoint["declarations"] {
  const unique = <T>(items: T[], key: (item: T) => string) => [...new Map(items.map((item) => [key(item), item])).values()];
  return {
    exchanges: unique([...a.declarations.exchanges, ...b.declarations.exchanges], (e) => e.name),
    queues: unique([...a.declarations.queues, ...b.declarations.queues], (x) => x.name),
    bindings: unique([...a.declarations.bindings, ...b.declarations.bindings], (x) => `${x.exchange}|${x.queue}|${x.routingKey}`),
  };
}


/** The consumer's effects in its service's SQLite file; idempotent: the processed ids commit in the same transaction. */
function pyEffects(service: string, idempotent: boolean): string {
  return lines(
    "",
    `# ${service}'s database: one row per applied effect${idempotent ? ", and the ids of the messages applied" : ""}.`,
    `db = sqlite3.connect(os.environ.get("DATABASE_FILE", ${q(sqliteTables.file(service))}))  # DATABASE_FILE: where the file goes`,
    'db.execute("PRAGMA journal_mode = WAL")',
    `db.execute(${q(sqliteTables.effects)})`,
    idempotent && `db.execute(${q(sqliteTables.processed)})`,
    "",
    "",
    "def apply_effect(message_id, body):",
    idempotent
      ? '    """Records the id and applies the effect in one transaction; False when it was applied before."""'
      : '    """Applies the effect; every delivery does, so a message delivered twice is applied twice."""',
    "    with db:",
    idempotent && '        if db.execute("INSERT OR IGNORE INTO processed_ids (message_id) VALUES (?)", (message_id,)).rowcount == 0:',
    idempotent && "            return False",
    '        db.execute("INSERT INTO effects (message_id, body) VALUES (?, ?)", (message_id, body.decode()))',
    "    return True",
  );
}

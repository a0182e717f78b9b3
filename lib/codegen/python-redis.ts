// The redis-py programs: a producer that XADDs to a stream (trimmed to about its MAXLEN) or
// PUBLISHes to a channel, a consumer-group reader (XREADGROUP, XACK, XAUTOCLAIM of entries left
// idle, a dead-letter stream) and a channel subscriber. Entries and envelopes are Brokerlab's own.
import { pyQuote } from "./escape";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { attributeLines, pyTraceparent } from "./python-aws-clients";
import { pyProducerLoop, pyRender } from "./python-rabbitmq";
import { py, pyImports, pyMain, pyWork, pyWorkUsesRandom } from "./python-syntax";
import type { RedisEndpoint } from "./redis-pubsub-plan";
import { redisWire, streamDecl } from "./redis-pubsub-plan";
import { lines } from "./source";

const q = pyQuote;
const pyRedisClient = (endpoint: RedisEndpoint) =>
  lines(`URL = os.environ.get("REDIS_URL", ${q(endpoint.url)})`, "# RESP2 replies: the shapes this program reads (lists of [id, fields]).", "client = redis.Redis.from_url(URL, decode_responses=True, protocol=2)");

/** Splits what a message says into its id and trace id, for the log line. */
export const pyIdAndTrace = (fallback: string) =>
  lines(
    `    message_id = headers.get(${q(codegenHeaders.id)}, ${fallback})`,
    '    trace = headers.get("traceparent", "").split("-")',
    "    trace_id = trace[1] if len(trace) > 1 else None",
  );
export const pyProcessed = (extra: string) => `print(f"{message_id}: processed${extra}" + (f" in trace {trace_id}" if trace_id else ""))`;

/** A Redis or Pub/Sub producer's constants and helpers: the schedule, render() and traceparent(). */
export const pyProducerTop = (plan: ProducerPlan) => lines(...pyProducerLoop(plan).constants, "", "", pyRender(plan), "", "", pyTraceparent);

export function pyRedisProducerProgram(plan: ProducerPlan): string {
  if (plan.route.kind !== "redis") return "";
  const route = plan.route;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, ...plan.headers.map(([, value]) => value)];
  const send =
    "stream" in route
      ? lines(
          `# The entry's fields as Brokerlab writes them: the payload in ${q(redisWire.body)}, the headers (JSON) in ${q(redisWire.headers)}.`,
          `client.xadd(STREAM, {${q(redisWire.body)}: json.dumps(payload), ${q(redisWire.headers)}: json.dumps(headers)}${route.maxLen !== undefined ? ", maxlen=MAX_LEN, approximate=True" : ""})`,
        )
      : lines(
          "# Brokerlab's envelope: the headers and the payload (as text) in one JSON message.",
          `receivers = client.publish(CHANNEL, json.dumps({${q(redisWire.headers)}: headers, ${q(redisWire.body)}: json.dumps(payload)}))`,
          "# Redis answers how many subscribers got it: 0 means nobody listened, and the message is gone.",
          "if receivers == 0:",
          '    print(f"{message_id}: no subscriber was listening on {CHANNEL}; lost")',
        );
  return lines(
    pyImports(exprs, ["import redis"]).replace("import time\n", "import secrets\nimport time\n"),
    "",
    pyRedisClient(plan.endpoint as RedisEndpoint),
    "stream" in route ? `STREAM = ${q(route.stream)}` : `CHANNEL = ${q(route.channel)}`,
    "stream" in route && route.maxLen !== undefined && `MAX_LEN = ${route.maxLen}  # XADD ... MAXLEN ~: Redis trims the oldest entries beyond about this many, read or not`,
    pyProducerTop(plan),
    "",
    "",
    "def main():",
    loop.start,
    `            headers = {`,
    py(attributeLines(plan.headers).join("\n"), 4),
    "            }",
    py(send, 3),
    loop.end,
    "    client.close()",
    '    print(f"published {sent} messages")',
    "",
    "",
    pyMain,
  );
}

const pyUnwrap = lines(
  "def unwrap(body, headers):",
  '    """Brokerlab\'s body and headers; someone else\'s message is its body, without headers."""',
  "    if not isinstance(body, str):",
  "        return json.dumps(body or {}), {}",
  "    try:",
  "        parsed = json.loads(headers) if isinstance(headers, str) else headers",
  "    except ValueError:",
  "        parsed = {}",
  "    return body, parsed if isinstance(parsed, dict) else {}",
);

export function pyRedisConsumerProgram(plan: ConsumerPlan): string {
  const { consumer } = plan;
  const endpoint = plan.endpoint as RedisEndpoint;
  if ("stream" in consumer.from) return pyStreamConsumer(plan, endpoint, consumer.from.stream, consumer.from.group);
  const pattern = "channelPattern" in consumer.from ? consumer.from.channelPattern : undefined;
  const channel = "channel" in consumer.from ? consumer.from.channel : "";
  return lines(
    pyImports([], ["import redis"], { random: pyWorkUsesRandom(consumer) }),
    "",
    pyRedisClient(endpoint),
    pattern !== undefined ? `PATTERN = ${q(pattern)}  # PSUBSCRIBE: every channel whose name matches` : `CHANNEL = ${q(channel)}`,
    consumer.idempotent && "processed = set()  # ids already processed: a repeat is skipped",
    consumer.failures.crashAfter !== undefined && "taken = []",
    "",
    "",
    pyWork(consumer),
    "",
    "",
    pyUnwrap,
    "",
    "",
    "def handle(data):",
    '    """One message, worked on as it arrives: channels keep nothing and have no acks."""',
    "    try:",
    "        envelope = json.loads(data)",
    "    except ValueError:",
    "        envelope = {}",
    "    if not isinstance(envelope, dict):",
    "        envelope = {}",
    `    body, headers = unwrap(envelope.get(${q(redisWire.body)}, data), envelope.get(${q(redisWire.headers)}))`,
    pyIdAndTrace('"?"'),
    consumer.idempotent && lines("    if message_id in processed:", '        print(f"{message_id}: a duplicate, skipped")', "        return"),
    consumer.failures.crashAfter !== undefined && lines("    taken.append(message_id)", `    if len(taken) >= ${consumer.failures.crashAfter}:`, '        print(f"crashAfter: exiting while handling {message_id}", flush=True)', "        os._exit(1)"),
    "    try:",
    "        work(json.loads(body))",
    consumer.idempotent && "        processed.add(message_id)",
    `        ${pyProcessed("")}`,
    "    except Exception as error:  # the scenario's failures, or a body that is not JSON",
    '        print(f"{message_id}: {error}; lost (a channel delivers once)")',
    "",
    "",
    "def main():",
    "    subscription = client.pubsub(ignore_subscribe_messages=True)",
    pattern !== undefined ? "    subscription.psubscribe(PATTERN)" : "    subscription.subscribe(CHANNEL)",
    `    print(f"subscribed to {${pattern !== undefined ? "PATTERN" : "CHANNEL"}}; press Ctrl+C to stop")`,
    "    try:",
    "        while True:",
    "            message = subscription.get_message(timeout=1.0)",
    "            if message:",
    '                handle(message["data"])',
    "    except KeyboardInterrupt:",
    "        pass",
    "    subscription.close()",
    "",
    "",
    pyMain,
  );
}

function pyStreamConsumer(plan: ConsumerPlan, endpoint: RedisEndpoint, stream: string, group: string): string {
  const { consumer, onError } = plan;
  const manual = consumer.ack === "manual";
  const { claimIdle, deadLetter } = streamDecl(endpoint, stream);
  const crash = consumer.failures.crashAfter;
  return lines(
    pyImports([], ["import redis"], { random: pyWorkUsesRandom(consumer) }).replace("import time\n", "import threading\nimport time\nfrom concurrent.futures import ThreadPoolExecutor\n"),
    "",
    pyRedisClient(endpoint),
    `STREAM = ${q(stream)}`,
    `GROUP = ${q(group)}`,
    'CONSUMER = f"{GROUP}-{os.getpid()}"  # each process is a consumer of its own name in the group',
    `CONCURRENCY = ${consumer.concurrency}  # entries read and worked on at a time (threads)`,
    manual && `CLAIM_IDLE_MS = ${claimIdle}  # an entry pending this long (a failure, a crashed consumer) is claimed again`,
    deadLetter && `DEAD_LETTER_STREAM = ${q(deadLetter.stream)}`,
    deadLetter && `MAX_DELIVERIES = ${deadLetter.maxDeliveries}`,
    "stop = threading.Event()",
    consumer.idempotent && "processed = set()  # ids already processed: a repeat is acknowledged, not processed again",
    crash !== undefined && "taken = []",
    "",
    "",
    pyWork(consumer),
    "",
    "",
    pyUnwrap,
    "",
    "",
    "def deliveries_of(entry_id):",
    '    """How many times the group has delivered the entry (from the pending entries list)."""',
    "    pending = client.xpending_range(STREAM, GROUP, min=entry_id, max=entry_id, count=1)",
    '    return pending[0]["times_delivered"] if pending else 1',
    "",
    "",
    "def handle(entry, deliveries):",
    "    entry_id, fields = entry",
    `    body, headers = unwrap(fields.get(${q(redisWire.body)}), fields.get(${q(redisWire.headers)}))`,
    pyIdAndTrace("entry_id"),
    deadLetter &&
      lines(
        "    if deliveries > MAX_DELIVERIES:",
        "        # Delivered too often: moved to the dead-letter stream as it is, then acknowledged.",
        "        client.xadd(DEAD_LETTER_STREAM, fields)",
        "        client.xack(STREAM, GROUP, entry_id)",
        '        print(f"{message_id}: dead-lettered to {DEAD_LETTER_STREAM} after {deliveries - 1} deliveries")',
        "        return",
      ),
    consumer.idempotent && lines("    if message_id in processed:", "        client.xack(STREAM, GROUP, entry_id)", '        print(f"{message_id}: a duplicate, acknowledged without processing")', "        return"),
    crash !== undefined && lines("    taken.append(entry_id)", `    if len(taken) >= ${crash}:`, '        print(f"crashAfter: exiting before acknowledging {message_id}", flush=True)', "        os._exit(1)"),
    "    try:",
    "        work(json.loads(body))",
    "    except Exception as error:  # the scenario's failures, or a body that is not JSON",
    manual && onError.then === "drop" && lines(`        if deliveries > ${onError.retries}:`, "            client.xack(STREAM, GROUP, entry_id)", '            print(f"{message_id}: {error}; dropped (acknowledged without processing)")', "            return"),
    manual
      ? '        print(f"{message_id}: {error}; left pending: claimed again after {CLAIM_IDLE_MS} ms idle")'
      : '        print(f"{message_id}: {error}; lost: NOACK reads acknowledged it on delivery")',
    "        return",
    consumer.idempotent && "    processed.add(message_id)",
    manual && "    client.xack(STREAM, GROUP, entry_id)  # manual: acknowledged once the work is done",
    `    ${pyProcessed("{f' (delivery {deliveries})' if deliveries > 1 else ''}")}`,
    "",
    "",
    "def read(pool):",
    '    """Own pending entries first (a restart after a crash), from id 0 on, then new ones (">")."""',
    '    cursor = "0"',
    "    while not stop.is_set():",
    `        reply = client.xreadgroup(GROUP, CONSUMER, {STREAM: cursor}, count=CONCURRENCY, block=1000 if cursor == ">" else None${manual ? "" : ", noack=True"})`,
    "        entries = [entry for entry in (reply[0][1] if reply else []) if entry[1] is not None]",
    '        if cursor != ">" and not entries:',
    '            cursor = ">"',
    '        backlog = cursor != ">"',
    "        if backlog and entries:",
    "            cursor = entries[-1][0]",
    "        list(pool.map(lambda entry: handle(entry, deliveries_of(entry[0]) if backlog else 1), entries))",
    manual &&
      lines(
        "",
        "",
        "def claim(pool):",
        '    """Redis\'s redelivery path: entries idle in the pending list too long are handed to this consumer."""',
        "    while not stop.wait(min(CLAIM_IDLE_MS / 2, 2000) / 1000):",
        '        reply = client.xautoclaim(STREAM, GROUP, CONSUMER, min_idle_time=CLAIM_IDLE_MS, start_id="0-0", count=CONCURRENCY)',
        "        entries = [entry for entry in reply[1] if entry and entry[1] is not None]",
        "        list(pool.map(lambda entry: handle(entry, deliveries_of(entry[0])), entries))",
      ),
    "",
    "",
    "def main():",
    "    try:",
    "        # A new group starts at the stream's first entry: what was added before this program ran is read too.",
    '        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)',
    "    except redis.ResponseError as error:",
    '        if "BUSYGROUP" not in str(error):',
    "            raise",
    '    print(f"consuming {STREAM} in group {GROUP} as {CONSUMER}; press Ctrl+C to stop")',
    "    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:",
    `        threads = [threading.Thread(target=loop, args=(pool,), daemon=True) for loop in (${manual ? "read, claim" : "read,"})]`,
    "        for thread in threads:",
    "            thread.start()",
    "        try:",
    "            while any(thread.is_alive() for thread in threads):",
    "                time.sleep(0.5)",
    "        except KeyboardInterrupt:",
    "            stop.set()  # each loop ends after its current read (at most a second)",
    "            for thread in threads:",
    "                thread.join()",
    "",
    "",
    pyMain,
  );
}

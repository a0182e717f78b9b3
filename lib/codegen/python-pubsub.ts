// The google-cloud-pubsub programs, on the emulator: a publisher (Brokerlab's headers and a W3C
// traceparent as attributes, an ordering key when the scenario gives one) and a subscriber by
// streaming pull or by pull, acking after the work and nacking a failure for Pub/Sub to deliver again.
import { pyQuote } from "./escape";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { attributeLines } from "./python-aws-clients";
import { pyIdAndTrace, pyProcessed, pyProducerTop } from "./python-redis";
import { pyProducerLoop } from "./python-rabbitmq";
import { py, pyImports, pyMain, pyString, pyWork, pyWorkUsesRandom } from "./python-syntax";
import type { PubsubEndpoint, PubsubSubscriptionDecl, PubsubTopicDecl } from "./redis-pubsub-plan";
import { pubsubConsumerParts } from "./redis-pubsub-plan";
import { lines } from "./source";

const q = pyQuote;

const pyPubsubConfig = (endpoint: PubsubEndpoint) =>
  lines(
    "# The emulator and project as Brokerlab reads them; the client library talks to the emulator",
    "# (plain gRPC, no credentials) whenever PUBSUB_EMULATOR_HOST is set.",
    `os.environ.setdefault("PUBSUB_EMULATOR_HOST", ${q(endpoint.emulatorHost)})`,
    `PROJECT = os.environ.get("PUBSUB_PROJECT_ID", ${q(endpoint.project)})`,
  );

const pyLibrary = ["from google.api_core.exceptions import AlreadyExists, DeadlineExceeded", "from google.cloud import pubsub_v1"];

/** Creates the declared topics that are not `existing` (dead-letter topics first); AlreadyExists is fine. */
const pyCreateTopics = (topics: PubsubTopicDecl[]) =>
  lines(...topics.filter((t) => !t.existing).map((t) => lines("    try:", `        publisher.create_topic(name=f"projects/{PROJECT}/topics/" + ${q(t.name)})`, "    except AlreadyExists:", "        pass")));

function pyCreateSubscription(subscription: PubsubSubscriptionDecl | undefined): string {
  if (!subscription || subscription.existing) return "";
  const fields = [
    '"name": path,',
    `"topic": f"projects/{PROJECT}/topics/" + ${q(subscription.topic)},`,
    `"ack_deadline_seconds": ${Math.round(subscription.ackDeadline / 1000)},`,
    subscription.messageOrdering && '"enable_message_ordering": True,',
    subscription.filter !== undefined && `"filter": ${q(subscription.filter)},`,
    subscription.deadLetter && `"dead_letter_policy": {"dead_letter_topic": f"projects/{PROJECT}/topics/" + ${q(subscription.deadLetter.topic)}, "max_delivery_attempts": ${subscription.deadLetter.maxDeliveryAttempts}},`,
  ].filter((field): field is string => typeof field === "string");
  return lines("    try:", "        subscriber.create_subscription(request={", ...fields.map((f) => `            ${f}`), "        })", "    except AlreadyExists:", "        pass");
}

export function pyPubsubProducerProgram(plan: ProducerPlan): string {
  if (plan.route.kind !== "pubsub") return "";
  const route = plan.route;
  const endpoint = plan.endpoint as PubsubEndpoint;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, route.orderingKey, ...plan.headers.map(([, value]) => value), ...route.attributes.map(([, value]) => value)];
  return lines(
    pyImports(exprs, pyLibrary).replace("import time\n", "import secrets\nimport time\n"),
    "",
    pyPubsubConfig(endpoint),
    `TOPIC = ${q(route.topic)}`,
    pyProducerTop(plan),
    "",
    "",
    "def main():",
    route.orderingKey
      ? "    publisher = pubsub_v1.PublisherClient(publisher_options=pubsub_v1.types.PublisherOptions(enable_message_ordering=True))  # ordering keys need it"
      : "    publisher = pubsub_v1.PublisherClient()",
    pyCreateTopics(endpoint.topics.filter((t) => t.name === route.topic)),
    '    topic_path = f"projects/{PROJECT}/topics/{TOPIC}"',
    loop.start,
    "            headers = {",
    py(attributeLines([...plan.headers, ...route.attributes]).join("\n"), 4),
    "            }",
    "            # The headers travel as attributes; result() waits for the message id Pub/Sub stored it under.",
    `            publisher.publish(topic_path, json.dumps(payload).encode(), ${route.orderingKey ? `ordering_key=${pyString(route.orderingKey)}, ` : ""}**headers).result()`,
    loop.end,
    '    print(f"published {sent} messages")',
    "",
    "",
    pyMain,
  );
}

export function pyPubsubConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  const parts = pubsubConsumerParts(plan);
  if (!parts) return "";
  const { from, endpoint, declared, manual, pull, extend } = parts;
  const creates = endpoint.topics.some((t) => !t.existing);
  return lines(
    pyImports([], pyLibrary, { random: pyWorkUsesRandom(consumer) }).replace("import time\n", `${extend ? "import threading\n" : ""}import time\n${pull ? "from concurrent.futures import ThreadPoolExecutor\n" : ""}`),
    "",
    pyPubsubConfig(endpoint),
    `SUBSCRIPTION = ${q(from.subscription)}`,
    `CONCURRENCY = ${consumer.concurrency}  # messages worked on at a time`,
    consumer.idempotent && "processed = set()  # ids already processed: a repeat is acked, not processed again",
    consumer.failures.crashAfter !== undefined && "taken = []",
    pull && `ACK_DEADLINE_SECONDS = ${Math.round((declared?.ackDeadline ?? 10_000) / 1000)}  # the subscription's: an unacked message is delivered again after it`,
    "",
    "",
    pyWork(consumer),
    "",
    "",
    "def handle(data, attributes, delivery_attempt, ack, nack):",
    '    """One delivery: its attributes carry Brokerlab\'s id and the traceparent of the producer\'s trace."""',
    "    headers = dict(attributes)",
    pyIdAndTrace('"?"'),
    "    # Pub/Sub counts attempts only on a subscription with a dead-letter policy (None otherwise).",
    "    attempt = max(1, delivery_attempt or 0)",
    consumer.idempotent && lines("    if message_id in processed:", "        ack()", '        print(f"{message_id}: a duplicate, acked without processing")', "        return"),
    consumer.failures.crashAfter !== undefined && lines("    taken.append(message_id)", `    if len(taken) >= ${consumer.failures.crashAfter}:`, '        print(f"crashAfter: exiting before acking {message_id}", flush=True)', "        os._exit(1)"),
    !manual && "    ack()  # auto: acked on receipt, before the work",
    "    try:",
    "        work(json.loads(data))",
    "    except Exception as error:  # the scenario's failures, or a body that is not JSON",
    manual && onError.then === "drop" && lines(`        if attempt > ${onError.retries}:`, "            ack()", '            print(f"{message_id}: {error}; dropped (acked without processing)")', "            return"),
    manual
      ? lines("        nack()  # delivered again at once (with a dead-letter policy, one attempt more counted)", '        print(f"{message_id}: {error}; nacked: Pub/Sub delivers it again")')
      : '        print(f"{message_id}: {error}; lost: acked on receipt")',
    "        return",
    consumer.idempotent && "    processed.add(message_id)",
    manual && "    ack()  # manual: acked once the work is done",
    `    ${pyProcessed("{f' (attempt {attempt})' if attempt > 1 else ''}")}`,
    "",
    "",
    "def main():",
    creates && "    publisher = pubsub_v1.PublisherClient()",
    "    subscriber = pubsub_v1.SubscriberClient()",
    '    path = f"projects/{PROJECT}/subscriptions/{SUBSCRIPTION}"',
    creates && pyCreateTopics(endpoint.topics),
    pyCreateSubscription(declared),
    pull ? pyPullLoop(extend) : pyStreamingPull,
    "",
    "",
    pyMain,
  );
}

const pyStreamingPull = lines(
  "    # Streaming pull: the library keeps a stream open, holds at most CONCURRENCY unacked messages and extends their deadlines.",
  "    def callback(message):",
  "        handle(message.data, message.attributes, message.delivery_attempt, message.ack, message.nack)",
  "",
  "    future = subscriber.subscribe(path, callback=callback, flow_control=pubsub_v1.types.FlowControl(max_messages=CONCURRENCY))",
  '    print(f"consuming {SUBSCRIPTION} by streaming pull; press Ctrl+C to stop")',
  "    try:",
  "        future.result()",
  "    except KeyboardInterrupt:",
  "        future.cancel()",
  "        future.result()",
  "    subscriber.close()",
);

function pyPullLoop(extend: boolean): string {
  return lines(
    "    # Pull: one Pull call at a time, up to CONCURRENCY messages, each acked or nacked by its ack id.",
    "    def deadline(ack_id, seconds):",
    '        subscriber.modify_ack_deadline(request={"subscription": path, "ack_ids": [ack_id], "ack_deadline_seconds": seconds})',
    "",
    "    def take(received):",
    "        ack_id = received.ack_id",
    extend && lines(
      "        done = threading.Event()",
      "",
      "        def keep_alive():",
      '            """Keeps the deadline from lapsing while the work runs (halfway through each deadline)."""',
      "            while not done.wait(ACK_DEADLINE_SECONDS / 2):",
      "                deadline(ack_id, ACK_DEADLINE_SECONDS)",
      "",
      "        threading.Thread(target=keep_alive, daemon=True).start()",
    ),
    '        ack = lambda: subscriber.acknowledge(request={"subscription": path, "ack_ids": [ack_id]})  # noqa: E731',
    "        nack = lambda: deadline(ack_id, 0)  # noqa: E731",
    extend
      ? lines("        try:", "            handle(received.message.data, received.message.attributes, received.delivery_attempt, ack, nack)", "        finally:", "            done.set()")
      : "        handle(received.message.data, received.message.attributes, received.delivery_attempt, ack, nack)",
    "",
    '    print(f"consuming {SUBSCRIPTION} by pull; press Ctrl+C to stop")',
    "    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:",
    "        try:",
    "            while True:",
    "                try:",
    '                    response = subscriber.pull(request={"subscription": path, "max_messages": CONCURRENCY}, timeout=5)',
    "                except DeadlineExceeded:",
    "                    continue  # nothing to deliver within the wait",
    "                list(pool.map(take, response.received_messages))",
    "        except KeyboardInterrupt:",
    "            pass",
    "    subscriber.close()",
  );
}

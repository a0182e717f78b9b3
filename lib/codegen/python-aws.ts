// The boto3 programs: a producer that sends to an SQS queue, publishes to an SNS topic or puts
// events on an EventBridge bus, and a long-polling SQS consumer that deletes after the work and
// leaves a failed message to its visibility timeout, retries and dead-letter queue.
import { pyQuote } from "./escape";
import type { Expr } from "./expression";
import type { AwsEndpoint, AwsQueueDecl, AwsRoute } from "./aws-plan";
import { pyFeedQueue, pyFindTopicArn } from "./aws-feeds";
import { awsQueueAttributes, awsTraceparentHeader, awsWaitSeconds } from "./aws-plan";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { pyProducerLoop, pyRender } from "./python-rabbitmq";
import { py, pyHeaderLines, pyImports, pyLiteral, pyMain, pyString, pyWork, pyWorkUsesRandom } from "./python-syntax";

const q = pyQuote;

function pyAwsConfig(endpoint: AwsEndpoint, services: string[]): string {
  return lines(
    `ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", ${q(endpoint.endpoint)})`,
    `REGION = os.environ.get("AWS_REGION", ${q(endpoint.region)})`,
    "# Emulators (moto, LocalStack) take any key; real AWS uses the default credential chain.",
    'KEYS = {} if os.environ.get("AWS_ACCESS_KEY_ID") else {"aws_access_key_id": "test", "aws_secret_access_key": "test"}',
    ...services.map((service) => `${service === "events" ? "events" : service} = boto3.client(${q(service)}, endpoint_url=ENDPOINT, region_name=REGION, **KEYS)`),
  );
}

const queueHelpers = lines(
  "def declare_queue(name, attributes, dead_letter=None):",
  '    """CreateQueue is idempotent for equal attributes and fails on different ones."""',
  "    if dead_letter:",
  '        dlq_arn = sqs.get_queue_attributes(QueueUrl=queue_url(dead_letter["queue"]), AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]',
  '        attributes = {**attributes, "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": dead_letter["maxReceiveCount"]})}',
  '    return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]',
  "",
  "",
  "def queue_url(name):",
  '    return sqs.get_queue_url(QueueName=name)["QueueUrl"]',
);

function declareQueues(queues: AwsQueueDecl[]): string {
  const created = queues.filter((queue) => !queue.existing);
  if (created.length === 0) return "";
  return lines(
    "# Create the scenario's queues (dead-letter queues first) with its attributes; an existing queue with other attributes fails.",
    ...created.map((queue) => `declare_queue(${q(queue.name)}, ${pyLiteral(awsQueueAttributes(queue))}${queue.deadLetter ? `, ${pyLiteral(queue.deadLetter)}` : ""})`),
  );
}

function attributeLines(headers: [string, Expr][]): string[] {
  return [
    ...pyHeaderLines(headers, "payload", true),
    `${q(codegenHeaders.id)}: message_id,`,
    `${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)),`,
    `${q(codegenHeaders.attempt)}: "1",`,
    `${q(awsTraceparentHeader)}: traceparent(),`,
  ];
}

function send(route: AwsRoute, headers: [string, Expr][]): string {
  const attrs = (extra: [string, Expr][]) => lines("{", py(attributeLines([...headers, ...extra]).join("\n"), 1), "}");
  if (route.service === "events") {
    return lines(
      "# EventBridge has no message attributes: Brokerlab's headers ride in the event's detail, under _brokerlab.",
      "result = events.put_events(Entries=[{",
      "    \"EventBusName\": BUS,",
      `    "Source": ${q(route.source)},`,
      `    "DetailType": ${q(route.detailType)},`,
      `    "Detail": json.dumps({**payload, "_brokerlab": ${py(attrs([]), 1).trimStart()}}),`,
      "}])",
      'if result["FailedEntryCount"]:',
      '    raise RuntimeError(f"PutEvents refused {message_id}: {result[\'Entries\'][0].get(\'ErrorMessage\')}")',
    );
  }
  const fifo = route.fifo
    ? [
        `    MessageGroupId=${route.groupId ? pyString(route.groupId) : q("default")},  # FIFO: ordered within a message group`,
        `    MessageDeduplicationId=${route.deduplicationId ? pyString(route.deduplicationId) : "message_id"},  # FIFO: a repeat within 5 minutes is dropped`,
      ]
    : [];
  const attributes = `    MessageAttributes=attributes(${py(attrs(route.service === "sns" ? route.attributes : []), 1).trimStart()}),`;
  return route.service === "sns"
    ? lines("sns.publish(", "    TopicArn=topic_arn,", "    Message=json.dumps(payload),", ...fifo, attributes, ")")
    : lines("sqs.send_message(", "    QueueUrl=url,", "    MessageBody=json.dumps(payload),", ...fifo, attributes, ")");
}

const pyTraceparent = lines("def traceparent():", '    """A W3C traceparent for each message: a new trace id and span id, sampled."""', '    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"');
const pyAttributes = lines("def attributes(values):", '    """SQS and SNS want each attribute typed; every value here is a string."""', '    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}');

export function pyAwsProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as AwsEndpoint;
  if (plan.route.kind !== "aws") return "";
  const route = plan.route;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, ...plan.headers.map(([, value]) => value), ...(route.service === "events" ? [] : [route.groupId, route.deduplicationId]), ...(route.service === "sns" ? route.attributes.map(([, value]) => value) : [])];
  const topic = route.service === "sns" ? endpoint.topics.find((t) => t.name === route.topic) : undefined;
  const bus = route.service === "events" ? endpoint.buses.find((b) => b.name === route.bus) : undefined;
  const locate =
    route.service === "sqs"
      ? lines(declareQueues(endpoint.queues), "url = queue_url(QUEUE)")
      : route.service === "sns"
        ? topic && !topic.existing
          ? lines("# CreateTopic is idempotent: it returns the topic's ARN, creating the topic when it is missing.", `topic_arn = sns.create_topic(Name=TOPIC${route.fifo ? ', Attributes={"FifoTopic": "true"}' : ""})["TopicArn"]`)
          : lines("# SNS finds a topic by ARN only: look for the name in the account's topics.", "topic_arn = find_topic_arn(TOPIC)")
        : bus && !bus.existing
          ? lines("try:", "    events.create_event_bus(Name=BUS)", "except events.exceptions.ResourceAlreadyExistsException:", "    pass")
          : "";
  return lines(
    pyImports(exprs, ["import boto3"]).replace("import time\n", "import secrets\nimport time\n"),
    "",
    pyAwsConfig(endpoint, [route.service]),
    route.service === "sqs" ? `QUEUE = ${q(route.queue)}` : route.service === "sns" ? `TOPIC = ${q(route.topic)}` : `BUS = ${q(route.bus)}`,
    ...loop.constants,
    "",
    "",
    pyRender(plan),
    "",
    "",
    pyTraceparent,
    route.service !== "events" && lines("", "", pyAttributes),
    route.service === "sqs" && lines("", "", queueHelpers),
    route.service === "sns" && !(topic && !topic.existing) && lines("", "", pyFindTopicArn),
    "",
    "",
    "def main():",
    locate && py(locate, 1),
    loop.start,
    "            # The call returns once the service has stored the message (and raises if it refused it).",
    py(send(route, plan.headers), 3),
    "            sent += 1",
    loop.pace && `            ${loop.pace}`,
    "            seq += 1",
    "    except KeyboardInterrupt:",
    "        pass",
    '    print(f"published {sent} messages")',
    "",
    "",
    pyMain,
  );
}

const unwrap = lines(
  "def unwrap(message):",
  '    """The body and headers of what reached the queue: a message, an SNS envelope (no raw delivery) or an EventBridge event."""',
  '    headers = {name: value.get("StringValue", "") for name, value in message.get("MessageAttributes", {}).items()}',
  '    body = message.get("Body", "")',
  "    try:",
  "        parsed = json.loads(body)",
  "    except ValueError:",
  "        return body, headers",
  '    if isinstance(parsed, dict) and parsed.get("Type") == "Notification" and isinstance(parsed.get("Message"), str):',
  '        headers.update({name: str(value.get("Value")) for name, value in parsed.get("MessageAttributes", {}).items()})',
  '        return parsed["Message"], headers',
  '    if isinstance(parsed, dict) and "detail-type" in parsed and isinstance(parsed.get("detail"), dict):',
  '        detail = dict(parsed["detail"])',
  '        headers.update(detail.pop("_brokerlab", None) or {})',
  "        return json.dumps(detail), headers",
  "    return body, headers",
);

export function pyAwsConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "";
  const endpoint = plan.endpoint as AwsEndpoint;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const remove = 'sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])';
  const visible = (seconds: string) => `sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=${seconds})`;
  const dlqFifo = plan.deadLetterQueue?.endsWith(".fifo");
  const queue = consumer.from.queue;
  const feed = pyFeedQueue(endpoint, queue, endpoint.queues.some((declared) => declared.name === queue && !declared.existing));
  const clients = ["sqs", ...(endpoint.subscriptions.length > 0 ? ["sns"] : []), ...(endpoint.rules.length > 0 ? ["events"] : [])];
  const then =
    !manual
      ? 'print(f"{message_id}: {reason}; lost: auto deleted it on receipt")'
      : onError.then === "dead-letter"
        ? plan.deadLetterQueue
          ? lines(
              "# Dead letter: a copy goes to the queue's dead-letter queue with the reason, then the message is deleted.",
              "sqs.send_message(",
              "    QueueUrl=queue_url(DEAD_LETTER_QUEUE),",
              '    MessageBody=message.get("Body", ""),',
              '    MessageAttributes={**message.get("MessageAttributes", {}), "x-brokerlab-dead-letter-reason": {"DataType": "String", "StringValue": reason}},',
              dlqFifo && '    MessageGroupId=message.get("Attributes", {}).get("MessageGroupId", "default"),',
              dlqFifo && '    MessageDeduplicationId=message["MessageId"],',
              ")",
              remove,
              'print(f"{message_id}: {reason}; dead-lettered to {DEAD_LETTER_QUEUE} after {attempt} receive(s)")',
            )
          : lines(`${remove}  # the queue has no dead-letter queue: the message is dropped`, 'print(f"{message_id}: {reason}; dropped (no dead-letter queue)")')
        : onError.then === "requeue"
          ? lines(`${visible("0")}  # visible again at once: delivered again, its receive count one higher`, 'print(f"{message_id}: {reason}; visible again")')
          : lines(`${remove}  # dropped: deleted without being processed`, 'print(f"{message_id}: {reason}; dropped")');
  return lines(
    pyImports([], ["import boto3"], { random: pyWorkUsesRandom(consumer) }).replace("import time\n", "import threading\nimport time\n"),
    "",
    pyAwsConfig(endpoint, clients),
    `QUEUE = ${q(consumer.from.queue)}`,
    plan.deadLetterQueue && `DEAD_LETTER_QUEUE = ${q(plan.deadLetterQueue)}`,
    `WAIT_SECONDS = ${awsWaitSeconds(consumer.from)}  # long polling: a receive waits up to this long for a message`,
    `CONCURRENCY = ${consumer.concurrency}  # receive loops (threads), one message each at a time`,
    retries && `RETRIES = ${onError.retries}`,
    retries && `BACKOFF_MS = [${onError.backoffMs.join(", ")}]  # the delay before each retry; the last one repeats`,
    "",
    "",
    pyWork(consumer),
    "",
    "",
    queueHelpers,
    "",
    "",
    unwrap,
    feed && lines("", "", feed),
    "",
    "",
    "def main():",
    declareQueues(endpoint.queues) && py(declareQueues(endpoint.queues), 1),
    "    url = queue_url(QUEUE)",
    feed && "    feed_queue(url)",
    "    stop = threading.Event()",
    "    lock = threading.Lock()",
    consumer.idempotent && "    processed = set()  # ids already processed: a repeat is deleted, not processed again",
    consumer.failures.crashAfter !== undefined && "    taken = 0",
    "",
    "    def handle(message):",
    consumer.failures.crashAfter !== undefined && "        nonlocal taken",
    "        body, headers = unwrap(message)",
    `        message_id = headers.get(${q(codegenHeaders.id)}) or message["MessageId"]`,
    "        # SQS counts receives: the first delivery is 1, each time the visibility timeout lapsed adds one.",
    '        attempt = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))',
    `        trace_id = (headers.get(${q(awsTraceparentHeader)}) or "").split("-")[1:2]`,
    consumer.idempotent && lines("        with lock:", "            seen = message_id in processed", "        if seen:", `            ${remove}`, '            print(f"{message_id}: a duplicate, deleted without processing")', "            return"),
    consumer.failures.crashAfter !== undefined &&
      lines("        with lock:", "            taken += 1", `            crash = taken >= ${consumer.failures.crashAfter}`, "        if crash:", '            print(f"crashAfter: exiting before deleting {message_id}")', "            os._exit(1)"),
    !manual && `        ${remove}  # auto: deleted on receipt, before the work`,
    "        try:",
    "            work(json.loads(body))",
    consumer.idempotent && lines("            with lock:", "                processed.add(message_id)"),
    manual && `            ${remove}  # manual: deleted once the work is done`,
    '            print(f"{message_id}: processed" + (f" (receive {attempt})" if attempt > 1 else "") + (f" in trace {trace_id[0]}" if trace_id else ""))',
    "        except Exception as error:  # noqa: BLE001 - every failure goes through the scenario's onError policy",
    "            reason = str(error)",
    retries && manual
      ? lines(
          "            if attempt <= RETRIES:",
          "                # Retry: the message stays in the queue and becomes visible again after the backoff.",
          "                delay_ms = BACKOFF_MS[min(attempt, len(BACKOFF_MS)) - 1] if BACKOFF_MS else 0",
          `                ${visible("round(delay_ms / 1000)")}`,
          '                print(f"{message_id}: {reason}; receive {attempt + 1} in {delay_ms} ms")',
          "            else:",
          py(then, 4),
        )
      : py(then, 3),
    "",
    "    def receive_loop():",
    "        while not stop.is_set():",
    "            received = sqs.receive_message(",
    "                QueueUrl=url,",
    "                MaxNumberOfMessages=1,",
    "                WaitTimeSeconds=WAIT_SECONDS,",
    '                MessageAttributeNames=["All"],',
    '                MessageSystemAttributeNames=["ApproximateReceiveCount", "MessageGroupId"],',
    "            )",
    '            for message in received.get("Messages", []):',
    "                handle(message)",
    "",
    '    print(f"consuming {QUEUE} with {CONCURRENCY} receive loop(s); press Ctrl+C to stop")',
    "    threads = [threading.Thread(target=receive_loop, daemon=True) for _ in range(CONCURRENCY)]",
    "    for thread in threads:",
    "        thread.start()",
    "    try:",
    "        while any(thread.is_alive() for thread in threads):",
    "            time.sleep(0.5)",
    "    except KeyboardInterrupt:",
    "        stop.set()  # each loop ends after its current receive (at most WAIT_SECONDS)",
    "",
    "",
    pyMain,
  );
}

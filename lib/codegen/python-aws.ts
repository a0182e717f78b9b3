// The boto3 programs: a producer that sends to an SQS queue, publishes to an SNS topic or puts
// events on an EventBridge bus, and a long-polling SQS consumer that deletes after the work and
// leaves a failed message to its visibility timeout, retries and dead-letter queue.
import { pyQuote } from "./escape";
import type { AwsEndpoint } from "./aws-plan";
import { pyFeedQueue, pyFindTopicArn } from "./aws-feeds";
import { awsProducerParts, awsTraceparentHeader, awsWaitSeconds } from "./aws-plan";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { pyAttributes, pyAwsConfig, pyAwsDeclareQueues, pyAwsQueueHelpers, pyAwsSend, pyTraceparent } from "./python-aws-clients";
import { pyProducerLoop, pyRender } from "./python-rabbitmq";
import { py, pyImports, pyMain, pyWork, pyWorkUsesRandom } from "./python-syntax";

const q = pyQuote;

export function pyAwsProducerProgram(plan: ProducerPlan): string {
  const parts = awsProducerParts(plan);
  if (!parts) return "";
  const { route, endpoint, exprs, createsTopic, createsBus } = parts;
  const loop = pyProducerLoop(plan);
  const locate =
    route.service === "sqs"
      ? lines(pyAwsDeclareQueues(endpoint.queues), "url = queue_url(QUEUE)")
      : route.service === "sns"
        ? createsTopic
          ? lines("# CreateTopic is idempotent: it returns the topic's ARN, creating the topic when it is missing.", `topic_arn = sns.create_topic(Name=TOPIC${route.fifo ? ', Attributes={"FifoTopic": "true"}' : ""})["TopicArn"]`)
          : lines("# SNS finds a topic by ARN only: look for the name in the account's topics.", "topic_arn = find_topic_arn(TOPIC)")
        : createsBus
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
    route.service === "sqs" && lines("", "", pyAwsQueueHelpers),
    route.service === "sns" && !createsTopic && lines("", "", pyFindTopicArn),
    "",
    "",
    "def main():",
    locate && py(locate, 1),
    loop.start,
    "            # The call returns once the service has stored the message (and raises if it refused it).",
    py(pyAwsSend(route, plan.headers), 3),
    loop.end,
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
    pyAwsQueueHelpers,
    "",
    "",
    unwrap,
    feed && lines("", "", feed),
    "",
    "",
    "def main():",
    pyAwsDeclareQueues(endpoint.queues) && py(pyAwsDeclareQueues(endpoint.queues), 1),
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

// Python snippets for Amazon SQS/SNS/EventBridge with boto3: the clients on the scenario's
// endpoint, the declarations, and a send that carries Brokerlab's headers.
import { pyQuote } from "./escape";
import type { Expr } from "./expression";
import type { AwsEndpoint, AwsQueueDecl, AwsRoute } from "./aws-plan";
import { awsQueueAttributes, awsTraceparentHeader } from "./aws-plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { py, pyHeaderLines, pyLiteral, pyString } from "./python-syntax";

const q = pyQuote;

export function pyAwsConfig(endpoint: AwsEndpoint, services: string[]): string {
  return lines(
    `ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", ${q(endpoint.endpoint)})`,
    `REGION = os.environ.get("AWS_REGION", ${q(endpoint.region)})`,
    "# Emulators (moto, LocalStack) take any key; real AWS uses the default credential chain.",
    'KEYS = {} if os.environ.get("AWS_ACCESS_KEY_ID") else {"aws_access_key_id": "test", "aws_secret_access_key": "test"}',
    ...services.map((service) => `${service === "events" ? "events" : service} = boto3.client(${q(service)}, endpoint_url=ENDPOINT, region_name=REGION, **KEYS)`),
  );
}

/** The queue helpers: declare_queue (CreateQueue, with a redrive policy to a dead-letter queue) and queue_url. */
export const pyAwsQueueHelpers = lines(
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

/** Creates the declared queues that are not `existing` (dead-letter queues first). */
export function pyAwsDeclareQueues(queues: AwsQueueDecl[]): string {
  const created = queues.filter((queue) => !queue.existing);
  if (created.length === 0) return "";
  return lines(
    "# Create the scenario's queues (dead-letter queues first) with its attributes; an existing queue with other attributes fails.",
    ...created.map((queue) => `declare_queue(${q(queue.name)}, ${pyLiteral(awsQueueAttributes(queue))}${queue.deadLetter ? `, ${pyLiteral(queue.deadLetter)}` : ""})`),
  );
}

/** Brokerlab's headers (id, sent-at, attempt, a W3C traceparent) and the scenario's, all strings: SQS/SNS attributes, Redis and Pub/Sub headers. */
export function attributeLines(headers: [string, Expr][]): string[] {
  return [
    ...pyHeaderLines(headers, "payload", true),
    `${q(codegenHeaders.id)}: message_id,`,
    `${q(codegenHeaders.sentAt)}: str(int(time.time() * 1000)),`,
    `${q(codegenHeaders.attempt)}: "1",`,
    `${q(awsTraceparentHeader)}: traceparent(),`,
  ];
}

/** The statement that sends one message (`payload`, `message_id`, `seq` in scope). */
export function pyAwsSend(route: AwsRoute, headers: [string, Expr][]): string {
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

export const pyTraceparent = lines("def traceparent():", '    """A W3C traceparent for each message: a new trace id and span id, sampled."""', '    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"');
export const pyAttributes = lines("def attributes(values):", '    """SQS and SNS want each attribute typed; every value here is a string."""', '    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}');

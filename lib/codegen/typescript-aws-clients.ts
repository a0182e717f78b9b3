// TypeScript snippets for Amazon SQS/SNS/EventBridge with the AWS SDK v3: the clients on the
// scenario's endpoint, the declarations, and a send that carries Brokerlab's headers.
import { tsLiteral, tsQuote } from "./escape";
import type { Expr } from "./expression";
import type { AwsEndpoint, AwsQueueDecl, AwsRoute } from "./aws-plan";
import { awsQueueAttributes, awsTraceparentHeader } from "./aws-plan";
import { codegenHeaders } from "./plan";
import { indent, lines } from "./source";
import { tsHeaderLines, tsString } from "./typescript-syntax";

const q = tsQuote;

export const tsAwsImports = (services: { sqs?: string[]; sns?: string[]; events?: string[] }) =>
  lines(
    services.sqs && `import { ${services.sqs.join(", ")} } from "@aws-sdk/client-sqs";`,
    services.sns && `import { ${services.sns.join(", ")} } from "@aws-sdk/client-sns";`,
    services.events && `import { ${services.events.join(", ")} } from "@aws-sdk/client-eventbridge";`,
  );

export function tsAwsConfig(endpoint: AwsEndpoint): string {
  return lines(
    `const endpoint = process.env.AWS_ENDPOINT_URL ?? ${q(endpoint.endpoint)};`,
    `const region = process.env.AWS_REGION ?? ${q(endpoint.region)};`,
    "// Emulators (moto, LocalStack) take any key; real AWS uses the default credential chain.",
    'const credentials = process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: "test", secretAccessKey: "test" };',
    "const config = { endpoint, region, credentials };",
  );
}

/** The queue-declaring helper: CreateQueue is idempotent for equal attributes and fails on different ones. */
export const tsAwsQueueHelpers = (declares: boolean) => lines(
  declares && lines(
  "async function declareQueue(name: string, attributes: Record<string, string>, deadLetter?: { queue: string; maxReceiveCount: number }): Promise<string> {",
  "  if (deadLetter) {",
  "    const dlqUrl = await queueUrl(deadLetter.queue);",
  '    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));',
  "    attributes = { ...attributes, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: deadLetter.maxReceiveCount }) };",
  "  }",
  "  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));",
  "  return QueueUrl!;",
  "}",
  "",
  ),
  "async function queueUrl(name: string): Promise<string> {",
  "  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));",
  "  return QueueUrl!;",
  "}",
);

/** Creates the declared queues that are not `existing` (dead-letter queues first). */
export function tsAwsDeclareQueues(queues: AwsQueueDecl[]): string {
  const created = queues.filter((queue) => !queue.existing);
  if (created.length === 0) return "";
  return lines(
    "// Create the scenario's queues (dead-letter queues first) with its attributes; an existing queue with other attributes fails.",
    ...created.map((queue) => `await declareQueue(${q(queue.name)}, ${tsLiteral(awsQueueAttributes(queue))}${queue.deadLetter ? `, ${tsLiteral(queue.deadLetter)}` : ""});`),
  );
}

/** Brokerlab's headers (id, sent-at, attempt, a W3C traceparent) and the scenario's, all strings: SQS/SNS attributes, Redis and Pub/Sub headers. */
export function attributeLines(headers: [string, Expr][], id: string, source: string): string[] {
  return [
    ...tsHeaderLines(headers, source, true),
    `${q(codegenHeaders.id)}: ${id},`,
    `${q(codegenHeaders.sentAt)}: String(Date.now()),`,
    `${q(codegenHeaders.attempt)}: "1",`,
    `${q(awsTraceparentHeader)}: traceparent(),`,
  ];
}

/** A W3C traceparent for each message: a new trace id and span id, sampled. */
export const tsTraceparent = 'const traceparent = () => `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;';

/** SQS and SNS want each attribute typed; every value here is a string. */
export const tsAttributes = lines(
  "const attributes = (values: Record<string, string>) =>",
  '  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { DataType: "String", StringValue: value }]));',
);

/** The statement that sends one message (`payload`, `id`, `seq` in scope). */
export function tsAwsSend(route: AwsRoute, headers: [string, Expr][]): string {
  const attrs = lines("{", indent(attributeLines(route.service === "sns" ? [...headers, ...route.attributes] : headers, "id", "payload").join("\n"), 1), "}");
  if (route.service === "events") {
    return lines(
      "// EventBridge has no message attributes: Brokerlab's headers ride in the event's detail, under _brokerlab.",
      "const event = await events.send(new PutEventsCommand({",
      "  Entries: [{",
      "    EventBusName: bus,",
      `    Source: ${q(route.source)},`,
      `    DetailType: ${q(route.detailType)},`,
      `    Detail: JSON.stringify({ ...payload, _brokerlab: ${indent(attrs, 2).trimStart()} }),`,
      "  }],",
      "}));",
      'if (event.FailedEntryCount) throw new Error(`PutEvents refused ${id}: ${event.Entries?.[0]?.ErrorMessage ?? "unknown error"}`);',
    );
  }
  const fifo = route.fifo
    ? [
        `  MessageGroupId: ${route.groupId ? tsString(route.groupId) : q("default")}, // FIFO: ordered within a message group`,
        `  MessageDeduplicationId: ${route.deduplicationId ? tsString(route.deduplicationId) : "id"}, // FIFO: a repeat within 5 minutes is dropped`,
      ]
    : [];
  return route.service === "sns"
    ? lines("await sns.send(new PublishCommand({", "  TopicArn: topicArn,", "  Message: JSON.stringify(payload),", ...fifo, `  MessageAttributes: attributes(${indent(attrs, 1).trimStart()}),`, "}));")
    : lines("await sqs.send(new SendMessageCommand({", "  QueueUrl: url,", "  MessageBody: JSON.stringify(payload),", ...fifo, `  MessageAttributes: attributes(${indent(attrs, 1).trimStart()}),`, "}));");
}

// The AWS SDK v3 programs: a producer that sends to an SQS queue, publishes to an SNS topic or puts
// events on an EventBridge bus, and a long-polling SQS consumer that deletes after the work and
// leaves a failed message to its visibility timeout, retries and dead-letter queue.
import { tsQuote } from "./escape";
import type { AwsEndpoint } from "./aws-plan";
import { tsFeedCommands, tsFeedQueue, tsFindTopicArn } from "./aws-feeds";
import { awsProducerParts, awsTraceparentHeader, awsWaitSeconds } from "./aws-plan";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import { indent, lines } from "./source";
import { tsAttributes, tsAwsConfig, tsAwsDeclareQueues, tsAwsImports, tsAwsQueueHelpers, tsAwsSend, tsTraceparent } from "./typescript-aws-clients";
import { tsProducerLoop, tsRender } from "./typescript-rabbitmq";
import { tsHelpers, tsMain, tsSleep, tsUsesUuid, tsWork } from "./typescript-syntax";

const q = tsQuote;
const sqsQueueCommands = ["CreateQueueCommand", "GetQueueAttributesCommand", "GetQueueUrlCommand"];

export function tsAwsProducerProgram(plan: ProducerPlan): string {
  const parts = awsProducerParts(plan);
  if (!parts) return "";
  const { route, endpoint, exprs, createsTopic, createsBus } = parts;
  const loop = tsProducerLoop(plan);
  const target =
    route.service === "sqs"
      ? lines(`const queue = ${q(route.queue)};`, "const sqs = new SQSClient(config);")
      : route.service === "sns"
        ? lines(`const topic = ${q(route.topic)};`, "const sns = new SNSClient(config);")
        : lines(`const bus = ${q(route.bus)};`, "const events = new EventBridgeClient(config);");
  const locate =
    route.service === "sqs"
      ? lines(tsAwsDeclareQueues(endpoint.queues), "const url = await queueUrl(queue);")
      : route.service === "sns"
        ? createsTopic
          ? lines("// CreateTopic is idempotent: it returns the topic's ARN, creating the topic when it is missing.", `const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: topic${route.fifo ? ', Attributes: { FifoTopic: "true" }' : ""} }));`)
          : lines("// SNS finds a topic by ARN only: look for the name in the account's topics.", "const topicArn = await findTopicArn(topic);")
        : createsBus
          ? lines(
              "try {",
              "  await events.send(new CreateEventBusCommand({ Name: bus }));",
              "} catch (error) {",
              '  if (!(error instanceof Error && error.name === "ResourceAlreadyExistsException")) throw error;',
              "}",
            )
          : "";
  return lines(
    tsAwsImports(
      route.service === "sqs"
        ? { sqs: ["SQSClient", "SendMessageCommand", ...(endpoint.queues.some((queue) => !queue.existing) ? sqsQueueCommands : ["GetQueueUrlCommand"])] }
        : route.service === "sns"
          ? { sns: ["SNSClient", "PublishCommand", createsTopic ? "CreateTopicCommand" : "ListTopicsCommand"] }
          : { events: ["EventBridgeClient", "PutEventsCommand", ...(createsBus ? ["CreateEventBusCommand"] : [])] },
    ),
    `import { randomBytes${tsUsesUuid(exprs) ? ", randomUUID" : ""} } from "node:crypto";`,
    "",
    tsAwsConfig(endpoint),
    target,
    ...loop.constants,
    loop.pace && tsSleep,
    tsHelpers(exprs),
    tsTraceparent,
    route.service !== "events" && tsAttributes,
    "",
    tsRender(plan),
    "",
    route.service === "sqs" && tsAwsQueueHelpers(endpoint.queues.some((queue) => !queue.existing)),
    route.service === "sns" && !createsTopic && tsFindTopicArn,
    "",
    "async function main(): Promise<void> {",
    indent(locate, 1),
    loop.start,
    "    // The call resolves once the service has stored the message (and rejects if it refused it).",
    indent(tsAwsSend(route, plan.headers), 2),
    loop.end(),
    "  console.log(`published ${sent} messages`);",
    "}",
    "",
    tsMain,
  );
}

/** Unwraps what reaches the queue: a message itself, an SNS envelope (no raw delivery) or an EventBridge event. */
const tsUnwrap = lines(
  "function unwrap(message: Message): { body: string; headers: Record<string, string> } {",
  "  const headers: Record<string, string> = {};",
  "  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) headers[name] = value.StringValue ?? \"\";",
  '  const body = message.Body ?? "";',
  "  let parsed: Record<string, unknown> | undefined;",
  "  try {",
  "    parsed = JSON.parse(body) as Record<string, unknown>;",
  "  } catch {",
  "    return { body, headers };",
  "  }",
  '  if (parsed?.Type === "Notification" && typeof parsed.Message === "string") {',
  "    // SNS without raw delivery: the message and its attributes inside SNS's JSON envelope.",
  "    for (const [name, value] of Object.entries((parsed.MessageAttributes ?? {}) as Record<string, { Value: string }>)) headers[name] = String(value.Value);",
  "    return { body: parsed.Message, headers };",
  "  }",
  '  if (parsed && typeof parsed === "object" && "detail-type" in parsed && parsed.detail && typeof parsed.detail === "object") {',
  "    // An EventBridge rule delivers the whole event; Brokerlab's headers ride in detail._brokerlab.",
  "    const { _brokerlab, ...detail } = parsed.detail as Record<string, unknown>;",
  "    Object.assign(headers, (_brokerlab ?? {}) as Record<string, string>);",
  "    return { body: JSON.stringify(detail), headers };",
  "  }",
  "  return { body, headers };",
  "}",
);

export function tsAwsConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "";
  const endpoint = plan.endpoint as AwsEndpoint;
  const manual = consumer.ack === "manual";
  const retries = onError.retries > 0;
  const remove = "await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));";
  const visible = (seconds: string) => `await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: ${seconds} }));`;
  const then =
    !manual
      ? ["console.warn(`${id}: ${reason}; lost: auto deleted it on receipt`);"]
      : onError.then === "dead-letter"
        ? plan.deadLetterQueue
          ? [
              "// Dead letter: a copy goes to the queue's dead-letter queue with the reason, then the message is deleted.",
              "await sqs.send(new SendMessageCommand({",
              "  QueueUrl: await queueUrl(deadLetterQueue),",
              "  MessageBody: message.Body ?? \"\",",
              "  MessageAttributes: { ...message.MessageAttributes, \"x-brokerlab-dead-letter-reason\": { DataType: \"String\", StringValue: reason } },",
              `${plan.deadLetterQueue.endsWith(".fifo") ? "  MessageGroupId: message.Attributes?.MessageGroupId ?? \"default\",\n  MessageDeduplicationId: message.MessageId,\n" : ""}}));`,
              remove,
              "console.warn(`${id}: ${reason}; dead-lettered to ${deadLetterQueue} after ${attempt} receive(s)`);",
            ]
          : [remove + " // the queue has no dead-letter queue: the message is dropped", "console.warn(`${id}: ${reason}; dropped (no dead-letter queue)`);"]
        : onError.then === "requeue"
          ? [visible("0") + " // visible again at once: delivered again, its receive count one higher", "console.warn(`${id}: ${reason}; visible again`);"]
          : [remove + " // dropped: deleted without being processed", "console.warn(`${id}: ${reason}; dropped`);"];
  const changesVisibility = manual && (retries || onError.then === "requeue");
  const deadLetters = manual && onError.then === "dead-letter" && Boolean(plan.deadLetterQueue);
  const declares = endpoint.queues.some((queue) => !queue.existing);
  const commands = [
    "SQSClient",
    "ReceiveMessageCommand",
    "DeleteMessageCommand",
    ...(changesVisibility ? ["ChangeMessageVisibilityCommand"] : []),
    ...(deadLetters ? ["SendMessageCommand"] : []),
    ...(declares ? sqsQueueCommands : ["GetQueueUrlCommand"]),
  ];
  const queue = consumer.from.queue;
  const ownsQueue = endpoint.queues.some((q) => q.name === queue && !q.existing);
  const feed = tsFeedQueue(endpoint, queue, ownsQueue);
  if (feed) commands.push(...["GetQueueAttributesCommand", ...(ownsQueue ? ["SetQueueAttributesCommand"] : [])].filter((c) => !commands.includes(c)));
  const usesSleep = consumer.work.ms > 0 || consumer.work.jitterMs > 0;
  return lines(
    tsAwsImports({ sqs: commands, ...tsFeedCommands(endpoint) }),
    'import type { Message } from "@aws-sdk/client-sqs";',
    "",
    tsAwsConfig(endpoint),
    "const sqs = new SQSClient(config);",
    `const queue = ${q(consumer.from.queue)};`,
    plan.deadLetterQueue && `const deadLetterQueue = ${q(plan.deadLetterQueue)};`,
    `const waitSeconds = ${awsWaitSeconds(consumer.from)}; // long polling: a receive waits up to this long for a message`,
    `const concurrency = ${consumer.concurrency}; // receive loops, one message each at a time`,
    retries && manual && `const retries = ${onError.retries};`,
    retries && manual && `const backoffMs: number[] = [${onError.backoffMs.join(", ")}]; // the delay before each retry; the last one repeats`,
    usesSleep && tsSleep,
    "",
    tsWork(consumer),
    "",
    tsAwsQueueHelpers(declares),
    "",
    tsUnwrap,
    "",
    feed,
    "",
    "async function main(): Promise<void> {",
    indent(tsAwsDeclareQueues(endpoint.queues), 1),
    "  const url = await queueUrl(queue);",
    feed && "  await feedQueue(url);",
    "  const stop = new AbortController();",
    '  process.once("SIGINT", () => stop.abort());',
    consumer.idempotent && "  const processed = new Set<string>(); // ids already processed: a repeat is deleted, not processed again",
    consumer.failures.crashAfter !== undefined && "  let taken = 0;",
    "",
    "  async function handle(message: Message): Promise<void> {",
    "    const { body, headers } = unwrap(message);",
    `    const id = headers[${q(codegenHeaders.id)}] ?? message.MessageId ?? "?";`,
    "    // SQS counts receives: the first delivery is 1, each time the visibility timeout lapsed adds one.",
    '    const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? "1");',
    `    const traceId = headers[${q(awsTraceparentHeader)}]?.split("-")[1];`,
    consumer.idempotent && lines("    if (processed.has(id)) {", `      ${remove}`, "      console.log(`${id}: a duplicate, deleted without processing`);", "      return;", "    }"),
    consumer.failures.crashAfter !== undefined && lines(`    if (++taken >= ${consumer.failures.crashAfter}) {`, "      console.error(`crashAfter: exiting before deleting ${id}`);", "      process.exit(1);", "    }"),
    !manual && `    ${remove} // auto: deleted on receipt, before the work`,
    "    try {",
    "      await work(JSON.parse(body) as Record<string, unknown>);",
    consumer.idempotent && "      processed.add(id);",
    manual && `      ${remove} // manual: deleted once the work is done`,
    '      console.log(`${id}: processed${attempt > 1 ? ` (receive ${attempt})` : ""}${traceId ? ` in trace ${traceId}` : ""}`);',
    "    } catch (error) {",
    "      const reason = error instanceof Error ? error.message : String(error);",
    retries && manual
      ? lines(
          "      if (attempt <= retries) {",
          "        // Retry: the message stays in the queue and becomes visible again after the backoff.",
          "        const delayMs = backoffMs.length === 0 ? 0 : backoffMs[Math.min(attempt, backoffMs.length) - 1];",
          `        ${visible("Math.round(delayMs / 1000)")}`,
          "        console.warn(`${id}: ${reason}; receive ${attempt + 1} in ${delayMs} ms`);",
          "      } else {",
          indent(then.join("\n"), 4),
          "      }",
        )
      : indent(then.join("\n"), 3),
    "    }",
    "  }",
    "",
    "  async function receiveLoop(): Promise<void> {",
    "    while (!stop.signal.aborted) {",
    "      const received = await sqs",
    "        .send(",
    '          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["ApproximateReceiveCount", "MessageGroupId"] }),',
    "          { abortSignal: stop.signal },",
    "        )",
    "        .catch((error: unknown) => {",
    "          if (stop.signal.aborted) return { Messages: [] };",
    "          throw error;",
    "        });",
    "      for (const message of received.Messages ?? []) await handle(message);",
    "    }",
    "  }",
    "",
    "  console.log(`consuming ${queue} with ${concurrency} receive loop(s); press Ctrl+C to stop`);",
    "  await Promise.all(Array.from({ length: concurrency }, () => receiveLoop()));",
    "}",
    "",
    tsMain,
  );
}

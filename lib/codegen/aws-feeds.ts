// What feeds a consumer's queue on Amazon, set up by the generated consumer like a RabbitMQ consumer
// declares its bindings: the queue's SNS subscriptions (raw delivery, filter policy) and the
// EventBridge rules that target it, in TypeScript (AWS SDK v3) and Python (boto3).
import { pyQuote, tsQuote } from "./escape";
import type { AwsEndpoint } from "./aws-plan";
import { lines } from "./source";

const declared = (items: { name: string; existing: boolean }[], name: string) => items.find((item) => item.name === name);
/** A rule target's id: at most 64 of [A-Za-z0-9._-]; queue names are those characters already. */
const targetId = (queue: string) => queue.slice(0, 64);
/** A declared topic the program creates (CreateTopic is idempotent); others are looked up by name. */
const createsTopic = (endpoint: AwsEndpoint, topic: string) => declared(endpoint.topics, topic)?.existing === false;
const findsTopics = (endpoint: AwsEndpoint) => endpoint.subscriptions.some((sub) => !createsTopic(endpoint, sub.topic));

/** SNS finds a topic by ARN only: these look for the name in the account's topics. */
export const tsFindTopicArn = lines(
  "async function findTopicArn(name: string): Promise<string> {",
  "  let NextToken: string | undefined;",
  "  do {",
  "    const page = await sns.send(new ListTopicsCommand({ NextToken }));",
  "    const arn = page.Topics?.find((t) => t.TopicArn?.endsWith(`:${name}`))?.TopicArn;",
  "    if (arn) return arn;",
  "    NextToken = page.NextToken;",
  "  } while (NextToken);",
  "  throw new Error(`there is no SNS topic ${name}`);",
  "}",
);
export const pyFindTopicArn = lines(
  "def find_topic_arn(name):",
  '    for page in sns.get_paginator("list_topics").paginate():',
  '        for topic in page["Topics"]:',
  '            if topic["TopicArn"].endswith(":" + name):',
  '                return topic["TopicArn"]',
  '    raise RuntimeError(f"there is no SNS topic {name}")',
);

/** The SDK v3 commands the TypeScript feed uses, by client. */
export function tsFeedCommands(endpoint: AwsEndpoint): { sns?: string[]; events?: string[] } {
  const sns = endpoint.subscriptions.length > 0;
  const creates = endpoint.subscriptions.some((sub) => createsTopic(endpoint, sub.topic));
  const finds = endpoint.subscriptions.some((sub) => !createsTopic(endpoint, sub.topic));
  const events = endpoint.rules.length > 0;
  const createsBus = endpoint.rules.some((rule) => declared(endpoint.buses, rule.bus)?.existing === false);
  return {
    ...(sns ? { sns: ["SNSClient", ...(creates ? ["CreateTopicCommand"] : []), ...(finds ? ["ListTopicsCommand"] : []), "SubscribeCommand"] } : {}),
    ...(events ? { events: ["EventBridgeClient", "PutRuleCommand", "PutTargetsCommand", ...(createsBus ? ["CreateEventBusCommand"] : [])] } : {}),
  };
}

/** An async function `feedQueue(url)` that subscribes the queue and points the rules at it; "" when nothing feeds it. */
export function tsFeedQueue(endpoint: AwsEndpoint, queue: string, ownsQueue: boolean): string {
  const { subscriptions, rules } = endpoint;
  if (subscriptions.length + rules.length === 0) return "";
  const q = tsQuote;
  const topicArn = (topic: string) =>
    createsTopic(endpoint, topic)
      ? `(await sns.send(new CreateTopicCommand({ Name: ${q(topic)}${topic.endsWith(".fifo") ? ', Attributes: { FifoTopic: "true" }' : ""} }))).TopicArn`
      : `await findTopicArn(${q(topic)})`;
  return lines(
    subscriptions.length > 0 && "const sns = new SNSClient(config);",
    rules.length > 0 && "const events = new EventBridgeClient(config);",
    "",
    findsTopics(endpoint) && lines(tsFindTopicArn, ""),
    "/** Subscribes the queue to the scenario's topics and points the scenario's rules at it. */",
    "async function feedQueue(url: string): Promise<void> {",
    '  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));',
    "  const queueArn = Attributes!.QueueArn!;",
    ownsQueue
      ? lines(
          "  // SNS and EventBridge deliver into a queue only when its policy lets them send to it.",
          "  const allow = (service: string) => ({ Effect: \"Allow\", Principal: { Service: service }, Action: \"sqs:SendMessage\", Resource: queueArn });",
          `  const policy = { Version: "2012-10-17", Statement: [${[subscriptions.length > 0 && 'allow("sns.amazonaws.com")', rules.length > 0 && 'allow("events.amazonaws.com")'].filter(Boolean).join(", ")}] };`,
          "  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));",
        )
      : "  // The queue belongs to another program: its policy must already let SNS and EventBridge send to it.",
    ...subscriptions.map((sub) =>
      lines(
        `  await sns.send(new SubscribeCommand({`,
        `    TopicArn: ${topicArn(sub.topic)},`,
        '    Protocol: "sqs",',
        "    Endpoint: queueArn,",
        `    Attributes: { RawMessageDelivery: ${q(String(sub.raw))}${sub.filterPolicy ? `, FilterPolicy: ${q(JSON.stringify(sub.filterPolicy))}` : ""} },`,
        "  }));",
      ),
    ),
    ...rules.map((rule) =>
      lines(
        declared(endpoint.buses, rule.bus)?.existing === false &&
          lines(
            `  await events.send(new CreateEventBusCommand({ Name: ${q(rule.bus)} })).catch((error: unknown) => {`,
            '    if (!(error instanceof Error && error.name === "ResourceAlreadyExistsException")) throw error;',
            "  });",
          ),
        `  await events.send(new PutRuleCommand({ Name: ${q(rule.name)}, EventBusName: ${q(rule.bus)}, EventPattern: ${q(JSON.stringify(rule.pattern))} }));`,
        `  await events.send(new PutTargetsCommand({ Rule: ${q(rule.name)}, EventBusName: ${q(rule.bus)}, Targets: [{ Id: ${q(targetId(queue))}, Arn: queueArn }] }));`,
      ),
    ),
    "}",
  );
}

/** A function `feed_queue(url)` that subscribes the queue and points the rules at it; "" when nothing feeds it. */
export function pyFeedQueue(endpoint: AwsEndpoint, queue: string, ownsQueue: boolean): string {
  const { subscriptions, rules } = endpoint;
  if (subscriptions.length + rules.length === 0) return "";
  const q = pyQuote;
  const topicArn = (topic: string) =>
    createsTopic(endpoint, topic)
      ? `sns.create_topic(Name=${q(topic)}${topic.endsWith(".fifo") ? ', Attributes={"FifoTopic": "true"}' : ""})["TopicArn"]`
      : `find_topic_arn(${q(topic)})`;
  return lines(
    findsTopics(endpoint) && lines(pyFindTopicArn, "", ""),
    "def feed_queue(url):",
    '    """Subscribes the queue to the scenario\'s topics and points the scenario\'s rules at it."""',
    '    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]',
    ownsQueue
      ? lines(
          "    # SNS and EventBridge deliver into a queue only when its policy lets them send to it.",
          `    services = [${[subscriptions.length > 0 && '"sns.amazonaws.com"', rules.length > 0 && '"events.amazonaws.com"'].filter(Boolean).join(", ")}]`,
          '    statements = [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sqs:SendMessage", "Resource": queue_arn} for service in services]',
          '    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": statements})})',
        )
      : "    # The queue belongs to another program: its policy must already let SNS and EventBridge send to it.",
    ...subscriptions.map((sub) =>
      lines(
        "    sns.subscribe(",
        `        TopicArn=${topicArn(sub.topic)},`,
        '        Protocol="sqs",',
        "        Endpoint=queue_arn,",
        `        Attributes={"RawMessageDelivery": ${q(String(sub.raw))}${sub.filterPolicy ? `, "FilterPolicy": ${q(JSON.stringify(sub.filterPolicy))}` : ""}},`,
        "    )",
      ),
    ),
    ...rules.map((rule) =>
      lines(
        declared(endpoint.buses, rule.bus)?.existing === false &&
          lines("    try:", `        events.create_event_bus(Name=${q(rule.bus)})`, "    except events.exceptions.ResourceAlreadyExistsException:", "        pass"),
        `    events.put_rule(Name=${q(rule.name)}, EventBusName=${q(rule.bus)}, EventPattern=${q(JSON.stringify(rule.pattern))})`,
        `    events.put_targets(Rule=${q(rule.name)}, EventBusName=${q(rule.bus)}, Targets=[{"Id": ${q(targetId(queue))}, "Arn": queue_arn}])`,
      ),
    ),
  );
}

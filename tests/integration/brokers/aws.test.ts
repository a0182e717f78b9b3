// The aws driver's admin against moto's server: queues (FIFO, redrive to a DLQ), an SNS topic
// fanning out to two queues, an EventBridge bus whose rule routes to a queue; what existed before
// the run survives its teardown, and everything the run created is gone after it.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { DescribeEventBusCommand, DescribeRuleCommand, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { ListSubscriptionsCommand, ListTopicsCommand, PublishCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { validateScenario } from "../../../lib/scenario/validate";
import { createAwsAdmin } from "../../../server/brokers/aws/admin";
import { createAwsClients } from "../../../server/brokers/aws/clients";
import type { AwsQueueDepth } from "../../../server/brokers/aws/driver-admin";
import type { AwsResources, CreatedAws } from "../../../server/brokers/aws/resources";
import { driverFor, resolveBroker } from "../../../server/brokers/registry";
import type { KafkaAdmin, RabbitAdmin } from "../../../server/brokers/types";
import { waitFor } from "../../support/wait-for";

const target = { endpoint: process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4566", region: process.env.AWS_REGION ?? "us-east-1" };
const unique = () => randomUUID().slice(0, 8);
const clients = createAwsClients(target);
const admin = createAwsAdmin(target);
const leftovers: CreatedAws[] = [];

after(async () => {
  for (const created of leftovers) await admin.teardown(created).catch(() => {});
  await admin.close();
  clients.destroy();
});

const urlOf = async (name: string) => (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
const queueExists = (name: string) => urlOf(name).then(() => true, () => false);

/** Receives from the queue until a message arrives (or fails after the timeout). */
async function receiveOne(queue: string): Promise<Message> {
  const url = await urlOf(queue);
  let got: Message | undefined;
  await waitFor(async () => {
    const reply = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageAttributeNames: ["All"], MaxNumberOfMessages: 1 }));
    got = reply.Messages?.[0];
    return got !== undefined;
  }, { timeoutMs: 10_000, description: `a message in ${queue}` });
  return got!;
}

function scenarioResources(id: string): AwsResources {
  return {
    queues: [
      { name: `bl-${id}-orders`, visibilityTimeout: 5_000, retention: 3_600_000, deadLetter: { queue: `bl-${id}-orders-dlq`, maxReceiveCount: 3 }, existing: false },
      { name: `bl-${id}-orders-dlq`, existing: false },
      { name: `bl-${id}-ordered.fifo`, contentBasedDeduplication: true, existing: false },
      { name: `bl-${id}-billing`, existing: false },
      { name: `bl-${id}-audit`, existing: false },
      { name: `bl-${id}-routed`, existing: false },
    ],
    topics: [{ name: `bl-${id}-order-events`, existing: false }],
    subscriptions: [
      { topic: `bl-${id}-order-events`, queue: `bl-${id}-billing`, raw: true, filterPolicy: { type: ["created"] } },
      { topic: `bl-${id}-order-events`, queue: `bl-${id}-audit`, raw: true },
    ],
    buses: [{ name: `bl-${id}-shop`, existing: false }],
    rules: [{ name: `bl-${id}-route-orders`, bus: `bl-${id}-shop`, pattern: { source: [`shop-${id}`] }, targets: [{ queue: `bl-${id}-routed` }] }],
  };
}

test("apply creates queues (FIFO, redrive), a topic fanning out to two queues and a rule routing bus events; teardown removes them all", async () => {
  const id = unique();
  const resources = scenarioResources(id);
  let created: CreatedAws | undefined;
  const existed = await admin.apply(resources, (c) => (created = c));
  assert.ok(created);
  leftovers.push(created);
  assert.deepEqual(existed, { queues: [], topics: [], subscriptions: [], buses: [], rules: [] });
  assert.deepEqual([...created.queues].sort(), resources.queues.map((q) => q.name).sort());
  assert.equal(created.subscriptions.length, 2);
  assert.deepEqual(created.buses, [`bl-${id}-shop`]);
  assert.deepEqual(created.rules, [{ name: `bl-${id}-route-orders`, bus: `bl-${id}-shop` }]);

  // The attributes as declared: redrive names the DLQ's ARN, the FIFO queue is FIFO.
  const orders = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(`bl-${id}-orders`), AttributeNames: ["All"] }));
  assert.equal(orders.Attributes?.VisibilityTimeout, "5");
  assert.equal(orders.Attributes?.MessageRetentionPeriod, "3600");
  const redrive = JSON.parse(orders.Attributes?.RedrivePolicy ?? "{}") as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
  assert.match(redrive.deadLetterTargetArn ?? "", new RegExp(`:bl-${id}-orders-dlq$`));
  assert.equal(Number(redrive.maxReceiveCount), 3);
  const fifo = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(`bl-${id}-ordered.fifo`), AttributeNames: ["All"] }));
  assert.equal(fifo.Attributes?.FifoQueue, "true");
  assert.equal(fifo.Attributes?.ContentBasedDeduplication, "true");

  // SNS fan-out: one publish reaches both subscribed queues, its attributes carried by raw delivery.
  const topicArn = created.topics[0]!.arn;
  const traceparent = `00-${randomUUID().replaceAll("-", "")}-${"ab".repeat(8)}-01`;
  await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: "order 1", MessageAttributes: { type: { DataType: "String", StringValue: "created" }, traceparent: { DataType: "String", StringValue: traceparent } } }));
  for (const queue of [`bl-${id}-billing`, `bl-${id}-audit`]) {
    const message = await receiveOne(queue);
    assert.equal(message.Body, "order 1");
    assert.equal(message.MessageAttributes?.traceparent?.StringValue, traceparent, `traceparent in ${queue}`);
  }

  // The filter policy: billing takes only "created"; audit, without a policy, takes everything.
  await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: "order 2", MessageAttributes: { type: { DataType: "String", StringValue: "cancelled" } } }));
  assert.equal((await receiveOne(`bl-${id}-audit`)).Body, "order 2");
  const billing = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(`bl-${id}-billing`), WaitTimeSeconds: 1 }));
  assert.equal(billing.Messages?.length ?? 0, 0, "the filter policy keeps \"cancelled\" out of billing");

  // EventBridge: an event matching the rule's pattern lands in the rule's target queue.
  const events = await clients.events.send(new PutEventsCommand({ Entries: [{ EventBusName: `bl-${id}-shop`, Source: `shop-${id}`, DetailType: "OrderCreated", Detail: JSON.stringify({ orderId: 7, _brokerlab: { traceparent } }) }] }));
  assert.equal(events.FailedEntryCount, 0);
  const routed = JSON.parse((await receiveOne(`bl-${id}-routed`)).Body ?? "{}") as { source?: string; detail?: { orderId?: number; _brokerlab?: { traceparent?: string } } };
  assert.equal(routed.source, `shop-${id}`);
  assert.equal(routed.detail?.orderId, 7);
  assert.equal(routed.detail?._brokerlab?.traceparent, traceparent);

  // Depth: a message sent and not received is visible; the DLQ is empty.
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: await urlOf(`bl-${id}-orders`), MessageBody: "waiting" }));
  const depths = await admin.depths([`bl-${id}-orders`, `bl-${id}-orders-dlq`, `bl-${id}-missing`]);
  assert.deepEqual(depths, [{ name: `bl-${id}-orders`, visible: 1, inFlight: 0, delayed: 0 }, { name: `bl-${id}-orders-dlq`, visible: 0, inFlight: 0, delayed: 0 }]);

  await admin.teardown(created);
  for (const queue of resources.queues) assert.equal(await queueExists(queue.name), false, `queue ${queue.name} deleted`);
  const topics = await clients.sns.send(new ListTopicsCommand({}));
  assert.equal(topics.Topics?.some((t) => t.TopicArn === topicArn), false, "topic deleted");
  const subscriptions = await clients.sns.send(new ListSubscriptionsCommand({}));
  assert.equal(subscriptions.Subscriptions?.some((sub) => created!.subscriptions.some((c) => c.arn === sub.SubscriptionArn)), false, "subscriptions deleted");
  await assert.rejects(clients.events.send(new DescribeRuleCommand({ Name: `bl-${id}-route-orders`, EventBusName: `bl-${id}-shop` })), /not exist|ResourceNotFound/i);
  await assert.rejects(clients.events.send(new DescribeEventBusCommand({ Name: `bl-${id}-shop` })), /not exist|ResourceNotFound/i);
  // Idempotent: what is gone already is skipped.
  await admin.teardown(created);
});

test("a queue that existed before the run is reported as existed and keeps its messages through teardown", async () => {
  const id = unique();
  const kept = `bl-${id}-kept`;
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: kept }));
  await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "from before" }));
  try {
    let created: CreatedAws | undefined;
    const existed = await admin.apply({ queues: [{ name: kept, existing: false }, { name: `bl-${id}-new`, existing: false }], topics: [], subscriptions: [], buses: [], rules: [] }, (c) => (created = c));
    assert.deepEqual(existed.queues, [kept]);
    assert.deepEqual(created?.queues, [`bl-${id}-new`]);
    await admin.teardown(created!);
    assert.equal(await queueExists(`bl-${id}-new`), false);
    const [depth] = await admin.depths([kept]);
    assert.equal(depth?.visible, 1);
  } finally {
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
});

test("a queue marked existing that is not there is NOT_FOUND and nothing is created", async () => {
  const id = unique();
  const created: CreatedAws[] = [];
  await assert.rejects(
    admin.apply({ queues: [{ name: `bl-${id}-absent`, existing: true }], topics: [{ name: `bl-${id}-t`, existing: false }], subscriptions: [], buses: [], rules: [] }, (c) => created.push(c)),
    (error: Error & { code?: string }) => error.code === "NOT_FOUND" && error.message.includes(`bl-${id}-absent`),
  );
  assert.equal(created.length, 0);
});

test("through the registry: a scenario's aws broker resolves to the configured endpoint, its queues' depth (visible, in flight, delayed, DLQ) reaches the snapshot", async () => {
  const id = unique();
  const [orders, dlq, delayed] = [`bl-${id}-orders`, `bl-${id}-orders-dlq`, `bl-${id}-delayed`];
  const result = validateScenario({
    version: 1,
    name: `aws-driver-${id}`,
    brokers: { cloud: { kind: "aws" } },
    resources: { cloud: { queues: [{ name: orders, visibilityTimeout: "1s", deadLetter: { queue: dlq, maxReceiveCount: 1 } }, { name: dlq }, { name: delayed, delay: "5m" }] } },
    services: [{ name: "s", consumers: [{ name: "c", broker: "cloud", from: { queue: orders } }] }],
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const scenario = result.scenario;
  const broker = resolveBroker(scenario.brokers.cloud!, { rabbitUrl: "", rabbitManagementUrl: "", kafkaBrokers: [], awsEndpoint: target.endpoint, awsRegion: target.region });
  assert.deepEqual(broker, { kind: "aws", ...target });
  const unused = () => { throw new Error("not an aws admin"); };
  const admin = driverFor("aws").createAdmin(broker, { createRabbitAdmin: unused as () => RabbitAdmin, createKafkaAdmin: unused as () => KafkaAdmin }, `test-${id}`);
  let created: unknown = admin.noneCreated();
  try {
    await admin.apply(scenario, "cloud", (c) => (created = c));
    assert.deepEqual(admin.createdRefs("cloud", created).map((r) => `${r.kind} ${r.name}`).sort(), [`queue ${delayed}`, `queue ${orders}`, `queue ${dlq}`]);
    const send = async (queue: string) => clients.sqs.send(new SendMessageCommand({ QueueUrl: await urlOf(queue), MessageBody: "m" }));
    await send(orders);
    await send(orders);
    await send(delayed);
    // One received and not deleted: in flight until its visibility timeout lapses.
    await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(orders), MaxNumberOfMessages: 1 }));
    const byName = async () => new Map(((await admin.snapshot(scenario, "cloud")).queues as AwsQueueDepth[]).map((q) => [q.name, q]));
    const first = await byName();
    assert.deepEqual(first.get(orders), { broker: "cloud", name: orders, messages: 2, ready: 1, unacked: 1, delayed: 0, consumers: 0 });
    assert.deepEqual(first.get(delayed), { broker: "cloud", name: delayed, messages: 1, ready: 0, unacked: 0, delayed: 1, consumers: 0 });
    assert.equal(first.get(dlq)?.messages, 0);
    // Received once (maxReceiveCount 1) and never deleted: once visible again, a receive redrives them to the DLQ.
    await waitFor(async () => {
      await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(orders), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const depth = await byName();
      return depth.get(dlq)?.messages === 2 && depth.get(orders)?.messages === 0;
    }, { timeoutMs: 10_000, description: `both messages of ${orders} redriven to ${dlq}` });
  } finally {
    await admin.teardown(created);
    await admin.close();
  }
  for (const queue of [orders, dlq, delayed]) assert.equal(await queueExists(queue), false, `${queue} deleted`);
});

// Generated Amazon code on the local stack's moto: a generated producer in one language sends N
// messages, a generated consumer in the other receives and deletes all N, each with Brokerlab's id
// and a traceparent in its message attributes. Standard and FIFO queues, and SNS with raw delivery.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { DeleteEventBusCommand, DeleteRuleCommand, EventBridgeClient, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const endpoint = process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4566";
const config = { endpoint, region: process.env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
const sqs = new SQSClient(config);
const sns = new SNSClient(config);
const events = new EventBridgeClient(config);
const programs = generatedPrograms("codegen-aws");
const cleanUps: (() => Promise<unknown>)[] = [];
after(async () => {
  programs.cleanUp();
  await Promise.allSettled(cleanUps.map((clean) => clean()));
  sqs.destroy();
  sns.destroy();
  events.destroy();
});

const count = 12;
type Language = "typescript" | "python";
const generate = (language: Language) => (language === "python" ? generatePython : generateTypeScript);
/** Generated programs find the stack through these, as a learner's shell would set them. */
const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: config.region, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

async function createQueue(name: string): Promise<{ url: string; arn: string }> {
  const fifo = name.endsWith(".fifo") ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : {};
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: "30", ...fifo } }));
  cleanUps.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl })));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function messagesLeft(url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

/** Runs the producer to its end, then the consumer until it has processed every message; returns the consumer's output. */
async function produceThenConsume(yaml: string, producer: Language, consumer: Language): Promise<string> {
  const scenario = loadScenario(yaml);
  const sender = programs.start(generate(producer)(scenario, { service: "shop", producer: "send" }), env);
  const status = await Promise.race([sender.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
  assert.equal(status, 0, sender.output());
  assert.match(sender.output(), new RegExp(`published ${count} messages`));
  const receiver = programs.start(generate(consumer)(scenario, { service: "billing", consumer: "take" }), env);
  const processed = () => receiver.output().match(/shop\/send\/\d+: processed/g)?.length ?? 0;
  await waitFor(() => processed() >= count, { timeoutMs: 60_000, description: `the ${consumer} consumer to process ${count} messages (${receiver.output()})` });
  await receiver.stop();
  return receiver.output();
}

/** Starts the consumer (it subscribes its queue and points rules at it), then runs the producer; returns the consumer's output. */
async function consumeWhileProducing(yaml: string, producer: Language, consumer: Language): Promise<string> {
  const scenario = loadScenario(yaml);
  const receiver = programs.start(generate(consumer)(scenario, { service: "billing", consumer: "take" }), env);
  await waitFor(() => receiver.output().includes("receive loop(s)"), { timeoutMs: 30_000, description: `the ${consumer} consumer to start (${receiver.output()})` });
  const sender = programs.start(generate(producer)(scenario, { service: "shop", producer: "send" }), env);
  const status = await Promise.race([sender.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
  assert.equal(status, 0, sender.output());
  const processed = () => receiver.output().match(/shop\/send\/\d+: processed/g)?.length ?? 0;
  await waitFor(() => processed() >= count, { timeoutMs: 60_000, description: `the ${consumer} consumer to process ${count} messages (${receiver.output()})` });
  await receiver.stop();
  return receiver.output();
}

function assertEveryMessage(output: string): void {
  for (let seq = 1; seq <= count; seq++) assert.match(output, new RegExp(`shop/send/${seq}: processed[^\\n]* in trace [0-9a-f]{32}\\n`), `message ${seq}`);
  assert.doesNotMatch(output, /Traceback|Error:/);
}

function queueScenario(queue: string, existing: boolean, to: string): string {
  return `
version: 1
name: ${unique("codegen-aws")}
brokers: { aws: { kind: aws } }
resources:
  aws:
    queues: [{ name: ${queue}, existing: ${existing} }]
services:
  - name: shop
    producers:
      - { name: send, broker: aws, to: ${to}, rate: { burst: ${count} }, payload: { customer: "c{{randomInt 1 3}}", n: "{{seq}}" } }
  - name: billing
    consumers:
      - { name: take, broker: aws, from: { queue: ${queue}, waitSeconds: 1 }, concurrency: 3, work: { ms: 5 } }
`;
}

describe("generated Amazon SQS/SNS code on moto", { timeout: 240_000 }, () => {
  it(`a TypeScript producer sends ${count} messages to a standard queue; a Python consumer processes and deletes all of them`, async () => {
    const name = unique("codegen-aws-std");
    const queue = await createQueue(name);
    const output = await produceThenConsume(queueScenario(name, true, `{ queue: ${name} }`), "typescript", "python");
    assertEveryMessage(output);
    await waitFor(async () => (await messagesLeft(queue.url)) === 0, { timeoutMs: 10_000, description: "every message deleted" });
  });

  it(`a Python producer sends ${count} messages to a FIFO queue with group and deduplication ids; a TypeScript consumer processes and deletes all of them`, async () => {
    const name = `${unique("codegen-aws-fifo")}.fifo`;
    const queue = await createQueue(name);
    const output = await produceThenConsume(queueScenario(name, false, `{ queue: ${name}, groupId: "{{customer}}", deduplicationId: "n-{{seq}}" }`), "python", "typescript");
    assertEveryMessage(output);
    await waitFor(async () => (await messagesLeft(queue.url)) === 0, { timeoutMs: 10_000, description: "every message deleted" });
  });

  it(`a TypeScript producer publishes ${count} messages to an SNS topic; through a raw subscription a Python consumer gets each with its attributes`, async () => {
    const queueName = unique("codegen-aws-sns");
    const topicName = unique("codegen-aws-topic");
    const queue = await createQueue(queueName);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
    cleanUps.push(() => sns.send(new DeleteTopicCommand({ TopicArn })));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queue.arn }] }) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: { RawMessageDelivery: "true" } }));
    const yaml = queueScenario(queueName, true, `{ snsTopic: ${topicName}, attributes: { type: created } }`).replace("queues: [", `topics: [{ name: ${topicName} }]\n    queues: [`);
    assertEveryMessage(await produceThenConsume(yaml, "typescript", "python"));
  });

  it(`a generated TypeScript consumer subscribes its queue to a topic (SNS envelope, filter policy); ${count} messages a Python producer publishes reach it`, async () => {
    const [queue, topic] = [unique("codegen-aws-env"), unique("codegen-aws-topic")];
    cleanUps.push(async () => sqs.send(new DeleteQueueCommand({ QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl })));
    cleanUps.push(async () => sns.send(new DeleteTopicCommand({ TopicArn: (await sns.send(new CreateTopicCommand({ Name: topic }))).TopicArn })));
    const yaml = queueScenario(queue, false, `{ snsTopic: ${topic}, attributes: { type: created } }`).replace(
      "    queues: [",
      `    topics: [{ name: ${topic} }]\n    subscriptions: [{ topic: ${topic}, queue: ${queue}, filterPolicy: { type: [created] } }]\n    queues: [`,
    );
    assertEveryMessage(await consumeWhileProducing(yaml, "python", "typescript"));
  });

  it(`a generated Python consumer points an EventBridge rule at its queue; ${count} events a TypeScript producer puts on the bus reach it`, async () => {
    const [queue, bus] = [unique("codegen-aws-eb"), unique("codegen-aws-bus")];
    cleanUps.push(async () => sqs.send(new DeleteQueueCommand({ QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl })));
    // Rules and buses go in order: the rule's targets, the rule, then the bus.
    cleanUps.push(async () => {
      await events.send(new RemoveTargetsCommand({ Rule: `${bus}-rule`, EventBusName: bus, Ids: [queue] }));
      await events.send(new DeleteRuleCommand({ Name: `${bus}-rule`, EventBusName: bus }));
      await events.send(new DeleteEventBusCommand({ Name: bus }));
    });
    const yaml = queueScenario(queue, false, `{ bus: ${bus}, source: shop, detailType: OrderCreated }`).replace(
      "    queues: [",
      `    buses: [{ name: ${bus} }]\n    rules: [{ name: ${bus}-rule, bus: ${bus}, pattern: { source: [shop] }, targets: [{ queue: ${queue} }] }]\n    queues: [`,
    );
    assertEveryMessage(await consumeWhileProducing(yaml, "typescript", "python"));
  });
});

// The lessons' snapshot reader on a run of the Amazon broker: a queue the run's frame does not show
// is read through the broker's own admin (SQS depth from moto's server), a queue no broker has
// reads as null, and a dead-letter history (x-death) is refused in words: SQS keeps none.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { SendMessageCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { createAwsAdmin } from "../../../server/brokers/aws/admin";
import { createAwsClients } from "../../../server/brokers/aws/clients";
import type { CreatedAws } from "../../../server/brokers/aws/resources";
import { loadConfig } from "../../../server/config";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import { createDeadLetterReader } from "../../../server/lessons/dead-letters";
import { createSnapshotReader } from "../../../server/lessons/snapshot";
import { loadScenario, testEngine, unique } from "../../support/engine";

const config = loadConfig();
const target = { endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION };
const engine = testEngine();
const admin = createAwsAdmin(target);
const clients = createAwsClients(target);
const leftovers: CreatedAws[] = [];

after(async () => {
  for (const created of leftovers) await admin.teardown(created).catch(() => {});
  await admin.close();
  clients.destroy();
  await engine.shutdown();
});

describe("lesson snapshot on an Amazon run", { timeout: 120_000 }, () => {
  it("reads an SQS queue outside the frame through the aws driver's admin", async () => {
    const queue = unique("ls-orders");
    const outside = unique("ls-outside");
    const run = await engine.start(loadScenario(`
version: 1
name: ${queue}
brokers: { sqs: { kind: aws } }
resources: { sqs: { queues: [ { name: ${queue} } ] } }
services:
  - name: shop
    producers: [ { name: orders, broker: sqs, to: { queue: ${queue} }, rate: { burst: 3 } } ]
  - name: stock
    consumers: [ { name: take, broker: sqs, from: { queue: ${queue}, waitSeconds: 1 } } ]
`), { limitMs: 60_000 });
    const report = await run.done();
    assert.equal(report.ledger.consumed, 3, "the run itself worked");

    // A queue the scenario does not declare, holding 4 messages: only the broker can say so.
    let created: CreatedAws | undefined;
    await admin.apply({ queues: [{ name: outside }], topics: [], subscriptions: [], buses: [], rules: [] }, (now) => void (created = now));
    if (created) leftovers.push(created);
    const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: outside }));
    for (let i = 0; i < 4; i++) await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `{"n":${i}}` }));

    const read = createSnapshotReader({ engine, jaeger: createJaegerQueryClient({ baseUrl: config.JAEGER_QUERY_URL }), readDeadLetters: createDeadLetterReader() });
    const missing = unique("ls-missing");
    const snapshot = await read(run, { queues: [outside, missing], deadLetters: [`${outside}-dlq`], traces: [], replicas: false, events: false }, undefined);

    const reading = snapshot.queues[outside];
    assert.deepEqual(reading && { broker: reading.broker, name: reading.name, messages: reading.messages, ready: reading.ready, unacked: reading.unacked }, { broker: "sqs", name: outside, messages: 4, ready: 4, unacked: 0 });
    assert.equal(snapshot.queues[missing], null, "a queue the broker does not have reads as null");
    assert.deepEqual(snapshot.deadLetters[`${outside}-dlq`], { error: "this run uses no RabbitMQ broker" });
  });
});

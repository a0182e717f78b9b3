// moto's server of the local stack (`npm run stack:up`), spoken to over plain HTTP in SQS's JSON
// protocol: the health probe sees SQS and moto's version, and a uniquely named queue carries one
// message with its traceparent message attribute, then is deleted.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../server/config";
import { emulatorAuthorization, probeMoto } from "../../../server/health/moto-probe";
import { cacheDir } from "../../../stack/paths";
import { MOTO_VERSION, moto } from "../../../stack/services/moto";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One SQS action in the JSON protocol; an emulator takes the unsigned request, the credential scope names the region. */
async function sqs<T>(action: string, input: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${config.AWS_ENDPOINT_URL.replace(/\/$/, "")}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}`, authorization: emulatorAuthorization(config.AWS_REGION) },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new SqsError(String(body.__type ?? "").split("#").pop() ?? "", `${action}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/**
 * Where pip could not install moto, the stack said so and went on (moto is optional for now): only
 * then, with nothing answering either, is there nothing to test. A moto installed but down fails.
 */
async function notInstalled(): Promise<string | undefined> {
  const installed = existsSync(path.join(cacheDir(), `moto-${MOTO_VERSION}`, "bin", "moto_server"));
  if (installed || !moto.isLocal(config) || (await probeMoto(config)).up) return undefined;
  return `moto ${MOTO_VERSION} is not installed and nothing answers at ${config.AWS_ENDPOINT_URL} (stack/install/moto.sh failed; optional for now)`;
}

describe("moto's server on the stack", () => {
  const created: string[] = [];
  let skip: string | undefined;
  before(async () => {
    skip = await notInstalled();
  });
  after(async () => {
    for (const queueUrl of created) await sqs("DeleteQueue", { QueueUrl: queueUrl }).catch(() => undefined);
  });

  test("the health probe sees SQS answer ListQueues, with moto's version when the stack started it", async (t) => {
    if (skip) return t.skip(skip);
    const result = await probeMoto(config);
    assert.equal(result.up, true, result.detail);
    assert.match(result.detail ?? "", /^SQS ListQueues answered \(\d+ queues? in /);
    if (result.version !== undefined) assert.equal(result.version, MOTO_VERSION);
  });

  test("a unique queue carries one message with its traceparent attribute, and is deleted", async (t) => {
    if (skip) return t.skip(skip);
    const queueName = `brokerlab-moto-${randomBytes(6).toString("hex")}`;
    const { QueueUrl: queueUrl } = await sqs<{ QueueUrl: string }>("CreateQueue", { QueueName: queueName });
    created.push(queueUrl);
    assert.match(queueUrl, new RegExp(`/${queueName}$`));

    const traceparent = `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
    const body = JSON.stringify({ orderId: queueName, amount: 42 });
    const sent = await sqs<{ MessageId: string; MD5OfMessageBody: string }>("SendMessage", {
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: { traceparent: { DataType: "String", StringValue: traceparent } },
    });
    assert.equal(sent.MD5OfMessageBody, md5(body));

    type Received = { Messages?: Array<{ MessageId: string; ReceiptHandle: string; Body: string; MessageAttributes?: Record<string, { DataType: string; StringValue?: string }> }> };
    const message = await waitFor(
      async () => (await sqs<Received>("ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] })).Messages?.[0],
      { timeoutMs: 15_000, description: "the message in the queue" },
    );
    assert.equal(message.MessageId, sent.MessageId);
    assert.equal(message.Body, body);
    assert.deepEqual(message.MessageAttributes?.traceparent, { DataType: "String", StringValue: traceparent });

    await sqs("DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle });
    const attributes = await sqs<{ Attributes: Record<string, string> }>("GetQueueAttributes", { QueueUrl: queueUrl, AttributeNames: ["All"] });
    assert.equal(attributes.Attributes.ApproximateNumberOfMessages, "0");
    assert.equal(attributes.Attributes.ApproximateNumberOfMessagesNotVisible, "0", "the deleted message is gone, not in flight");

    await sqs("DeleteQueue", { QueueUrl: queueUrl });
    await assert.rejects(sqs("GetQueueUrl", { QueueName: queueName }), (error: unknown) => error instanceof SqsError && error.code === "QueueDoesNotExist");
    created.splice(created.indexOf(queueUrl), 1);
  });
});

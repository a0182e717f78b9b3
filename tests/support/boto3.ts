// Sends SQS messages the way a Python program that knows nothing of Brokerlab would: boto3, no
// message attributes. It runs in moto's virtual environment, which has boto3 because moto needs it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { motoVenvPython } from "../../stack/services/moto";

const run = promisify(execFile);

/** The endpoint, region, queue name and bodies arrive as argv: nothing is spliced into the code. */
const SEND_SCRIPT = `
import sys
import boto3

endpoint, region, queue, *bodies = sys.argv[1:]
sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
queue_url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
for body in bodies:
    print(sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"])
`;

/** Why a boto3 test cannot run here, or undefined when it can. */
export function boto3Missing(): string | undefined {
  return existsSync(motoVenvPython()) ? undefined : `moto's virtual environment (which has boto3) is not installed at ${motoVenvPython()}: npm run stack:up installs it`;
}

/** Sends each body as one message to the queue named `queue` with boto3; resolves to the MessageIds SQS answered. */
export async function sendWithBoto3(target: { endpoint: string; region: string }, queue: string, bodies: string[]): Promise<string[]> {
  const { stdout } = await run(motoVenvPython(), ["-c", SEND_SCRIPT, target.endpoint, target.region, queue, ...bodies], { timeout: 30_000 });
  return stdout.trim().split("\n").filter(Boolean);
}

// SQS queues of a run: look each up, create the missing ones with their attributes (dead-letter
// queues first, so a redrive policy can name the DLQ's ARN), read their depth, delete them again.
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from "@aws-sdk/client-sqs";
import { BrokerError } from "../types";
import { awsCall, isNotFound, toBrokerError } from "./errors";
import { isFifo, type AwsQueue } from "./resources";

export interface SqsDepth { visible: number; inFlight: number; delayed: number }

const seconds = (ms: number) => String(Math.round(ms / 1000));

/** Queues in the order to create them: every dead-letter queue before the queues that redrive to it. */
export function creationOrder(queues: AwsQueue[]): AwsQueue[] {
  const byName = new Map(queues.map((q) => [q.name, q]));
  const ordered: AwsQueue[] = [];
  const visit = (queue: AwsQueue, path: Set<string>) => {
    if (ordered.includes(queue) || path.has(queue.name)) return;
    const dlq = queue.deadLetter && byName.get(queue.deadLetter.queue);
    if (dlq) visit(dlq, new Set([...path, queue.name]));
    ordered.push(queue);
  };
  for (const queue of queues) visit(queue, new Set());
  return ordered;
}

/** CreateQueue attributes of a declared queue; `dlqArn` is the ARN of its dead-letter queue. */
export function queueAttributes(queue: AwsQueue, dlqArn?: string): Partial<Record<QueueAttributeName, string>> {
  const attributes: Partial<Record<QueueAttributeName, string>> = {};
  if (queue.visibilityTimeout !== undefined) attributes.VisibilityTimeout = seconds(queue.visibilityTimeout);
  if (queue.retention !== undefined) attributes.MessageRetentionPeriod = seconds(queue.retention);
  if (queue.delay !== undefined) attributes.DelaySeconds = seconds(queue.delay);
  if (queue.deadLetter && dlqArn) attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queue.deadLetter.maxReceiveCount });
  if (isFifo(queue.name)) {
    attributes.FifoQueue = "true";
    if (queue.contentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(queue.contentBasedDeduplication);
  }
  return attributes;
}

export function createSqsAdmin(sqs: SQSClient, endpoint: string) {
  // Queue URLs by name: looked up once (a URL stays valid while the queue exists).
  const urls = new Map<string, string>();
  const call = <T>(what: string, run: () => Promise<T>) => awsCall(endpoint, what, run);

  /** The queue's URL, or undefined when there is no such queue. */
  async function findUrl(name: string): Promise<string | undefined> {
    const known = urls.get(name);
    if (known) return known;
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (QueueUrl) urls.set(name, QueueUrl);
      return QueueUrl;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toBrokerError(error, endpoint, `look up queue "${name}"`);
    }
  }

  async function urlOf(name: string): Promise<string> {
    const url = await findUrl(name);
    if (!url) throw new BrokerError("NOT_FOUND", `Queue "${name}" does not exist at ${endpoint}; declare it under resources (or create it) first`, false);
    return url;
  }

  async function arnOf(name: string): Promise<string> {
    const url = await urlOf(name);
    const { Attributes } = await call(`read the ARN of queue "${name}"`, () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })));
    if (!Attributes?.QueueArn) throw new Error(`SQS at ${endpoint} gave no ARN for queue "${name}"`);
    return Attributes.QueueArn;
  }

  return {
    findUrl,
    arnOf,
    async create(queue: AwsQueue, dlqArn?: string): Promise<void> {
      const { QueueUrl } = await call(`create queue "${queue.name}"`, () => sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: queueAttributes(queue, dlqArn) })));
      if (QueueUrl) urls.set(queue.name, QueueUrl);
    },
    /** Sets the queue's access policy (who may send to it: the run's topics and rules). */
    async setPolicy(name: string, policy: object): Promise<void> {
      const url = await urlOf(name);
      await call(`set the policy of queue "${name}"`, () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } })));
    },
    /** Deletes a queue; a missing one is ignored. */
    async remove(name: string): Promise<void> {
      const url = await findUrl(name);
      if (!url) return;
      urls.delete(name);
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },
    /** Visible, in-flight and delayed messages (SQS's approximate counts); undefined for a missing queue. */
    async depth(name: string): Promise<SqsDepth | undefined> {
      const url = await findUrl(name);
      if (!url) return undefined;
      try {
        const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
        }));
        const count = (key: QueueAttributeName) => Number(Attributes[key] ?? 0);
        return { visible: count("ApproximateNumberOfMessages"), inFlight: count("ApproximateNumberOfMessagesNotVisible"), delayed: count("ApproximateNumberOfMessagesDelayed") };
      } catch (error) {
        // Deleted since its URL was cached: forget it, it may come back under a new URL.
        if (isNotFound(error)) return void urls.delete(name);
        throw toBrokerError(error, endpoint, `read the depth of queue "${name}"`);
      }
    },
  };
}

export type SqsAdmin = ReturnType<typeof createSqsAdmin>;

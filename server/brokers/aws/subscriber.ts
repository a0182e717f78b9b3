// Consuming an SQS queue: long-poll ReceiveMessage, up to `concurrency` messages processed at once,
// DeleteMessage after the work (the ack; auto ack deletes on receive). A failed message is left
// alone so its visibility timeout lapses and SQS delivers it again, counted as redelivered
// (ApproximateReceiveCount > 1); a delivery may instead set its own visibility (retry delay).
// SNS envelopes (non-raw subscriptions) and EventBridge events are unwrapped to body + headers.
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { ROOT_CONTEXT, context, trace } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import { eventBridgeHeadersField } from "../../../lib/brokers/aws-wire";
import { backoffDelay, delay, within } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import type { Delivery, Settlement, StateListener, Subscription } from "../messaging";
import { markFailed } from "../messaging-spans";
import type { BrokerError } from "../types";
import { fromAttributes } from "./attributes";
import type { AwsClients } from "./clients";
import { createAwsResolver, toAwsError } from "./sender";
import { createKeyedChains } from "./sequencing";
import { startAwsProcessSpan, startAwsReceiveSpan, startAwsSettleSpan } from "./spans";
import type { AwsResolver } from "./sender";

/** A delivery from SQS: `changeVisibility` hides it again for `seconds` (0: visible at once) instead of deleting it on ack. */
export interface AwsDelivery extends Delivery {
  receiveCount: number;
  changeVisibility(seconds: number): Promise<boolean>;
}

export interface AwsSubscriberOptions {
  clients: AwsClients;
  resolver?: AwsResolver;
  queue: string;
  concurrency: number;
  /** Long-poll wait, 0..20 s. */
  waitSeconds: number;
  autoAck: boolean;
  /** Start the CONSUMER span with a link to the producer's span instead of as its child. */
  linkSpans: boolean;
  handler: (delivery: AwsDelivery) => Promise<Settlement>;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

/** A received message, unwrapped once: its receive span links to the context its headers carry. */
type Received = { message: Message; body: Buffer; headers: Record<string, string> };

/** Body and headers of an SQS message, an SNS envelope or an EventBridge event alike. */
export function unwrapMessage(message: Pick<Message, "Body" | "MessageAttributes">): { body: Buffer; headers: Record<string, string> } {
  const raw = message.Body ?? "";
  const headers = fromAttributes(message.MessageAttributes);
  const parsed = parseObject(raw);
  if (parsed?.Type === "Notification" && typeof parsed.TopicArn === "string" && typeof parsed.Message === "string") {
    const enveloped = fromAttributes(parsed.MessageAttributes as Record<string, { Value?: string }> | undefined);
    return { body: Buffer.from(parsed.Message), headers: { ...enveloped, ...headers } };
  }
  if (parsed && typeof parsed["detail-type"] === "string" && parsed.detail && typeof parsed.detail === "object") {
    const { [eventBridgeHeadersField]: carried, ...detail } = parsed.detail as Record<string, unknown>;
    const eventHeaders = carried && typeof carried === "object" ? Object.fromEntries(Object.entries(carried).map(([k, v]) => [k, String(v)])) : {};
    const keys = Object.keys(detail);
    const body = keys.length === 1 && keys[0] === "value" ? detail.value : detail;
    return { body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)), headers: { ...eventHeaders, ...headers } };
  }
  return { body: Buffer.from(raw), headers };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function subscribeAwsQueue(options: AwsSubscriberOptions): Promise<Subscription> {
  const { clients, queue } = options;
  const resolver = options.resolver ?? createAwsResolver(clients);
  let QueueUrl: string;
  try {
    QueueUrl = await resolver.queueUrl(queue);
  } catch (error) {
    throw toAwsError(error, `find SQS queue "${queue}"`);
  }
  const polling = new AbortController();
  // active: received and not yet processed (some wait for a processing slot); running: in the work.
  let active = 0;
  let running = 0;
  let settling = 0;
  let failing = false;
  const { signal, changed } = createChangeSignal();
  // FIFO: messages of one group are processed one after another, in the order SQS gave them.
  const chains = createKeyedChains();
  function inOrder(received: Received): Promise<void> {
    const group = received.message.Attributes?.MessageGroupId;
    return group === undefined ? take(received) : chains(group, () => take(received));
  }

  const remove = (handle: string) => clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }))
    .then(() => true, (error: unknown) => { options.onError?.(toAwsError(error, `delete a message from "${queue}"`)); return false; });

  /** A settling call (delete, change visibility) under its settle span; true when SQS took it. */
  const settled = (span: Span, call: Promise<unknown>, what: string) => call.then(
    () => true,
    (error: unknown) => {
      const failure = toAwsError(error, `${what} on "${queue}"`);
      markFailed(span, failure.code, failure.message);
      options.onError?.(failure);
      return false;
    },
  ).finally(() => span.end());

  async function take({ message, body, headers }: Received): Promise<void> {
    const handle = message.ReceiptHandle!;
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    if (options.autoAck) await remove(handle);
    while (running >= options.concurrency) await changed();
    running += 1;
    const span = startAwsProcessSpan(queue, headers, receiveCount, !options.linkSpans);
    let keep = false;
    const delivery: AwsDelivery = {
      body, headers, rawHeaders: headers, source: queue, receiveCount,
      redelivered: receiveCount > 1,
      context: trace.setSpan(ROOT_CONTEXT, span),
      async changeVisibility(seconds) {
        keep = true;
        return settled(startAwsSettleSpan(queue, "change_visibility", delivery.context), clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))) })), "change a message's visibility");
      },
    };
    let settlement: Settlement | undefined;
    try {
      settlement = await context.with(delivery.context, () => options.handler(delivery));
    } catch (error) {
      markFailed(span, error instanceof Error ? error.name : "_OTHER", error instanceof Error ? error.message : String(error));
    } finally {
      span.end();
      running -= 1;
      active -= 1;
      signal();
    }
    // A nack (or a throw) leaves the message: its visibility timeout lapses and SQS delivers it again.
    if (!settlement || settlement.kind !== "ack" || keep || options.autoAck) return;
    settling += 1;
    try {
      await settlement.after;
      await settled(startAwsSettleSpan(queue, "delete", delivery.context), clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle })), "delete a message");
    } finally {
      settling -= 1;
      signal();
    }
  }

  async function poll(): Promise<void> {
    for (let failures = 0; !polling.signal.aborted;) {
      while (active >= options.concurrency && !polling.signal.aborted) await changed();
      if (polling.signal.aborted) return;
      const polledAt = Date.now();
      try {
        const answer = await clients.sqs.send(new ReceiveMessageCommand({
          QueueUrl,
          // A full batch even when fewer slots are free, as a prefetch: the next messages wait here, not a round trip away.
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: options.waitSeconds,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp", "MessageGroupId"],
        }), { abortSignal: polling.signal });
        failures = 0;
        if (failing) { failing = false; options.onState?.("connected"); }
        const received = (answer.Messages ?? []).map((message) => ({ message, ...unwrapMessage(message) }));
        if (received.length > 0) startAwsReceiveSpan(queue, received.map((r) => r.headers), polledAt).end();
        for (const one of received) {
          active += 1;
          void inOrder(one);
        }
      } catch (error) {
        if (polling.signal.aborted) return;
        const failure = toAwsError(error, `receive from "${queue}"`);
        if (!failing) { failing = true; options.onState?.("reconnecting", failure.message); }
        options.onError?.(failure);
        await delay(backoffDelay(++failures, { initialMs: 200, maxMs: 5_000 }), polling.signal);
      }
    }
  }

  options.onState?.("connected");
  const loop = poll();
  return {
    inFlight: () => active + settling,
    async stop(timeoutMs) {
      polling.abort();
      signal();
      const deadline = Date.now() + timeoutMs;
      await settleInFlight(() => active + settling, { changed }, timeoutMs);
      await within(loop, Math.max(0, deadline - Date.now()));
    },
  };
}


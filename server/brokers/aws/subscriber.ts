// Consuming an SQS queue: long-poll ReceiveMessage, up to `concurrency` messages processed at once,
// DeleteMessage after the work (the ack; auto ack deletes on receive). A failed message is left
// alone so its visibility timeout lapses and SQS delivers it again, counted as redelivered
// (ApproximateReceiveCount > 1); a delivery may instead set its own visibility (retry delay).
// SNS envelopes (non-raw subscriptions) and EventBridge events are unwrapped to body + headers.
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import { ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_OPERATION_TYPE, ATTR_MESSAGING_SYSTEM, MESSAGING_OPERATION_TYPE_VALUE_PROCESS, MESSAGING_SYSTEM_VALUE_AWS_SQS } from "@opentelemetry/semantic-conventions/incubating";
import { eventBridgeHeadersField } from "../../../lib/brokers/aws-wire";
import { backoffDelay, delay, within } from "../backoff";
import { createChangeSignal, settleInFlight } from "../in-flight";
import type { Delivery, Settlement, StateListener, Subscription } from "../messaging";
import type { BrokerError } from "../types";
import { fromAttributes } from "./attributes";
import type { AwsClients } from "./clients";
import { createAwsResolver, toAwsError } from "./sender";
import { createKeyedChains } from "./sequencing";
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

const tracer = trace.getTracer("brokerlab-aws");

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
  function inOrder(message: Message): Promise<void> {
    const group = message.Attributes?.MessageGroupId;
    return group === undefined ? take(message) : chains(group, () => take(message));
  }

  const remove = (handle: string) => clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }))
    .then(() => true, (error: unknown) => { options.onError?.(toAwsError(error, `delete a message from "${queue}"`)); return false; });

  function startSpan(headers: Record<string, string>) {
    const producer = propagation.extract(ROOT_CONTEXT, headers);
    const attributes = { [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_AWS_SQS, [ATTR_MESSAGING_DESTINATION_NAME]: queue, [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS };
    const linked = trace.getSpanContext(producer);
    if (options.linkSpans) return tracer.startSpan(`process ${queue}`, { kind: SpanKind.CONSUMER, attributes, links: linked ? [{ context: linked }] : [] }, ROOT_CONTEXT);
    return tracer.startSpan(`process ${queue}`, { kind: SpanKind.CONSUMER, attributes }, producer);
  }

  async function take(message: Message): Promise<void> {
    const handle = message.ReceiptHandle!;
    const { body, headers } = unwrapMessage(message);
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    if (options.autoAck) await remove(handle);
    while (running >= options.concurrency) await changed();
    running += 1;
    const span = startSpan(headers);
    let keep = false;
    const delivery: AwsDelivery = {
      body, headers, rawHeaders: headers, source: queue, receiveCount,
      redelivered: receiveCount > 1,
      context: trace.setSpan(ROOT_CONTEXT, span),
      async changeVisibility(seconds) {
        keep = true;
        return clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))) }))
          .then(() => true, (error: unknown) => { options.onError?.(toAwsError(error, `change a message's visibility on "${queue}"`)); return false; });
      },
    };
    let settlement: Settlement | undefined;
    try {
      settlement = await context.with(delivery.context, () => options.handler(delivery));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
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
      await remove(handle);
    } finally {
      settling -= 1;
      signal();
    }
  }

  async function poll(): Promise<void> {
    for (let failures = 0; !polling.signal.aborted;) {
      while (active >= options.concurrency && !polling.signal.aborted) await changed();
      if (polling.signal.aborted) return;
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
        for (const message of answer.Messages ?? []) {
          active += 1;
          void inOrder(message);
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


// Sending to Amazon SQS (SendMessage, FIFO group and deduplication ids), SNS (Publish with message
// attributes) and EventBridge (PutEvents, the Brokerlab headers in `detail._brokerlab`). The
// confirm is the API's answer with a MessageId or EventId. A PRODUCER span `send <destination>`
// wraps each call and its traceparent travels in the message attributes (no instrumentation of
// the AWS SDK does this for us here).
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { ListTopicsCommand, PublishCommand } from "@aws-sdk/client-sns";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { context, propagation, trace } from "@opentelemetry/api";
import { MESSAGING_SYSTEM_VALUE_AWS_SNS, MESSAGING_SYSTEM_VALUE_AWS_SQS } from "@opentelemetry/semantic-conventions/incubating";
import { eventBridgeHeadersField } from "../../../lib/brokers/aws-wire";
import { createWindowedPublisher } from "../in-flight";
import { markFailed } from "../messaging-spans";
import { traceIdOf } from "../messaging";
import type { HeaderValue, Publisher, SendOutcome, StateListener } from "../messaging";
import { BrokerError } from "../types";
import { toAttributes } from "./attributes";
import { mayMatch } from "./event-pattern";
import { createKeyedChains } from "./sequencing";
import { startAwsSendSpan } from "./spans";
import type { AwsClients } from "./clients";

export type AwsDestination =
  | { queue: string; groupId?: string; deduplicationId?: string }
  | { snsTopic: string; groupId?: string; deduplicationId?: string }
  | { bus: string; source: string; detailType: string };

export interface AwsOutgoing {
  destination: AwsDestination;
  body: Buffer;
  headers: Record<string, HeaderValue>;
}


export const destinationName = (to: AwsDestination): string => ("queue" in to ? to.queue : "snsTopic" in to ? to.snsTopic : to.bus);
const systemOf = (to: AwsDestination): string => ("queue" in to ? MESSAGING_SYSTEM_VALUE_AWS_SQS : "snsTopic" in to ? MESSAGING_SYSTEM_VALUE_AWS_SNS : "aws.eventbridge");

/** Errors a later attempt may get past (the endpoint unreachable, throttled, 5xx) versus a bad request. */
export function toAwsError(error: unknown, action: string): BrokerError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string; code?: string };
  const status = e.$metadata?.httpStatusCode;
  const message = `${action}: ${e.message ?? String(error)}`;
  if (/NonExistent|NotFound|does not exist/i.test(`${e.name} ${e.message}`)) return new BrokerError("NOT_FOUND", message, false, { cause: error });
  const retriable = status === undefined || status >= 500 || status === 429 || e.$fault === "server" || /Throttl|Timeout|ECONN|socket|EPIPE|ENOTFOUND|EAI_AGAIN/i.test(`${e.name} ${e.code} ${e.message}`);
  return new BrokerError(retriable ? "BROKER_UNAVAILABLE" : "INVALID_INPUT", message, retriable, { cause: error });
}

/** Queue URLs and topic ARNs by name, looked up once per name. */
export function createAwsResolver(clients: AwsClients) {
  const queues = new Map<string, Promise<string>>();
  const topics = new Map<string, Promise<string>>();
  const cached = (map: Map<string, Promise<string>>, name: string, find: () => Promise<string>) => {
    let found = map.get(name);
    if (!found) {
      found = find();
      map.set(name, found);
      found.catch(() => map.delete(name));
    }
    return found;
  };
  async function findTopic(name: string): Promise<string> {
    let next: string | undefined;
    do {
      const page = await clients.sns.send(new ListTopicsCommand({ NextToken: next }));
      const arn = page.Topics?.map((t) => t.TopicArn).find((a) => a?.endsWith(`:${name}`));
      if (arn) return arn;
      next = page.NextToken;
    } while (next);
    throw new BrokerError("NOT_FOUND", `SNS topic "${name}" does not exist; declare it under resources.<broker>.topics`, false);
  }
  return {
    queueUrl: (name: string) => cached(queues, name, async () => (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!),
    topicArn: (name: string) => cached(topics, name, () => findTopic(name)),
  };
}

export type AwsResolver = ReturnType<typeof createAwsResolver>;

export interface AwsSenderOptions {
  clients: AwsClients;
  resolver?: AwsResolver;
  window: number;
  /** The rule patterns of a bus whose rules are all known (declared by the scenario); undefined when others may exist. */
  rulesOf?: (bus: string) => Record<string, unknown>[] | undefined;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
}

export function createAwsSender(options: AwsSenderOptions): Publisher<AwsOutgoing> {
  const { clients } = options;
  const resolver = options.resolver ?? createAwsResolver(clients);
  let failing = false;
  // FIFO: SQS orders a group by arrival, so one group's sends go one after another, in call order.
  const chains = createKeyedChains();
  function inOrder(message: AwsOutgoing): Promise<SendOutcome> {
    const to = message.destination;
    if (!("groupId" in to) || to.groupId === undefined) return publish(message);
    return chains(`${destinationName(to)}\n${to.groupId}`, () => publish(message));
  }

  /** One API call; resolves with the id AWS gave the message. */
  async function call(message: AwsOutgoing, headers: Record<string, HeaderValue>): Promise<string | undefined> {
    const to = message.destination;
    if ("bus" in to) {
      const answer = await clients.events.send(new PutEventsCommand({
        Entries: [{ EventBusName: to.bus, Source: to.source, DetailType: to.detailType, Detail: eventDetail(message.body, headers) }],
      }));
      const entry = answer.Entries?.[0];
      if (!entry?.EventId) throw new BrokerError("INVALID_INPUT", `EventBridge refused the event on bus "${to.bus}": ${entry?.ErrorCode ?? "no event id"} ${entry?.ErrorMessage ?? ""}`.trim(), false);
      return entry.EventId;
    }
    const fifo = { ...(to.groupId ? { MessageGroupId: to.groupId } : {}), ...(to.deduplicationId ? { MessageDeduplicationId: to.deduplicationId } : {}) };
    if ("snsTopic" in to) {
      const TopicArn = await resolver.topicArn(to.snsTopic);
      return (await clients.sns.send(new PublishCommand({ TopicArn, Message: message.body.toString(), MessageAttributes: toAttributes(headers), ...fifo }))).MessageId;
    }
    const QueueUrl = await resolver.queueUrl(to.queue);
    return (await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: message.body.toString(), MessageAttributes: toAttributes(headers), ...fifo }))).MessageId;
  }

  async function publish(message: AwsOutgoing): Promise<SendOutcome> {
    const name = destinationName(message.destination);
    const span = startAwsSendSpan(systemOf(message.destination), name, message.headers);
    const headers: Record<string, HeaderValue> = { ...message.headers };
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    Object.assign(headers, carrier);
    // The caller reads the injected traceparent from the message it passed (as amqplib's instrumentation does).
    Object.assign(message.headers, carrier);
    const traceId = traceIdOf(carrier);
    try {
      const awsId = await call(message, headers);
      if (awsId) span.setAttribute("aws.message_id", awsId);
      if (failing) { failing = false; options.onState?.("connected"); }
      const nowhere = unrouted(message);
      return nowhere ? { ok: true, traceId, returned: true, returnedDetail: nowhere } : { ok: true, traceId };
    } catch (error) {
      const failure = error instanceof BrokerError ? error : toAwsError(error, `send to ${name}`);
      markFailed(span, failure.code, failure.message);
      if (failure.retriable && !failing) { failing = true; options.onState?.("reconnecting", failure.message); }
      options.onError?.(failure);
      return { ok: false, traceId, error: failure };
    } finally {
      span.end();
    }
  }

  /** Why an event goes nowhere: no rule of its bus matches it (only for buses whose rules are all known). */
  function unrouted(message: AwsOutgoing): string | undefined {
    const to = message.destination;
    if (!("bus" in to)) return undefined;
    const patterns = options.rulesOf?.(to.bus);
    if (!patterns) return undefined;
    const detail: unknown = JSON.parse(eventDetail(message.body, {}));
    const event = { source: to.source, "detail-type": to.detailType, detail };
    return patterns.some((pattern) => mayMatch(pattern, event)) ? undefined : `no rule on bus ${to.bus} matches source ${to.source}, detail type ${to.detailType}: the event went nowhere`;
  }

  return createWindowedPublisher({ window: options.window, send: inOrder });
}

/** The event's `detail`: the JSON body's fields (or `{ value }` for a non-object body) plus the headers. */
export function eventDetail(body: Buffer, headers: Record<string, HeaderValue>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    parsed = body.toString();
  }
  const fields = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { value: parsed };
  const stringHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
  return JSON.stringify({ ...fields, [eventBridgeHeadersField]: stringHeaders });
}

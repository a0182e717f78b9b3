// Amazon SQS/SNS/EventBridge spans in the messaging conventions' model, in one place: no
// instrumentation of the AWS SDK carries the trace context in message attributes for us, so the
// sender and the subscriber start every span here through Brokerlab's messaging layer.
import type { Context, Span } from "@opentelemetry/api";
import { SpanKind, trace } from "@opentelemetry/api";
import { headerNames } from "../../../lib/run/ipc";
import { messagingSpanName } from "../../../lib/trace/messaging-conventions";
import { creationContext, messagingAttributes, startProcessSpan, startReceiveSpan, startSettleSpan } from "../messaging-spans";
import type { HeaderValue } from "../messaging";

const tracer = trace.getTracer("brokerlab-aws");
const sqs = "aws_sqs";

/** The PRODUCER `send` span of one SendMessage, Publish or PutEvents call; it is the message's creation context. */
export function startAwsSendSpan(system: string, destination: string, headers: Record<string, HeaderValue>): Span {
  const id = headers[headerNames.id];
  const attributes = messagingAttributes({ system, type: "send", operation: "send", destination, ...(id !== undefined ? { attributes: { "messaging.message.id": String(id) } } : {}) });
  return tracer.startSpan(messagingSpanName("send", destination), { kind: SpanKind.PRODUCER, attributes });
}

/** The CLIENT `receive` span of a ReceiveMessage call that returned messages, begun at `startTime` (epoch ms). */
export const startAwsReceiveSpan = (queue: string, headersOfEach: Record<string, string>[], startTime: number): Span =>
  startReceiveSpan({ system: sqs, operation: "receive", destination: queue }, headersOfEach.map(creationContext), headersOfEach.length, startTime);

/** The CONSUMER `process` span of one message: the send span's child in parent mode, a new trace in link mode; linked to it in both. */
export const startAwsProcessSpan = (queue: string, headers: Record<string, string>, receiveCount: number, asChild: boolean): Span =>
  startProcessSpan({ system: sqs, destination: queue, attributes: { "messaging.aws.sqs.receive_count": receiveCount } }, creationContext(headers), asChild);

/** The CLIENT `settle` span of a DeleteMessage (the ack) or a ChangeMessageVisibility (a retry's delay), under the process span. */
export const startAwsSettleSpan = (queue: string, operation: "delete" | "change_visibility", processContext: Context): Span =>
  startSettleSpan({ system: sqs, operation, destination: queue }, { processContext });

// Brokerlab's thin layer over the messaging instrumentations: what turns their spans, or spans of
// our own where no instrumentation exists or it cannot produce the model, into the OpenTelemetry
// messaging conventions' model (lib/trace/messaging-conventions.ts). Each broker kind calls these
// from one place (rabbitmq/spans.ts, kafka/spans.ts, aws/spans.ts); a new kind calls them the same way:
// - modelSpan(span, model) names an instrumentation's span `{operation} {destination}` and sets
//   the messaging.* attributes;
// - startProcessSpan / startSettleSpan / startReceiveSpan start the spans it lacks;
// - creationContext(headers) reads the context a message was created in (its send span).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context as contexts, isSpanContextValid, propagation, trace } from "@opentelemetry/api";
import type { Attributes, Context, Link, Span, SpanContext } from "@opentelemetry/api";
import { messagingSpanName } from "../../lib/trace/messaging-conventions";
import type { OperationType } from "../../lib/trace/messaging-conventions";

export interface MessagingModel {
  /** messaging.system: rabbitmq, kafka, aws_sqs, aws_sns, … */
  system: string;
  type: OperationType;
  /** messaging.operation.name: send, process, receive, ack, nack, reject, commit, delete, … */
  operation: string;
  /** messaging.destination.name (RabbitMQ's is rabbitDestinationName's). */
  destination: string;
  /** Further attributes: the consumer group, partition, offset, message id, … */
  attributes?: Attributes;
}

const tracer = trace.getTracer("brokerlab-messaging");

export const messagingAttributes = (model: MessagingModel): Attributes => ({
  "messaging.system": model.system,
  "messaging.operation.type": model.type,
  "messaging.operation.name": model.operation,
  "messaging.destination.name": model.destination,
  ...model.attributes,
});

/** Names an instrumentation's span after the model and sets its attributes. */
export function modelSpan(span: Span, model: MessagingModel): void {
  span.updateName(messagingSpanName(model.operation, model.destination));
  span.setAttributes(messagingAttributes(model));
}

/** The span context a message was created in, from the trace context its headers carry. */
export function creationContext(headers: Record<string, unknown> | undefined): SpanContext | undefined {
  if (!headers?.traceparent) return undefined;
  const found = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, textGetter));
  return found && isSpanContextValid(found) ? found : undefined;
}

// Header values may be Buffers (Kafka, RabbitMQ) or strings.
const textGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => {
    const value = carrier[key];
    return value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString() : String(value);
  },
};

/**
 * A CONSUMER `process` span tied to the message's creation context: in parent mode its child, in
 * link mode the root of a new trace with a link to it. Not both: Jaeger keeps one reference per
 * pair of spans, and a link to the parent would replace the parent reference. The caller ends it.
 */
export function startProcessSpan(model: Omit<MessagingModel, "type" | "operation">, creation: SpanContext | undefined, asChild: boolean): Span {
  const full: MessagingModel = { ...model, type: "process", operation: "process" };
  const parent = asChild && creation ? trace.setSpanContext(ROOT_CONTEXT, creation) : ROOT_CONTEXT;
  const links = !asChild && creation ? [{ context: creation }] : [];
  return tracer.startSpan(messagingSpanName("process", model.destination), { kind: SpanKind.CONSUMER, attributes: messagingAttributes(full), links }, parent);
}

/**
 * A CLIENT `settle` span (ack, nack, reject, commit, delete) as a child of the process span in
 * `processContext`, or linked to the messages when settled apart from their processing. The
 * caller ends it once the broker call is made; `outcome` says what was decided.
 */
export function startSettleSpan(model: Omit<MessagingModel, "type">, where: { processContext?: Context; links?: SpanContext[] }): Span {
  const full: MessagingModel = { ...model, type: "settle" };
  const links: Link[] = (where.links ?? []).map((linked) => ({ context: linked }));
  return tracer.startSpan(messagingSpanName(model.operation, model.destination), { kind: SpanKind.CLIENT, attributes: messagingAttributes(full), links }, where.processContext ?? ROOT_CONTEXT);
}

/** A CLIENT `receive` span for one poll that returned messages, begun at `startTime` (epoch ms): one link per message traced. */
export function startReceiveSpan(model: Omit<MessagingModel, "type">, creations: (SpanContext | undefined)[], count: number, startTime?: number): Span {
  const full: MessagingModel = { ...model, type: "receive", attributes: { ...model.attributes, "messaging.batch.message_count": count } };
  const links = creations.filter((c): c is SpanContext => c !== undefined).map((c) => ({ context: c }));
  return tracer.startSpan(messagingSpanName(model.operation, model.destination), { kind: SpanKind.CLIENT, attributes: messagingAttributes(full), links, ...(startTime !== undefined ? { startTime } : {}) }, ROOT_CONTEXT);
}

/** Runs `fn` with `span` active under `parent` (a process span, for the handler's own spans). */
export const withSpan = <T>(span: Span, fn: () => T, parent: Context = ROOT_CONTEXT): T => contexts.with(trace.setSpan(parent, span), fn);

/** A failed operation: ERROR status with `message`, and error.type, a low-cardinality class of the error. */
export function markFailed(span: Span, errorType: string, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute("error.type", errorType);
}

// The one place the Pub/Sub sender and subscriber start their own spans: a PRODUCER span around a
// publish (the library's own "create" span becomes its child and carries the trace to the
// subscriber) and a CONSUMER span around the work, child of the library's subscribe span, of the
// producer's span carried in the attributes, or linked to it (propagation: link).
import { ROOT_CONTEXT, SpanKind, context, propagation, trace, type Context, type Span } from "@opentelemetry/api";
import { ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_MESSAGE_ID, ATTR_MESSAGING_OPERATION_NAME, ATTR_MESSAGING_OPERATION_TYPE, ATTR_MESSAGING_SYSTEM, MESSAGING_OPERATION_TYPE_VALUE_PROCESS, MESSAGING_OPERATION_TYPE_VALUE_SEND, MESSAGING_SYSTEM_VALUE_GCP_PUBSUB } from "@opentelemetry/semantic-conventions/incubating";

const tracer = trace.getTracer("brokerlab-pubsub");
/** The attribute the client library carries its span's traceparent in. */
export const libraryTraceAttribute = "googclient_traceparent";

/** A PRODUCER span `send <topic>` and the W3C headers of its context, to travel as attributes. */
export function startSendSpan(topic: string, messageId: string | undefined): { span: Span; context: Context; carrier: Record<string, string> } {
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_GCP_PUBSUB,
      [ATTR_MESSAGING_DESTINATION_NAME]: topic,
      [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
      [ATTR_MESSAGING_OPERATION_NAME]: "send",
      ...(messageId !== undefined ? { [ATTR_MESSAGING_MESSAGE_ID]: messageId } : {}),
    },
  });
  const spanContext = trace.setSpan(context.active(), span);
  const carrier: Record<string, string> = {};
  propagation.inject(spanContext, carrier);
  return { span, context: spanContext, carrier };
}

/**
 * A CONSUMER span `process <subscription>`. Its parent: the library's subscribe span when it made
 * one (streaming pull), else the span named by the message's attributes (the library's traceparent
 * first, then Brokerlab's). With `link`, a new trace linked to that span instead.
 */
export function startProcessSpan(subscription: string, attributes: Record<string, string>, librarySpan: Span | undefined, link: boolean): Span {
  const carried = attributes[libraryTraceAttribute] ? { traceparent: attributes[libraryTraceAttribute] } : attributes;
  const parent = librarySpan ? trace.setSpan(ROOT_CONTEXT, librarySpan) : propagation.extract(ROOT_CONTEXT, carried);
  const spanAttributes = { [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_GCP_PUBSUB, [ATTR_MESSAGING_DESTINATION_NAME]: subscription, [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS, [ATTR_MESSAGING_OPERATION_NAME]: "process" };
  // The message's creation context: the library's create span (or Brokerlab's send span).
  const creation = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carried));
  if (link) return tracer.startSpan(`process ${subscription}`, { kind: SpanKind.CONSUMER, attributes: spanAttributes, links: creation ? [{ context: creation }] : [] }, ROOT_CONTEXT);
  // Under the library's subscribe span, the tie to the message's creation is a link (as for a
  // process span under a receive span); straight under the creation context it is the parent.
  const underLibrary = librarySpan !== undefined && creation !== undefined;
  return tracer.startSpan(`process ${subscription}`, { kind: SpanKind.CONSUMER, attributes: spanAttributes, ...(underLibrary ? { links: [{ context: creation }] } : {}) }, parent);
}

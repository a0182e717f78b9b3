// The Pub/Sub client library traces itself (enableOpenTelemetryTracing) with its own older naming:
// `{topic} create`, `{topic} send` (the batch publish call), `{subscription} subscribe`,
// `{subscription} ack|modack|nack`, and `messaging.operation` in place of the current attributes.
// This span processor renames those spans as they end, so a Pub/Sub trace has the same model as
// every other broker's: create, send (a batch), receive (the message arriving at the subscriber,
// linked to its creation context), and settle spans for ack, modack and nack. The library sets
// names after a span starts (the topic's id once known), hence the work at the end, not the start.
import { SpanKind, type Link } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { messagingSpanName, type OperationType } from "../../../lib/trace/messaging-conventions";

export const libraryScope = "@google-cloud/pubsub";

interface LibraryModel {
  type: OperationType;
  operation: string;
}

/** The library's span names end in its operation: what each becomes in the conventions' model. */
const models: Record<string, LibraryModel> = {
  create: { type: "create", operation: "create" },
  send: { type: "send", operation: "send" },
  subscribe: { type: "receive", operation: "receive" },
  ack: { type: "settle", operation: "ack" },
  modack: { type: "settle", operation: "modack" },
  nack: { type: "settle", operation: "nack" },
};

// The span's kind and links are fields the SDK reads at export; the API types mark them read-only.
type Mutable = { -readonly [K in "kind" | "links"]: Span[K] };

/** Renames one of the library's spans after the model; spans it does not know are left as they are. */
export function modelLibrarySpan(span: Span): void {
  const attributes = span.attributes as Record<string, unknown>;
  const destination = attributes["messaging.destination.name"];
  const suffix = span.name.slice(span.name.lastIndexOf(" ") + 1);
  const model = models[suffix];
  if (!model || typeof destination !== "string" || attributes["messaging.system"] !== "gcp_pubsub") return;
  span.updateName(messagingSpanName(model.operation, destination));
  span.setAttribute("messaging.operation.type", model.type);
  span.setAttribute("messaging.operation.name", model.operation);
  delete attributes["messaging.operation"];
  if (model.type !== "receive") return;
  // One message delivered to the subscriber: a CLIENT receive span whose one link is the message's
  // creation context (its parent); the links the library adds to its ack and modack calls are on
  // those settle spans already, which link back here.
  const mutable = span as unknown as Mutable;
  const parent = span.parentSpanContext;
  mutable.kind = SpanKind.CLIENT;
  mutable.links = parent ? [{ context: parent } satisfies Link] : [];
  span.setAttribute("messaging.batch.message_count", 1);
}

export function createPubsubLibrarySpanProcessor(): SpanProcessor {
  return {
    onStart() {},
    onEnding(span) {
      if (span.instrumentationScope.name === libraryScope) modelLibrarySpan(span);
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

// Redis spans in the messaging conventions' model, in one place. The redis instrumentation traces
// each command (XADD, PUBLISH, XREADGROUP, XACK) as a CLIENT span; the message's own PRODUCER
// `send` and CONSUMER `process` spans are started here, the trace context carried in the message
// (wire.ts: the `headers` field of a stream entry, the `headers` of a Pub/Sub envelope).
import type { Span } from "@opentelemetry/api";
import { SpanKind, trace } from "@opentelemetry/api";
import { headerNames } from "../../../lib/run/ipc";
import { messagingSpanName } from "../../../lib/trace/messaging-conventions";
import type { HeaderValue } from "../messaging";
import { creationContext, messagingAttributes, startProcessSpan } from "../messaging-spans";

const tracer = trace.getTracer("brokerlab-redis");
const system = "redis";

/** The PRODUCER `send` span of one XADD or PUBLISH; it is the message's creation context. */
export function startRedisSendSpan(destination: string, headers: Record<string, HeaderValue>): Span {
  const id = headers[headerNames.id];
  const attributes = messagingAttributes({ system, type: "send", operation: "send", destination, ...(id !== undefined ? { attributes: { "messaging.message.id": String(id) } } : {}) });
  return tracer.startSpan(messagingSpanName("send", destination), { kind: SpanKind.PRODUCER, attributes });
}

/** The CONSUMER `process` span of one stream entry (with its group and delivery count) or Pub/Sub message. */
export const startRedisProcessSpan = (destination: string, headers: Record<string, string>, asChild: boolean, extra: { group?: string; deliveries?: number; entryId?: string } = {}): Span =>
  startProcessSpan(
    {
      system,
      destination,
      attributes: {
        ...(extra.group !== undefined ? { "messaging.consumer.group.name": extra.group } : {}),
        ...(extra.deliveries !== undefined ? { "messaging.redis.delivery_count": extra.deliveries } : {}),
        ...(extra.entryId !== undefined ? { "messaging.redis.stream_entry_id": extra.entryId } : {}),
      },
    },
    creationContext(headers),
    asChild,
  );

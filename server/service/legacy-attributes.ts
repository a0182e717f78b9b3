// The amqplib instrumentation still writes attribute names from before the current messaging
// conventions (messaging.destination_kind, messaging.rabbitmq.routing_key, messaging.protocol, …).
// Brokerlab teaches the current ones, so each is renamed to its replacement, or dropped when the
// conventions have none, as the span ends. A span without them costs one key lookup.
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { legacyAttributes } from "../../lib/trace/messaging-conventions";

const legacyKeys = Object.keys(legacyAttributes);
// Every span the instrumentation starts carries this one; spans without it are left alone.
const marker = "messaging.destination_kind";

export function createLegacyAttributeFilter(): SpanProcessor {
  return {
    onStart() {},
    onEnding(span) {
      const attributes = span.attributes as Record<string, unknown>;
      if (!(marker in attributes) && !("messaging.operation" in attributes)) return;
      for (const key of legacyKeys) {
        if (!(key in attributes)) continue;
        const replacement = legacyAttributes[key];
        if (replacement && !(replacement in attributes) && attributes[key] !== undefined) attributes[replacement] = attributes[key];
        delete attributes[key];
      }
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

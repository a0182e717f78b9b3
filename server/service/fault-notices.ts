// The faults the engine says are active on this replica: slow faults add work time per message,
// and every span started while a fault touches this service's links or brokers gets a
// `brokerlab.fault` event, as does the PRODUCER span of a message a fault published.
import { createContextKey } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { FaultNotice } from "../../lib/run/ipc";

/** Context value (the fault id) around a send that a fault asked for (poison). */
export const faultContextKey = createContextKey("brokerlab.fault");

export function createFaultNotices() {
  let active: FaultNotice[] = [];
  return {
    set(next: FaultNotice[]): void {
      active = Array.isArray(next) ? next : [];
    },
    active: (): readonly FaultNotice[] => active,
    /** Extra work per message from the slow faults on this replica. */
    slowMs: (): number => active.reduce((sum, notice) => sum + (notice.slowMs ?? 0), 0),
  };
}

export type FaultNotices = ReturnType<typeof createFaultNotices>;

export const faultEventName = "brokerlab.fault";

export function createFaultSpanProcessor(notices: FaultNotices): SpanProcessor {
  return {
    onStart(span: Span, parentContext) {
      const system = span.attributes["messaging.system"];
      for (const notice of notices.active()) {
        // A fault on a RabbitMQ link does not touch a Kafka span of the same service.
        if (notice.brokerKind && typeof system === "string" && system !== notice.brokerKind) continue;
        span.addEvent(faultEventName, {
          "brokerlab.fault.id": notice.id,
          "brokerlab.fault.action": notice.action,
          "brokerlab.fault.detail": notice.detail,
          ...(notice.broker ? { "brokerlab.fault.broker": notice.broker } : {}),
        });
      }
      const published = parentContext.getValue(faultContextKey);
      if (typeof published === "string") span.addEvent(faultEventName, { "brokerlab.fault.id": published, "brokerlab.fault.detail": "this message was published by the fault" });
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

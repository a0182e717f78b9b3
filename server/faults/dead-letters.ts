// Dead-letter queues nobody in the scenario consumes, read without taking messages away (the
// management API requeues them at once), so the flight recorder shows where a message ended up
// and the x-death history the broker wrote on it.
import type { MessageEvent } from "../../lib/run/ipc";
import { headerNames } from "../../lib/run/ipc";
import { describeXDeath } from "../../lib/run/x-death";
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerAdmins } from "../engine/broker-stats";

export function createDeadLetterWatch(scenario: Scenario, runId: string, admins: BrokerAdmins, record: (events: MessageEvent[]) => void) {
  const seen = new Set<string>();
  return {
    /** Reads up to 100 messages of each dead-letter queue; each message of this run is recorded once. */
    async poll(): Promise<void> {
      // Asked at each poll: the run's admins exist once it has applied its resources.
      const queues = [...admins].flatMap(([broker, admin]) => (admin.deadLetterQueues?.(scenario, broker) ?? []).map((queue) => ({ broker, queue, admin })));
      for (const { broker, queue, admin } of queues) {
        if (!admin.peek) continue;
        const peeked = await admin.peek(queue, 100).catch(() => []);
        const events: MessageEvent[] = [];
        for (const message of peeked) {
          const id = String(message.headers[headerNames.id] ?? message.messageId ?? "");
          if (!id || String(message.headers[headerNames.runId] ?? "") !== runId || seen.has(id)) continue;
          seen.add(id);
          const traceparent = String(message.headers.traceparent ?? "");
          const traceId = /^[\da-f]{2}-([\da-f]{32})-/.exec(traceparent)?.[1];
          events.push({ id, kind: "in-dead-letter-queue", at: Date.now(), service: broker, replica: 0, actor: queue, destination: queue, ...(traceId ? { traceId } : {}), detail: describeXDeath(message.headers["x-death"]) ?? "no x-death header" });
        }
        if (events.length > 0) record(events);
      }
    },
  };
}

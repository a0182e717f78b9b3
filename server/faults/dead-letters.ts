// Dead-letter queues nobody in the scenario consumes, read without taking messages away (the
// management API requeues them at once), so the flight recorder shows where a message ended up
// and the x-death history the broker wrote on it.
import type { MessageEvent } from "../../lib/run/ipc";
import { headerNames } from "../../lib/run/ipc";
import { describeXDeath } from "../../lib/run/x-death";
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerAdmins } from "../engine/broker-stats";

/** Queues a dead-letter route leads to that no consumer of the scenario reads. */
export function deadLetterQueues(scenario: Scenario): { broker: string; queue: string }[] {
  const consumed = new Set(scenario.services.flatMap((s) => s.consumers.flatMap((c) => ("queue" in c.from ? [`${c.broker}/${c.from.queue}`] : []))));
  const out: { broker: string; queue: string }[] = [];
  for (const [broker, resources] of Object.entries(scenario.resources)) {
    if (resources.kind !== "rabbitmq") continue;
    const targets = new Set<string>();
    for (const queue of resources.queues) {
      const route = queue.deadLetter;
      if (!route) continue;
      if (route.exchange === "") targets.add(route.routingKey ?? queue.name);
      else for (const b of resources.bindings) if (b.exchange === route.exchange) targets.add(b.queue);
    }
    for (const queue of targets) if (!consumed.has(`${broker}/${queue}`)) out.push({ broker, queue });
  }
  return out;
}

export function createDeadLetterWatch(scenario: Scenario, runId: string, admins: BrokerAdmins, record: (events: MessageEvent[]) => void) {
  const queues = deadLetterQueues(scenario);
  const seen = new Set<string>();
  return {
    /** Reads up to 100 messages of each dead-letter queue; each message of this run is recorded once. */
    async poll(): Promise<void> {
      for (const { broker, queue } of queues) {
        const admin = admins.get(broker);
        if (!admin?.peek) continue;
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

// The RabbitMQ driver's admin: the adapter's admin (declare, delete, management API) with what the
// engine asks of every broker — apply a scenario's exchanges, queues and bindings, queue depths.
import type { RunResource } from "../../../lib/run/model";
import type { Binding, RabbitResources, Scenario } from "../../../lib/scenario/schema";
import type { DriverAdmin, UsedResource } from "../driver";
import type { RabbitAdmin } from "../types";

export const bindingName = (b: Binding) => `${b.exchange} → ${b.queue}${b.routingKey ? ` (${b.routingKey})` : ""}`;

export function rabbitRefs(broker: string, r: RabbitResources): RunResource[] {
  return [
    ...r.exchanges.map((e) => ({ broker, kind: "exchange" as const, name: e.name })),
    ...r.queues.map((q) => ({ broker, kind: "queue" as const, name: q.name })),
    ...r.bindings.map((b) => ({ broker, kind: "binding" as const, name: bindingName(b) })),
  ];
}

function resourcesOf(scenario: Scenario, name: string): RabbitResources | undefined {
  const resources = scenario.resources[name];
  return resources?.kind === "rabbitmq" ? resources : undefined;
}

/** Queues taken from by consumers and by the pattern parts that consume (repliers, workers). */
function consumedQueues(scenario: Scenario, broker: string): Set<string> {
  const sources = scenario.services.flatMap((s) => [...s.consumers, ...(s.repliers ?? []), ...(s.workers ?? [])]);
  return new Set(sources.flatMap((c) => (c.broker === broker && "queue" in c.from ? [c.from.queue] : [])));
}

export function rabbitUsedResources(scenario: Scenario, name: string): UsedResource[] {
  const resources = resourcesOf(scenario, name);
  if (!resources) return [];
  const consumed = consumedQueues(scenario, name);
  return [
    ...resources.exchanges.map((e) => ({ kind: "exchange" as const, name: e.name, attachOnly: e.existing })),
    ...resources.queues.map((q) => ({ kind: "queue" as const, name: q.name, attachOnly: q.existing, ...(consumed.has(q.name) ? { consumed: true } : {}) })),
  ];
}

/** Queues a dead-letter route of broker `name` leads to that no consumer of the scenario reads. */
export function rabbitDeadLetterQueues(scenario: Scenario, name: string): string[] {
  const resources = resourcesOf(scenario, name);
  if (!resources) return [];
  const consumed = new Set(scenario.services.flatMap((s) => s.consumers.flatMap((c) => (c.broker === name && "queue" in c.from ? [c.from.queue] : []))));
  const targets = new Set<string>();
  for (const queue of resources.queues) {
    const route = queue.deadLetter;
    if (!route) continue;
    if (route.exchange === "") targets.add(route.routingKey ?? queue.name);
    else for (const b of resources.bindings) if (b.exchange === route.exchange) targets.add(b.queue);
  }
  return [...targets].filter((queue) => !consumed.has(queue));
}

export function rabbitDriverAdmin(admin: RabbitAdmin): DriverAdmin {
  return {
    kind: "rabbitmq",
    noneCreated: (): RabbitResources => ({ exchanges: [], queues: [], bindings: [] }),
    async apply(scenario, name, onCreated) {
      const resources = resourcesOf(scenario, name);
      if (!resources) return { existed: [] };
      const applied = await admin.apply(resources, (created) => onCreated(structuredClone(created)));
      return { existed: rabbitRefs(name, applied.existed) };
    },
    teardown: (created) => admin.teardown(created as RabbitResources),
    createdRefs: (name, created) => rabbitRefs(name, created as RabbitResources),
    async snapshot(scenario, name) {
      const queues = resourcesOf(scenario, name)?.queues ?? [];
      if (queues.length === 0) return { queues: [], lag: [], errors: [] };
      try {
        const stats = await admin.queueStats(queues.map((q) => q.name));
        return { queues: stats.map((s) => ({ broker: name, ...s })), lag: [], errors: [] };
      } catch (error) {
        return { queues: [], lag: [], errors: [`${name}: ${(error as Error).message}`] };
      }
    },
    close: () => admin.close(),
    closeConnections: (prefix, reason) => admin.closeConnections(prefix, reason),
    queueStats: (names) => admin.queueStats(names),
    publish: (queue, messages) => admin.publish(queue, messages),
    peek: (queue, count) => admin.peek(queue, count),
    deadLetterQueues: rabbitDeadLetterQueues,
  };
}

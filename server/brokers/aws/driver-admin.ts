// The aws driver's admin: the SQS/SNS/EventBridge admin with what the engine asks of every broker —
// apply a scenario's resources, name what the run created, queue depth for frames and drain checks.
import type { QueueDepth, RunResource } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import type { DriverAdmin, UsedResource } from "../driver";
import type { AwsAdmin } from "./admin";
import { subscriptionName, type AwsResources, type CreatedAws, type ExistedAws, noneCreated } from "./resources";

/** Queue depth as SQS counts it: `ready` visible, `unacked` in flight (received, not yet deleted), `delayed` not yet visible (always counted). */
export type AwsQueueDepth = QueueDepth & { delayed: number };

function resourcesOf(scenario: Scenario, name: string): AwsResources | undefined {
  const resources = scenario.resources[name];
  return resources?.kind === "aws" ? resources : undefined;
}

/** The run's report names each resource by its own kind: "subscription orders → billing", "rule r1 on orders-bus". */
export function awsRefs(broker: string, r: ExistedAws): RunResource[] {
  return [
    ...r.queues.map((name) => ({ broker, kind: "queue" as const, name })),
    ...r.topics.map((name) => ({ broker, kind: "topic" as const, name })),
    ...r.subscriptions.map((s) => ({ broker, kind: "subscription" as const, name: subscriptionName(s) })),
    ...r.buses.map((name) => ({ broker, kind: "bus" as const, name })),
    ...r.rules.map((rule) => ({ broker, kind: "rule" as const, name: `${rule.name} on ${rule.bus}` })),
  ];
}

const createdNames = (created: CreatedAws): ExistedAws => ({ ...created, topics: created.topics.map((t) => t.name) });

export function awsUsedResources(scenario: Scenario, name: string): UsedResource[] {
  const resources = resourcesOf(scenario, name);
  if (!resources) return [];
  const consumed = new Set(scenario.services.flatMap((s) => [...s.consumers, ...(s.repliers ?? []), ...(s.workers ?? [])]).flatMap((c) => (c.broker === name && "queue" in c.from ? [c.from.queue] : [])));
  return [
    ...resources.queues.map((q) => ({ kind: "queue" as const, name: q.name, attachOnly: Boolean(q.existing), ...(consumed.has(q.name) ? { consumed: true } : {}) })),
    ...resources.topics.map((t) => ({ kind: "topic" as const, name: t.name, attachOnly: Boolean(t.existing) })),
  ];
}

export function awsDriverAdmin(admin: AwsAdmin): DriverAdmin {
  return {
    kind: "aws",
    noneCreated,
    async apply(scenario, name, onCreated) {
      const resources = resourcesOf(scenario, name);
      if (!resources) return { existed: [] };
      return { existed: awsRefs(name, await admin.apply(resources, onCreated)) };
    },
    teardown: (created) => admin.teardown({ ...noneCreated(), ...(created as Partial<CreatedAws>) }),
    createdRefs: (name, created) => awsRefs(name, createdNames({ ...noneCreated(), ...(created as Partial<CreatedAws>) })),
    async snapshot(scenario, name) {
      const queues = resourcesOf(scenario, name)?.queues ?? [];
      if (queues.length === 0) return { queues: [], lag: [], errors: [] };
      try {
        const depths = await admin.depths(queues.map((q) => q.name));
        // SQS does not say how many consumers poll a queue: 0 means "not known" here.
        const read: AwsQueueDepth[] = depths.map((d) => ({ broker: name, name: d.name, messages: d.visible + d.inFlight + d.delayed, ready: d.visible, unacked: d.inFlight, delayed: d.delayed, consumers: 0 }));
        return { queues: read, lag: [], errors: [] };
      } catch (error) {
        return { queues: [], lag: [], errors: [`${name}: ${(error as Error).message}`] };
      }
    },
    close: () => admin.close(),
    async queueStats(names) {
      const depths = await admin.depths(names);
      return depths.map((d) => ({ name: d.name, messages: d.visible + d.inFlight + d.delayed, ready: d.visible, unacked: d.inFlight, consumers: 0 }));
    },
  };
}

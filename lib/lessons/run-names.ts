// A step's check as it applies to one run: a lesson run has names of its own (order_queue-k3f9,
// lib/scenario/isolate.ts), so the queues, topics and groups a check reads are looked up under those.
import { actualName, type ResourceNames } from "../scenario/isolate";
import type { Check } from "./checks";

const resourceLists = { queues: "queue", exchanges: "exchange", topics: "topic" } as const;

export function checkForRun(check: Check, names: ResourceNames | undefined): Check {
  if (!names) return check;
  switch (check.kind) {
    case "all":
    case "any":
      return { ...check, checks: check.checks.map((child) => checkForRun(child, names)) };
    case "queueDepth":
    case "queueConsumers":
      return { ...check, queue: actualName(names, "queue", check.queue) };
    case "xDeath":
      return { ...check, queue: actualName(names, "queue", check.queue), ...(check.fromQueue ? { fromQueue: actualName(names, "queue", check.fromQueue) } : {}) };
    case "consumerGroupLag":
      return { ...check, group: actualName(names, "group", check.group), ...(check.topic ? { topic: actualName(names, "topic", check.topic) } : {}) };
    case "consumerGroupOffsets":
      return { ...check, group: actualName(names, "group", check.group), topic: actualName(names, "topic", check.topic) };
    case "scenario":
      // A path into the run's scenario selects declared resources by name: resources.rabbit.queues[packing].overflow.
      return { ...check, path: check.path.replace(/\b(queues|exchanges|topics)\[([^\]]+)\]/g, (_, list: keyof typeof resourceLists, name: string) => `${list}[${actualName(names, resourceLists[list], name)}]`) };
    default:
      return check;
  }
}

// What scenario code asks of an Amazon broker's resources: whether a producer reaches a queue
// (directly, through an SNS subscription or an EventBridge rule), and the renames of a lesson run.
import type { z } from "zod";
import type { awsResourcesSchema } from "./aws";
import type { BrokerIsolation } from "./types";

type AwsResources = z.output<typeof awsResourcesSchema>;

export function awsRoutesTo(resources: AwsResources | undefined, to: object, from: object): boolean {
  const queue = (from as { queue?: unknown }).queue;
  const target = to as { queue?: unknown; snsTopic?: unknown; bus?: unknown };
  if (typeof queue !== "string") return false;
  if (target.queue === queue) return true;
  // An SNS topic reaches the queues subscribed to it, a bus the queues its rules target.
  if (typeof target.snsTopic === "string") return (resources?.subscriptions ?? []).some((sub) => sub.topic === target.snsTopic && sub.queue === queue);
  if (typeof target.bus === "string") return (resources?.rules ?? []).some((rule) => rule.bus === target.bus && rule.targets.some((t) => t.queue === queue));
  return false;
}

export const awsIsolation: BrokerIsolation<AwsResources> = {
  // AWS makes a queue or topic FIFO by its ".fifo" ending, which must stay last.
  names: (resources, suffix) => {
    const fifoSafe = (name: string) => name.replace(/(\.fifo)?$/, `-${suffix}$1`);
    return [
      ...resources.queues.map((q): ["queue", string, string] => ["queue", q.name, fifoSafe(q.name)]),
      ...resources.topics.map((t): ["topic", string, string] => ["topic", t.name, fifoSafe(t.name)]),
    ];
  },
  rename: (resources, actual, suffix) => {
    const queue = (name: string) => actual("queue", name);
    return {
      ...resources,
      queues: resources.queues.map((q) => ({ ...q, name: queue(q.name), ...(q.deadLetter ? { deadLetter: { ...q.deadLetter, queue: queue(q.deadLetter.queue) } } : {}) })),
      topics: resources.topics.map((t) => ({ ...t, name: actual("topic", t.name) })),
      subscriptions: resources.subscriptions.map((sub) => ({ ...sub, topic: actual("topic", sub.topic), queue: queue(sub.queue) })),
      // Buses stay shared (the default bus is); each page's rules have names of their own.
      rules: resources.rules.map((r) => ({ ...r, name: `${r.name}-${suffix}`, targets: r.targets.map((t) => ({ queue: queue(t.queue) })) })),
    };
  },
  renameRef: (ref, actual) => ({
    ...(typeof ref.queue === "string" ? { queue: actual("queue", ref.queue) } : {}),
    ...(typeof ref.snsTopic === "string" ? { snsTopic: actual("topic", ref.snsTopic) } : {}),
  }),
};

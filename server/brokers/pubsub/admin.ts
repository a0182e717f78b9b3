// The Pub/Sub admin of a run: declares a scenario's topics (dead-letter topics among them) and then
// its subscriptions, each looked for first; tears down only what the run created, subscriptions
// first. The emulator reports no backlog, so a snapshot reads nothing.
import type { PubSub } from "@google-cloud/pubsub";
import type { z } from "zod";
import type { pubsubResourcesSchema } from "../../../lib/brokers/pubsub";
import type { RunResource } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import type { DriverAdmin, UsedResource } from "../driver";
import { BrokerError } from "../types";
import { createPubsubClient, isAlreadyExists, isNotFound, toPubsubError, topicPath, type PubsubTarget } from "./clients";
import { probePubsub } from "./probe";

type PubsubResources = z.output<typeof pubsubResourcesSchema>;
export interface CreatedPubsub {
  topics: string[];
  subscriptions: string[];
}

/** Time after an ack deadline for the emulator to hand a message out again. */
const redeliveryMarginMs = 5_000;
const noneCreated = (): CreatedPubsub => ({ topics: [], subscriptions: [] });

function resourcesOf(scenario: Scenario, name: string): PubsubResources | undefined {
  const resources = scenario.resources[name];
  return resources?.kind === "pubsub" ? (resources as unknown as PubsubResources) : undefined;
}

const refs = (broker: string, r: CreatedPubsub): RunResource[] => [
  ...r.topics.map((name) => ({ broker, kind: "topic" as const, name })),
  ...r.subscriptions.map((name) => ({ broker, kind: "subscription" as const, name })),
];

export function pubsubUsedResources(scenario: Scenario, name: string): UsedResource[] {
  const resources = resourcesOf(scenario, name);
  if (!resources) return [];
  const consumed = new Set(scenario.services.flatMap((s) => s.consumers).flatMap((c) => (c.broker === name && "subscription" in c.from ? [c.from.subscription] : [])));
  return [
    ...resources.topics.map((t) => ({ kind: "topic" as const, name: t.name, attachOnly: t.existing })),
    // A subscription holds messages for its consumers as a queue does.
    ...resources.subscriptions.map((s) => ({ kind: "queue" as const, name: s.name, attachOnly: s.existing, ...(consumed.has(s.name) ? { consumed: true } : {}) })),
  ];
}

/** Declares the resources in order; `onCreated` hears each creation as it happens. Returns what already existed. */
export async function applyPubsub(pubsub: PubSub, target: PubsubTarget, resources: PubsubResources, onCreated: (created: CreatedPubsub) => void): Promise<CreatedPubsub> {
  const created = noneCreated();
  const existed = noneCreated();
  for (const topic of resources.topics) {
    try {
      const [exists] = await pubsub.topic(topic.name).exists();
      if (exists) { existed.topics.push(topic.name); continue; }
      if (topic.existing) throw new Error(`topic "${topic.name}" is declared existing: true but does not exist in project ${target.project}; create it or remove existing: true`);
      await pubsub.createTopic(topic.name);
      created.topics.push(topic.name);
      onCreated({ ...created, topics: [...created.topics] });
    } catch (error) {
      if (isAlreadyExists(error)) { existed.topics.push(topic.name); continue; }
      throw toPubsubError(error, `declare topic "${topic.name}"`);
    }
  }
  for (const sub of resources.subscriptions) {
    try {
      const [exists] = await pubsub.subscription(sub.name).exists();
      if (exists) { existed.subscriptions.push(sub.name); continue; }
      if (sub.existing) throw new Error(`subscription "${sub.name}" is declared existing: true but does not exist in project ${target.project}; create it or remove existing: true`);
      await pubsub.topic(sub.topic).createSubscription(sub.name, {
        ackDeadlineSeconds: Math.round(sub.ackDeadline / 1000),
        enableMessageOrdering: sub.messageOrdering,
        ...(sub.filter ? { filter: sub.filter } : {}),
        ...(sub.deadLetter ? { deadLetterPolicy: { deadLetterTopic: topicPath(target, sub.deadLetter.topic), maxDeliveryAttempts: sub.deadLetter.maxDeliveryAttempts } } : {}),
      });
      created.subscriptions.push(sub.name);
      onCreated({ topics: [...created.topics], subscriptions: [...created.subscriptions] });
    } catch (error) {
      if (isAlreadyExists(error)) { existed.subscriptions.push(sub.name); continue; }
      throw toPubsubError(error, `declare subscription "${sub.name}" of topic "${sub.topic}"`);
    }
  }
  return existed;
}

export async function teardownPubsub(pubsub: PubSub, created: CreatedPubsub): Promise<void> {
  const ignoreMissing = (action: string) => (error: unknown) => {
    if (!isNotFound(error)) throw toPubsubError(error, action);
  };
  for (const name of created.subscriptions) await pubsub.subscription(name).delete().then(() => undefined, ignoreMissing(`delete subscription "${name}"`));
  for (const name of created.topics) await pubsub.topic(name).delete().then(() => undefined, ignoreMissing(`delete topic "${name}"`));
}

export function pubsubDriverAdmin(target: PubsubTarget): DriverAdmin {
  const pubsub = createPubsubClient(target);
  const full = (created: unknown): CreatedPubsub => ({ ...noneCreated(), ...(created as Partial<CreatedPubsub>) });
  // The client library retries an unreachable emulator for about a minute before it fails; one
  // probe before the first declaration says at once that it is down (or not installed) and what
  // to do. Later declarations (after an emulator restart) keep the library's patience.
  let answered = false;
  return {
    kind: "pubsub",
    noneCreated,
    async apply(scenario, name, onCreated) {
      const resources = resourcesOf(scenario, name);
      if (!resources) return { existed: [] };
      if (!answered) {
        const probe = await probePubsub(target);
        if (!probe.up) throw new BrokerError("BROKER_UNAVAILABLE", `Google Pub/Sub (broker "${name}") does not answer: ${probe.detail}; start it with \`npm run stack:up -- pubsub\` or set PUBSUB_EMULATOR_HOST`, true);
        answered = true;
      }
      return { existed: refs(name, await applyPubsub(pubsub, target, resources, onCreated)) };
    },
    teardown: (created) => teardownPubsub(pubsub, full(created)),
    createdRefs: (name, created) => refs(name, full(created)),
    // The emulator has no backlog metric (Google's service reports it through Cloud Monitoring). A
    // message leased to a consumer that died comes back once its ack deadline passes: a drain waits
    // that long (and a little) before counting it lost.
    snapshot: (scenario, name) => Promise.resolve({ queues: [], lag: [], errors: [], unseenForMs: Math.max(0, ...(resourcesOf(scenario, name)?.subscriptions ?? []).map((s) => s.ackDeadline + redeliveryMarginMs)) }),
    close: () => pubsub.close(),
  };
}

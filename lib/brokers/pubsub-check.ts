// The references of a scenario's Pub/Sub parts, checked before anything is created: a
// subscription names a declared topic and a dead-letter topic other than its own, producers publish
// to declared topics, consumers read declared subscriptions, ordering keys only where a
// subscription orders, templates that name payload fields, and a body within Pub/Sub's 10 MB.
import type { z } from "zod";
import { pubsubSourceSchema, pubsubTargetSchema, type pubsubResourcesSchema } from "./pubsub";
import { duplicates, list, templateProblem, walkParts } from "./check-parts";
import type { BrokerProblem, CheckedScenario } from "./types";

type PubsubResources = z.output<typeof pubsubResourcesSchema>;

/** Pub/Sub's message limit, body and attributes together. */
export const maxPubsubMessageBytes = 10 * 1024 * 1024;

export function checkPubsubScenario(scenario: CheckedScenario): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const resourcesOf = (broker: string): PubsubResources => {
    const entry = scenario.resources[broker];
    return entry?.kind === "pubsub" ? (entry as unknown as PubsubResources) : { topics: [], subscriptions: [] };
  };
  for (const [broker, entry] of Object.entries(scenario.brokers)) if (entry.kind === "pubsub") checkResources(`resources.${broker}`, resourcesOf(broker), add);

  // The forms are built here, not at load: pubsub.ts imports this module.
  const forms = { kind: "pubsub", targets: [{ form: { key: "pubsubTopic", text: "" }, schema: pubsubTargetSchema }], sources: [{ form: { key: "subscription", text: "" }, schema: pubsubSourceSchema }] };
  walkParts(scenario, forms, {
    target: ({ path, broker, to, fields, body }) => {
      const { pubsubTopic, orderingKey } = to as { pubsubTopic: string; orderingKey?: string };
      const res = resourcesOf(broker);
      if (!res.topics.some((t) => t.name === pubsubTopic)) add(`${path}.pubsubTopic`, `"${pubsubTopic}" is not a topic declared in resources.${broker}.topics (declared: ${list(res.topics.map((t) => t.name))})`);
      const problem = templateProblem(orderingKey, fields);
      if (problem) add(`${path}.orderingKey`, problem);
      const size = body.sizeBytes ?? 0;
      if (size > maxPubsubMessageBytes) add(path.replace(/\.to$/, ".sizeBytes"), `pads bodies to ${size} bytes; a Pub/Sub message holds at most ${maxPubsubMessageBytes} bytes (10 MB)`);
    },
    source: ({ path, consumer }) => {
      const from = consumer.from as { subscription: string; mode?: string; extendDeadline?: boolean };
      const res = resourcesOf(consumer.broker);
      const sub = res.subscriptions.find((s) => s.name === from.subscription);
      if (!sub) add(`${path}.from.subscription`, `"${from.subscription}" is not a subscription declared in resources.${consumer.broker}.subscriptions (declared: ${list(res.subscriptions.map((s) => s.name))})`);
      if (from.extendDeadline !== undefined && from.mode !== "pull") add(`${path}.from.extendDeadline`, `applies to mode: pull only; the streaming subscriber always extends ack deadlines while a message is worked on. Set mode: pull, or remove extendDeadline`);
      if (sub && consumer.onError.then === "dead-letter" && !sub.deadLetter && !sub.existing) {
        add(`${path}.onError.then`, `dead-letter needs a dead-letter topic on subscription "${sub.name}": set deadLetter: { topic, maxDeliveryAttempts } on it in resources.${consumer.broker}.subscriptions`);
      }
    },
  });
  return problems;
}

function checkResources(at: string, res: PubsubResources, add: (path: string, message: string) => void) {
  const topics = res.topics.map((t) => t.name);
  for (const [key, names] of [["topics", topics], ["subscriptions", res.subscriptions.map((s) => s.name)]] as const) {
    for (const name of duplicates(names)) add(`${at}.${key}`, `"${name}" is declared twice in ${key}`);
  }
  const undeclared = (name: string) => `"${name}" is not a topic declared in ${at}.topics (declared: ${list(topics)}); declare it, with existing: true if another program owns it`;
  res.subscriptions.forEach((s, i) => {
    const path = `${at}.subscriptions[${i}]`;
    if (!topics.includes(s.topic)) add(`${path}.topic`, undeclared(s.topic));
    if (!s.deadLetter) return;
    if (!topics.includes(s.deadLetter.topic)) add(`${path}.deadLetter.topic`, undeclared(s.deadLetter.topic));
    else if (s.deadLetter.topic === s.topic) add(`${path}.deadLetter.topic`, `must differ from the subscription's own topic "${s.topic}" (Pub/Sub refuses a dead-letter topic that is the subscription's topic)`);
  });
}

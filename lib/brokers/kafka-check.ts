// The references of a scenario's Kafka parts: topics are declared once, targets and sources name
// declared topics, a partition exists, and a message key's template names payload fields.
import type { z } from "zod";
import { duplicates, list, templateProblem, walkParts } from "./check-parts";
import { kafkaDescriptor } from "./kafka";
import type { kafkaResourcesSchema } from "./kafka";
import type { BrokerProblem, CheckedScenario } from "./types";

type KafkaResources = z.output<typeof kafkaResourcesSchema>;

export function checkKafkaScenario(scenario: CheckedScenario): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const topicsOf = (broker: string): KafkaResources["topics"] => {
    const entry = scenario.resources[broker];
    return entry?.kind === "kafka" ? (entry as { kind: "kafka" } & KafkaResources).topics : [];
  };
  const topicNames = (broker: string) => topicsOf(broker).map((t) => t.name);
  const undeclared = (name: string, broker: string) => `"${name}" is not a topic declared in resources.${broker}.topics (declared: ${list(topicNames(broker))})`;

  for (const broker of Object.keys(scenario.resources)) {
    if (scenario.resources[broker]?.kind !== "kafka") continue;
    for (const name of duplicates(topicNames(broker))) add(`resources.${broker}.topics`, `topic "${name}" is declared twice`);
  }
  walkParts(scenario, kafkaDescriptor, {
    target: ({ path, broker, to, fields }) => {
      if (!("topic" in to) || typeof to.topic !== "string") return;
      const { topic: name, key, partition } = to as { topic: string; key?: string; partition?: number };
      if (!topicNames(broker).includes(name)) add(`${path}.topic`, undeclared(name, broker));
      const keyProblem = templateProblem(key, fields);
      if (keyProblem) add(`${path}.key`, keyProblem);
      const topic = topicsOf(broker).find((t) => t.name === name);
      if (topic && partition !== undefined && partition >= topic.partitions) add(`${path}.partition`, `topic "${name}" has ${topic.partitions} partitions (0-${topic.partitions - 1})`);
    },
    source: ({ path, consumer: c }) => {
      const topic = "topic" in c.from && typeof c.from.topic === "string" ? c.from.topic : undefined;
      if (topic !== undefined && !topicNames(c.broker).includes(topic)) add(`${path}.from.topic`, undeclared(topic, c.broker));
    },
  });
  return problems;
}

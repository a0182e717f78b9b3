// A consumer group that starts "from now" (fromBeginning: false) gets that starting point fixed
// before its first member joins. Kafka's own rule, "no committed offset: start at the latest",
// is applied lazily by each member: records written before a member's first fetch, or before a
// killed member's first commit, were skipped by the next one (a kill/restart run lost them).
import { kafkaRetryTopicName } from "../../lib/scenario/derived";
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerAdmins } from "./broker-stats";

/** broker → group → the topics it reads "from now", including its retry topic. */
export function groupsStartingNow(scenario: Scenario): { broker: string; group: string; topics: string[] }[] {
  const out = new Map<string, { broker: string; group: string; topics: Set<string> }>();
  for (const consumer of scenario.services.flatMap((s) => s.consumers)) {
    if (!("topic" in consumer.from) || consumer.from.fromBeginning) continue;
    const { topic, group } = consumer.from;
    const key = `${consumer.broker}\u0000${group}`;
    const entry = out.get(key) ?? { broker: consumer.broker, group, topics: new Set<string>() };
    entry.topics.add(topic);
    if (consumer.onError.retries > 0) entry.topics.add(kafkaRetryTopicName(topic, group));
    out.set(key, entry);
  }
  return [...out.values()].map((g) => ({ ...g, topics: [...g.topics] }));
}

/** Pins every such group's start; a group that cannot be pinned (members of its own already active) is reported, not fatal. */
export async function pinKafkaStartOffsets(scenario: Scenario, admins: BrokerAdmins, note: (line: string) => void): Promise<void> {
  for (const { broker, group, topics } of groupsStartingNow(scenario)) {
    const admin = admins.get(broker);
    if (!admin?.pinStartOffsets) continue;
    await admin.pinStartOffsets(group, topics).catch((error: unknown) =>
      note(`${broker}: could not fix where group "${group}" starts (${(error as Error).message}); a member killed before its first commit may skip records`));
  }
}

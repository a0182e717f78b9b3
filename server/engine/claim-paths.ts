// Where a scenario names a resource it claims, as a field path the lab can point at
// (`resources.rabbit.queues[0].name`, `services[1].consumers[0].from.group`). Pure.
import type { Scenario } from "../../lib/scenario/schema";

type Named = { name?: unknown };

/** The first consumer on `broker` for which `matches` holds, as `services[i].consumers[j]`. */
function consumerPath(scenario: Scenario, broker: string, matches: (from: Record<string, unknown>, consumer: Record<string, unknown>) => boolean): string | undefined {
  for (const [i, service] of scenario.services.entries()) {
    for (const [j, consumer] of service.consumers.entries()) {
      if (consumer.broker === broker && matches(consumer.from as Record<string, unknown>, consumer as unknown as Record<string, unknown>)) return `services[${i}].consumers[${j}]`;
    }
  }
  return undefined;
}

/** The name a consumer reads from, whatever the broker calls it (queue, topic, stream, subscription, channel). */
const sourceName = (from: Record<string, unknown>) => [from.queue, from.topic, from.stream, from.subscription, from.channel].find((n) => typeof n === "string") as string | undefined;

/**
 * The field of `scenario` (as written, before derived retry and dead-letter resources are added)
 * that names resource `name` of broker `broker`: its declaration, the consumer that joins the group,
 * or for a derived resource the `onError` it comes from; the broker's resources as a last resort.
 */
export function claimPath(scenario: Scenario, broker: string, kind: string, name: string): string {
  if (kind === "group") {
    const found = consumerPath(scenario, broker, (from) => from.group === name);
    if (found) return `${found}.from.group`;
  }
  const declared = (scenario.resources[broker] ?? {}) as Record<string, unknown>;
  for (const [list, entries] of Object.entries(declared)) {
    if (!Array.isArray(entries)) continue;
    const index = (entries as Named[]).findIndex((entry) => entry?.name === name);
    if (index >= 0) return `resources.${broker}.${list}[${index}].name`;
  }
  // Retry and dead-letter resources take the name of the queue or topic whose onError derives them.
  const deriving = consumerPath(scenario, broker, (from, consumer) => consumer.onError !== undefined && name.startsWith(`${sourceName(from) ?? "\u0000"}.`));
  return deriving ? `${deriving}.onError` : `resources.${broker}`;
}

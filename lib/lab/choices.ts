// The choices the inspector offers for a link: where a producer can send, where a consumer can
// read from, and the value each choice writes into the scenario.
import type { Endpoint, ResourceKind } from "./edits";
import type { LabModel, LabResource } from "./model";
import { readSourceOf, viewFor } from "./broker-views";
import { brokerKind, isRecord, readTarget } from "./model";

export interface LinkChoice {
  value: string;
  label: string;
  endpoint: Extract<Endpoint, { kind: ResourceKind }>;
}

const choiceValue = (kind: string, broker: string, name: string) => `${kind}:${broker}/${name}`;
const words: Record<ResourceKind, string> = { queue: "queue", exchange: "exchange", topic: "topic", bus: "bus", rule: "rule" };

function choices(model: LabModel, resources: LabResource[]): LinkChoice[] {
  return resources.map((r) => ({
    value: choiceValue(r.kind, r.broker, r.name),
    label: `${viewFor(brokerKind(model, r.broker), r.kind).canvas?.kindWord?.[r.kind] ?? words[r.kind]} ${r.name} (${r.broker})`,
    endpoint: { kind: r.kind, broker: r.broker, name: r.name },
  }));
}

/** Queues, exchanges and topics a producer or a forward can send to. */
export const targetChoices = (model: LabModel): LinkChoice[] => choices(model, model.resources.filter((r) => r.kind !== "rule"));

/** Queues and topics a consumer can read from (not an SNS topic: it delivers to subscribed queues). */
export const sourceChoices = (model: LabModel): LinkChoice[] =>
  choices(model, model.resources.filter((r) => r.kind !== "rule" && viewFor(brokerKind(model, r.broker), r.kind).sourceOf(r, "") !== undefined));

/** The choice value of a producer's `to` (or a forward's), "" when it has none. */
export function targetChoiceValue(broker: unknown, to: unknown): string {
  const target = readTarget(to);
  if (!target || typeof broker !== "string") return "";
  return choiceValue(target.kind, broker, target.name);
}

export function sourceChoiceValue(broker: unknown, from: unknown): string {
  if (!isRecord(from) || typeof broker !== "string") return "";
  if (typeof from.queue === "string") return choiceValue("queue", broker, from.queue);
  if (typeof from.topic === "string") return choiceValue("topic", broker, from.topic);
  const source = readSourceOf(from);
  return source ? choiceValue(source.kind, broker, source.name) : "";
}

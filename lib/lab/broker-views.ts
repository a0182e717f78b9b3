// The lab's view of each broker kind: the one list a new broker's view module is added to (the
// compiler asks for every registered kind).
import { brokerDescriptors } from "../brokers";
import type { BrokerKind } from "../brokers";
import { awsView } from "./aws-view";
import type { BrokerLabView, LabSource, LabTarget, NodeList, ResourceKind } from "./broker-view";
import { kafkaView } from "./kafka-view";
import { pubsubView } from "./pubsub-view";
import { rabbitmqView } from "./rabbitmq-view";
import { redisView } from "./redis-view";
import type { Raw } from "./raw";

const labViews: Record<BrokerKind, BrokerLabView> = {
  rabbitmq: rabbitmqView,
  kafka: kafkaView,
  aws: awsView,
  pubsub: pubsubView,
  redis: redisView,
};

/** The first registered kind whose resources include this node kind (queues are RabbitMQ's, topics Kafka's). */
export const kindHolding = (node: ResourceKind): BrokerKind => brokerDescriptors.find((d) => d.collections.some((c) => c.noun === node))!.kind;

const isKnown = (kind: string): kind is BrokerKind => Object.hasOwn(labViews, kind);

/**
 * The view that draws a resource of this node kind on a broker of this kind. While a broker entry is
 * half-written ("unknown"), the first kind that has such resources.
 */
export const viewFor = (kind: string, node: ResourceKind): BrokerLabView => labViews[isKnown(kind) ? kind : kindHolding(node)];

/** The views to ask about a broker of this kind: its own, or every one while its kind is unknown. */
export const viewsFor = (kind: string): BrokerLabView[] => (isKnown(kind) ? [labViews[kind]] : Object.values(labViews));

/** A `to` as the canvas draws it, in whichever kind's words it is written. */
export function readTargetOf(to: Raw): LabTarget | undefined {
  for (const view of Object.values(labViews)) {
    const target = view.readTarget(to);
    if (target) return target;
  }
  return undefined;
}

/** A consumer's `from` as the canvas draws it, in whichever kind's words it is written (beyond the shared queue and topic). */
export function readSourceOf(from: Raw): LabSource | undefined {
  for (const view of Object.values(labViews)) {
    const source = view.readSource?.(from);
    if (source) return source;
  }
  return undefined;
}

/** Every kind's own node lists (Redis's `streams` and `channels`); their keys differ from kind to kind. */
export const kindNodeLists: readonly NodeList[] = Object.values(labViews).flatMap((view) => view.nodeLists ?? []);

/** The node kind of a broker entry's list drawn by a kind's own hook, undefined for the shared lists. */
export const nodeKindOfList = (key: string): ResourceKind | undefined => kindNodeLists.find((l) => l.key === key)?.node;

/** The kinds with a toolbar menu of their own, in registration order. */
export const paletteKinds = (): { kind: BrokerKind; palette: NonNullable<BrokerLabView["palette"]> }[] =>
  (Object.entries(labViews) as [BrokerKind, BrokerLabView][]).flatMap(([kind, view]) => (view.palette ? [{ kind, palette: view.palette }] : []));

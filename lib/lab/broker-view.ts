// What the lab asks of one broker kind: how its resources read on the canvas, what a new one or a
// new link writes, and where its broker entry names a resource. One module per kind implements it
// (rabbitmq-view.ts, kafka-view.ts, aws-view.ts), listed in broker-views.ts.
import type { Raw } from "./raw";
import type { Doc, DocPath } from "./yaml-edit";

/** The kinds of resource node the canvas draws (each a collection noun of some broker kind). */
export type ResourceKind = "queue" | "exchange" | "topic" | "bus" | "rule";

/** A resource as a link names it. */
export interface ResourceRef {
  kind: ResourceKind;
  broker: string;
  name: string;
  /** The queue's dead-letter handle, when a link starts there. */
  dead?: boolean;
  /** The broker's kind, when the canvas knows it (its view then says what the resource can be joined to). */
  brokerKind?: string;
}

/** A consumer's `from` read for the canvas: the node it reads, and its consumer group when it has one. */
export interface LabSource {
  kind: ResourceKind;
  name: string;
  group?: string;
}

/** A list of a broker entry drawn as nodes of a shared node kind (Redis: `streams` as topic nodes). */
export interface NodeList {
  key: string;
  node: ResourceKind;
}

/** One entry of a broker kind's menu in the lab's toolbar: a resource of a node kind, named after `name` or the kind. */
export interface PaletteItem {
  id: string;
  kind: ResourceKind;
  name?: string;
  label: string;
  description: string;
}

/** A producer's `to` read for the canvas. */
export interface LabTarget {
  kind: "queue" | "exchange" | "topic" | "bus";
  name: string;
  /** Routing key (exchange), message key (topic), message group (SNS topic) or detail type (bus), when given. */
  key?: string;
}

/** What a view may read and write of the document while it joins two resources. */
export interface ResourceEdit {
  doc: Doc;
  /** The items of one list of a broker's resources (`rules`). */
  list: (broker: string, key: string) => Raw[];
}

export interface BrokerLabView {
  /**
   * The lists of this kind's broker entry that the canvas draws as nodes, beyond the shared ones
   * (`exchanges`, `queues`, `topics`, `subscriptions`, `buses`, `rules`, read for every kind).
   */
  nodeLists?: readonly NodeList[];
  /** A consumer's `from` written in this kind's words, beyond the shared `{ queue }` and `{ topic, group }`. */
  readSource?(from: Raw): LabSource | undefined;
  /** The fields of a consumer's `from` that name this resource, beyond the shared `queue` and `topic`. */
  sourceFields?(from: Raw, kind: ResourceKind, name: string): string[];
  /** The toolbar menu that adds this kind's resources, when the shared Queue, Exchange and Topic buttons do not. */
  palette?: { label: string; title: string; items: readonly PaletteItem[] };
  /** The item a new resource of this node kind is declared as, or undefined when the kind has none. */
  newResource(kind: ResourceKind, name: string, lists: (key: string) => Raw[]): Raw | undefined;
  /** `base`, made unique among `taken` in the kind's own way (default: base-2, base-3…). */
  uniqueName?(base: string, taken: readonly string[], unique: (base: string, taken: readonly string[]) => string): string;
  /** A producer's (or forward's) `to` for one of its resources. */
  targetOf(resource: { kind: ResourceKind; name: string }): Raw | undefined;
  /** A consumer's `from` for one of its resources; undefined when it is not read directly (an SNS topic). */
  sourceOf(resource: { kind: ResourceKind; name: string }, service: string): Raw | undefined;
  /** A `to` written in this kind's words, as the canvas draws it. */
  readTarget(to: Raw): LabTarget | undefined;
  /** Joins two resources of a broker of this kind (bind, subscribe, route, dead-letter): the path it wrote, undefined when they do not fit. */
  connectResources?(edit: ResourceEdit, source: ResourceRef, target: ResourceRef): DocPath | undefined;
  /** The fields of a producer's `to` that name this resource (`exchange`; `routingKey` through the default exchange). */
  targetFields(to: Raw, kind: ResourceKind, name: string): string[];
  /** Calls `visit` for every place inside the broker's entry (bindings, dead letters, subscriptions, rules) that names this resource. */
  entryRefs?(list: (key: string) => Raw[], at: DocPath, kind: ResourceKind, name: string, visit: (path: DocPath, field: string) => void): void;
  /** The line under a resource node's name: exchange type, queue type, partitions, … */
  detail(kind: ResourceKind, raw: Raw): string | undefined;
  /** The canvas column of a node kind when it is not the kind's usual one (an SNS topic routes like an exchange). */
  column?(kind: ResourceKind): ResourceKind | undefined;
  /** A queue's dead-letter route as an edge: where it goes and its label; undefined when the queue has none of this kind's. */
  deadLetterEdge?(deadLetter: Raw): { kind: ResourceKind; name: string; label: string } | undefined;
  /** How the canvas's nodes of this kind read where they differ from the shared words. */
  canvas?: CanvasWords;
}

export interface CanvasWords {
  /** What a node of a shared kind is called on this broker ("stream" for a Redis topic node). */
  kindWord?: Partial<Record<ResourceKind, string>>;
  /** A queue's two halves (shared: ready, unacked), whether it counts delayed messages, and whether it knows its consumers. */
  queueDepth?: { ready: string; unacked: string; delayed: boolean; consumers: boolean };
  /**
   * A queue node also shows its dead-letter queue's depth and this note (SQS: its redrive target,
   * and that SQS does not report the age of the oldest message).
   */
  queueNote?: { text: string; title: string };
  /** A node's handle hints and the line under it, by node kind (an SNS topic is read by no one: it copies to queues). */
  inHint?: Partial<Record<ResourceKind, string>>;
  outHint?: Partial<Record<ResourceKind, string>>;
  note?: Partial<Record<ResourceKind, string>>;
}

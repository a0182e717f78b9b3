// The broker kinds Brokerlab knows: the one list a new broker is added to. The scenario schema's
// unions (broker entries, targets, sources) and capability questions are answered from it.
import type { z } from "zod";
import { awsDescriptor } from "./aws";
import { kafkaDescriptor } from "./kafka";
import { pubsubDescriptor } from "./pubsub";
import { rabbitmqDescriptor } from "./rabbitmq";
import { redisDescriptor } from "./redis";
import type { UnionForm } from "../scenario/union-forms";
import type { ServiceId } from "../stack";
import type { BrokerDescriptor, Capability, FormSchema } from "./types";

/** In the order menus and error messages list them. */
export const brokerDescriptors = [rabbitmqDescriptor, kafkaDescriptor, awsDescriptor, pubsubDescriptor, redisDescriptor] as const;

type Descriptors = typeof brokerDescriptors;
export type KnownBrokerDescriptor = Descriptors[number];
export type BrokerKind = KnownBrokerDescriptor["kind"];

// Mapped over a type parameter, so that a tuple of descriptors maps to a tuple (not an array).
type FieldOf<T, Key extends string> = { -readonly [I in keyof T]: T[I] extends Record<Key, infer V> ? V : never };

export const brokerKinds = brokerDescriptors.map((d) => d.kind) as FieldOf<Descriptors, "kind">;

export const isBrokerKind = (kind: unknown): kind is BrokerKind => brokerKinds.some((k) => k === kind);

export function descriptorOf<K extends BrokerKind>(kind: K): Extract<KnownBrokerDescriptor, { kind: K }> {
  return brokerDescriptors.find((d) => d.kind === kind) as Extract<KnownBrokerDescriptor, { kind: K }>;
}

/**
 * A kind's descriptor seen through the common interface, for calling its hooks (routesTo,
 * derivedResources, isolation, …) with resources of a kind not known at compile time.
 */
export const hooksOf = (kind: BrokerKind): BrokerDescriptor => descriptorOf(kind);

/** The local stack's services that run brokers, named by their descriptors (lib/stack.ts adds Jaeger). */
export type BrokerServiceId = KnownBrokerDescriptor["stackService"];

/** The local stack's service that runs a broker of this kind: "moto" for Amazon's. */
export const stackServiceOf = (kind: BrokerKind): BrokerServiceId => descriptorOf(kind).stackService;

/** The registered kinds among `kinds` whose local stack service is down, in registry order. */
export const kindsDown = (kinds: ReadonlySet<string>, up: (service: ServiceId) => boolean): BrokerKind[] =>
  brokerKinds.filter((kind) => kinds.has(kind) && !up(stackServiceOf(kind)));

export const hasCapability = (kind: BrokerKind, capability: Capability): boolean => descriptorOf(kind).capabilities[capability];

/** The kinds that have a capability, in registry order. */
export const kindsWith = (capability: Capability): BrokerKind[] => brokerDescriptors.filter((d) => d.capabilities[capability]).map((d) => d.kind);

/**
 * The names a broker entry's resources declare in the collection of this noun ("queue" →
 * `resources.<broker>.queues`), with the collection's key; none when the kind has no such collection.
 */
export function declaredNames(kind: BrokerKind, resources: object | undefined, noun: string): { key: string; names: string[] } {
  const collection = descriptorOf(kind).collections.find((c) => c.noun === noun);
  const items: unknown = collection && resources ? (resources as Record<string, unknown>)[collection.key] : undefined;
  const names = Array.isArray(items) ? items.map((item: { name?: unknown }) => item.name).filter((name): name is string => typeof name === "string") : [];
  return { key: collection?.key ?? `${noun}s`, names };
}

/** The labels of the kinds that have a capability ("RabbitMQ"), for messages. */
export const labelsWith = (capability: Capability): string[] => kindsWith(capability).map((kind) => descriptorOf(kind).label);

// The tuples below keep each schema's own type, so a scenario's `to` and `from` stay a union
// TypeScript can narrow ("topic" in to), exactly as if the forms were listed by hand.
type SchemasOf<F> = { -readonly [I in keyof F]: F[I] extends FormSchema<infer S> ? S : never };
type Flatten<D, Key extends "targets" | "sources"> = D extends readonly [infer Head extends BrokerDescriptor, ...infer Rest]
  ? [...SchemasOf<Head[Key]>, ...Flatten<Rest, Key>]
  : [];

/** Every kind's resolved broker (what a service process receives), for a discriminated union on kind. */
export const resolvedSchemas = brokerDescriptors.map((d) => d.resolved) as FieldOf<Descriptors, "resolved">;
/** A broker entry with its endpoints, as the launch spec carries it to a service process. */
export type ResolvedBrokerOf<D> = D extends KnownBrokerDescriptor ? z.output<D["resolved"]> : never;

/** Every broker entry schema (`{ kind: rabbitmq, … }`, `{ kind: kafka, … }`), for a discriminated union on kind. */
export const connectionSchemas = brokerDescriptors.map((d) => d.connection) as FieldOf<Descriptors, "connection">;

/** Every form of a producer's `to`, broker by broker. */
export const targetSchemas = brokerDescriptors.flatMap((d) => d.targets.map((t) => t.schema)) as Flatten<Descriptors, "targets">;
/** Forms in words for error messages, each key once: RabbitMQ's and SQS's `{ queue }` read alike. */
const distinctForms = (forms: readonly UnionForm[]) => forms.filter((form, i) => forms.findIndex((f) => f.key === form.key) === i);

export const targetForms = distinctForms(brokerDescriptors.flatMap((d) => d.targets.map((t) => t.form)));

/** Every form of a consumer's `from`, broker by broker. */
export const sourceSchemas = brokerDescriptors.flatMap((d) => d.sources.map((s) => s.schema)) as Flatten<Descriptors, "sources">;
export const sourceForms = distinctForms(brokerDescriptors.flatMap((d) => d.sources.map((s) => s.form)));

/** A validated `resources.<broker>` entry, tagged with its broker's kind. */
export type BrokerResourcesOf<D> = D extends KnownBrokerDescriptor ? { kind: D["kind"] } & z.output<D["resources"]> : never;

export type { ActualName, BrokerDescriptor, BrokerIsolation, BrokerProblem, Capability, Capabilities, CheckedScenario, FormSchema, HookConsumer, NameTable, ResourceCollection } from "./types";
export { capabilityNames } from "./types";

"use client";
// The inspector's part of each broker kind: the one list a new kind's forms are added to (the
// compiler asks for every registered kind). The inspector and the producer and consumer forms ask
// it instead of comparing kinds; each kind's forms live in its own file.
import type { ReactNode } from "react";
import { isBrokerKind } from "../../../lib/brokers";
import type { BrokerKind } from "../../../lib/brokers";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { awsForms } from "./aws-forms";
import type { FormProps, LabEditor } from "./form";
import { kafkaForms } from "./kafka-forms";
import { pubsubForms } from "./pubsub-forms";
import { rabbitmqForms } from "./rabbitmq-forms";
import { redisForms } from "./redis-forms";

export interface BrokerForms {
  /** The forms of the kind's resources, by the inspector's item kind (queue, exchange, subscription, …). */
  items: Readonly<Partial<Record<string, (form: FormProps) => ReactNode>>>;
  /** Where a `brokers.<name>` entry of this kind points, in the scenario's settings; none when the environment alone says. */
  address?: { key: string; label: string; placeholder: string };
  /** A producer's `to` fields beyond what it sends to (routing key; key and partition; message group…). */
  TargetFields?(props: { path: DocPath; to: Record<string, unknown> }): ReactNode;
  /** A consumer's `from` fields beyond what it reads from (consumer group; long-poll wait). */
  SourceFields?(props: { path: DocPath; from: Record<string, unknown> }): ReactNode;
  /** A producer's delivery settings (publisher confirms; acks). */
  DeliveryFields?(props: { path: DocPath; item: Record<string, unknown>; editor: LabEditor }): ReactNode;
}

const brokerForms: Record<BrokerKind, BrokerForms> = { rabbitmq: rabbitmqForms, kafka: kafkaForms, aws: awsForms, pubsub: pubsubForms, redis: redisForms };

/** The forms of a broker kind; none while the kind is unknown (a half-written entry). */
export const formsOf = (kind: unknown): BrokerForms | undefined => (isBrokerKind(kind) ? brokerForms[kind] : undefined);

/** The form of a resource item on a broker of this kind; while its kind is unknown, the first kind's that has such items. */
export const itemFormOf = (kind: unknown, item: string): ((form: FormProps) => ReactNode) | undefined =>
  formsOf(kind)?.items[item] ?? Object.values(brokerForms).find((forms) => forms.items[item])?.items[item];

"use client";
// Kafka's part of the inspector: topics, a producer's key and partition and its acks, a
// consumer's group.
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { BrokerForms } from "./broker-forms";
import { CheckField, NumberField, SelectField, TextField } from "./fields";
import type { LabEditor } from "./form";
import { TopicForm } from "./resource-forms";

const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);

function KafkaTargetFields({ path, to }: { path: DocPath; to: Record<string, unknown> }) {
  if (!Object.hasOwn(to, "topic")) return null;
  return (
    <>
      <TextField label="Key" path={[...path, "to", "key"]} value={to.key} placeholder="{{customerId}}" hint="Same key, same partition: ordering per key." />
      <NumberField label="Partition" path={[...path, "to", "partition"]} value={to.partition} placeholder="by key" />
    </>
  );
}

function KafkaSourceFields({ path, from }: { path: DocPath; from: Record<string, unknown> }) {
  if (!Object.hasOwn(from, "topic")) return null;
  return (
    <>
      <TextField label="Consumer group" path={[...path, "from", "group"]} value={from.group} hint="One group shares the partitions; each group gets every message." />
      <CheckField label="Read from the beginning" path={[...path, "from", "fromBeginning"]} checked={bool(from.fromBeginning, false)} />
    </>
  );
}

function KafkaDeliveryFields({ path, item, editor }: { path: DocPath; item: Record<string, unknown>; editor: LabEditor }) {
  return (
    <>
      <SelectField label="Acks" path={[...path, "acks"]} value={String(item.acks ?? "all")}
        options={[{ value: "all", label: "all (every in-sync replica)" }, { value: "1", label: "1 (leader only)" }, { value: "0", label: "0 (fire and forget)" }]}
        onChoose={(v) => editor.set([...path, "acks"], v === "all" ? "all" : Number(v))} />
      <CheckField label="Idempotent producer" path={[...path, "idempotent"]} checked={bool(item.idempotent, false)} />
    </>
  );
}

export const kafkaForms: BrokerForms = {
  items: { topic: TopicForm },
  TargetFields: KafkaTargetFields,
  SourceFields: KafkaSourceFields,
  DeliveryFields: KafkaDeliveryFields,
};

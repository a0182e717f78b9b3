"use client";
// RabbitMQ's part of the inspector: exchanges, queues and bindings, a producer's routing key and
// its publisher confirms.
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { BrokerForms } from "./broker-forms";
import { CheckField, TextField } from "./fields";
import { BindingForm, ExchangeForm, QueueForm } from "./resource-forms";

const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);

function RabbitTargetFields({ path, to }: { path: DocPath; to: Record<string, unknown> }) {
  if (!Object.hasOwn(to, "exchange")) return null;
  return <TextField label="Routing key" path={[...path, "to", "routingKey"]} value={to.routingKey} keepEmpty placeholder="(empty)" hint="Templates work: order.{{pick created paid}}" testId="field-routing-key" />;
}

function RabbitDeliveryFields({ path, item }: { path: DocPath; item: Record<string, unknown> }) {
  return (
    <>
      <CheckField label="Publisher confirms" path={[...path, "confirm"]} checked={bool(item.confirm, true)} hint="Wait for the broker to confirm each publish." />
      <CheckField label="Persistent messages" path={[...path, "persistent"]} checked={bool(item.persistent, true)} />
      <CheckField label="Mandatory (return unroutable)" path={[...path, "mandatory"]} checked={bool(item.mandatory, false)} />
    </>
  );
}

export const rabbitmqForms: BrokerForms = {
  items: { exchange: ExchangeForm, queue: QueueForm, binding: BindingForm },
  address: { key: "url", label: "URL", placeholder: "from RABBITMQ_URL" },
  TargetFields: RabbitTargetFields,
  DeliveryFields: RabbitDeliveryFields,
};

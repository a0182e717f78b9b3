"use client";
// Inspector forms for Google Cloud Pub/Sub parts: topics, subscriptions (ack deadline, ordering,
// filter, dead-letter topic), a producer's ordering key and attributes, a consumer's pull mode.
import { valueAt } from "../../../lib/lab/edits";
import { isRecord } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { CheckField, Group, JsonField, NumberField, SelectField, TextField } from "./fields";
import { Form } from "./form";
import type { FormProps } from "./form";
import type { BrokerForms } from "./broker-forms";

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);
const topicsOf = (form: FormProps) => form.model.resources.filter((r) => r.kind === "topic" && r.broker === String(form.path[1])).map((r) => ({ value: r.name, label: r.name }));

export function PubsubTopicForm(form: FormProps) {
  const { path, raw, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  return (
    <Form kind="topic" title={str(item.name, "(unnamed)")} lead="A Pub/Sub topic: every message is copied to each of its subscriptions."
      path={path} fields={[["name"], ["existing"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
    </Form>
  );
}

const subscriptionFields: DocPath[] = [["name"], ["topic"], ["ackDeadline"], ["messageOrdering"], ["filter"], ["deadLetter"], ["deadLetter", "topic"], ["deadLetter", "maxDeliveryAttempts"], ["existing"]];

export function PubsubSubscriptionForm(form: FormProps) {
  const { path, raw, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  const deadLetter = isRecord(item.deadLetter) ? item.deadLetter : undefined;
  const topics = topicsOf(form);
  return (
    <Form kind="queue" title={str(item.name, "(unnamed)")} lead="A Pub/Sub subscription: it gets a copy of every message of its topic; its consumers share them and ack each before the deadline."
      path={path} fields={subscriptionFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <SelectField label="Topic" path={[...path, "topic"]} value={str(item.topic)} options={topics} testId="field-topic" />
      <TextField label="Ack deadline" path={[...path, "ackDeadline"]} value={item.ackDeadline} placeholder="10s (10s to 10m)" testId="field-ack-deadline"
        hint="Not acked by then, the message is delivered again (a duplicate)." />
      <CheckField label="Message ordering (by ordering key)" path={[...path, "messageOrdering"]} checked={bool(item.messageOrdering, false)} />
      <TextField label="Filter" path={[...path, "filter"]} value={item.filter} placeholder='attributes.type = "created"' testId="field-filter" hint="Only matching messages are delivered; fixed when the subscription is created." />
      <Group title="Dead-letter topic" hint="After this many delivery attempts, Pub/Sub publishes the message there.">
        <SelectField label="Topic" path={[...path, "deadLetter", "topic"]} value={str(deadLetter?.topic)} options={[{ value: "", label: "(none)" }, ...topics]} testId="field-dead-letter-topic" />
        {deadLetter ? <NumberField label="Max delivery attempts" path={[...path, "deadLetter", "maxDeliveryAttempts"]} value={deadLetter.maxDeliveryAttempts} placeholder="5 (5 to 100)" testId="field-max-delivery-attempts" /> : null}
      </Group>
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
    </Form>
  );
}

export function PubsubTargetFields({ path, to }: { path: DocPath; to: Record<string, unknown> }) {
  if (typeof to.pubsubTopic !== "string") return null;
  const at = [...path, "to"];
  return (
    <>
      <TextField label="Ordering key" path={[...at, "orderingKey"]} value={to.orderingKey} placeholder="{{customerId}}" hint="Subscriptions with message ordering keep one key's messages in order." testId="field-ordering-key" />
      <JsonField label="Attributes" path={[...at, "attributes"]} value={to.attributes} rows={3} testId="field-attributes" hint='JSON object, e.g. { "type": "created" }: what subscription filters match.' />
    </>
  );
}

export function PubsubSourceFields({ path, from }: { path: DocPath; from: Record<string, unknown> }) {
  if (typeof from.subscription !== "string") return null;
  const at = [...path, "from"];
  return (
    <>
      <SelectField label="Mode" path={[...at, "mode"]} value={str(from.mode, "streaming")} options={[{ value: "streaming", label: "streaming pull (deadlines extended)" }, { value: "pull", label: "pull" }]} testId="field-mode" />
      {from.mode === "pull" ? <CheckField label="Extend the ack deadline while working" path={[...at, "extendDeadline"]} checked={bool(from.extendDeadline, true)} /> : null}
    </>
  );
}

export const pubsubForms: BrokerForms = {
  items: { queue: PubsubSubscriptionForm, topic: PubsubTopicForm },
  address: { key: "emulatorHost", label: "Emulator host", placeholder: "from PUBSUB_EMULATOR_HOST" },
  TargetFields: PubsubTargetFields,
  SourceFields: PubsubSourceFields,
};

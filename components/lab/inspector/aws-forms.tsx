"use client";
// Inspector forms for Amazon parts: SQS queues, SNS topics and their subscriptions, EventBridge
// buses and rules, and the Amazon fields of a producer's target and a consumer's source.
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
const brokerOf = (path: DocPath) => String(path[1]);
const isFifo = (name: unknown) => typeof name === "string" && name.endsWith(".fifo");
const namesOf = (form: FormProps, kind: "queue" | "topic" | "bus" | "rule") =>
  form.model.resources.filter((r) => r.kind === kind && r.broker === brokerOf(form.path)).map((r) => r.name);
/** The options of a select, keeping the current value even when it names nothing declared. */
const optionsOf = (names: string[], current: string, empty = "(none)") =>
  [...(current && !names.includes(current) ? [current] : []), ...names].map((n) => ({ value: n, label: n })).concat(current ? [] : [{ value: "", label: empty }]);

const queueFields: DocPath[] = [["name"], ["visibilityTimeout"], ["retention"], ["delay"], ["deadLetter"], ["deadLetter", "queue"], ["deadLetter", "maxReceiveCount"], ["contentBasedDeduplication"], ["existing"]];

export function AwsQueueForm(form: FormProps) {
  const { path, raw, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  const deadLetter = isRecord(item.deadLetter) ? item.deadLetter : undefined;
  const others = namesOf(form, "queue").filter((n) => n !== item.name);
  const fifo = isFifo(item.name);
  return (
    <Form kind="queue" title={str(item.name, "(unnamed)")} lead={fifo ? "An SQS FIFO queue: in order within each message group, each message once." : "An SQS standard queue: consumers poll it and delete what they have handled."}
      path={path} fields={queueFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" hint="Ending in .fifo makes it a FIFO queue." />
      <Group title="Timing" hint="Durations such as 30s, 5m, 4d.">
        <TextField label="Visibility timeout" path={[...path, "visibilityTimeout"]} value={item.visibilityTimeout} placeholder="30s" testId="field-visibility-timeout"
          hint="How long a received message stays hidden; not deleted by then, it is delivered again." />
        <TextField label="Retention" path={[...path, "retention"]} value={item.retention} placeholder="4d (60s to 14d)" testId="field-retention" />
        <TextField label="Delivery delay" path={[...path, "delay"]} value={item.delay} placeholder="0s (up to 15m)" testId="field-delay" />
      </Group>
      <Group title="Dead letters" hint="After this many receives without a delete, SQS moves the message to the dead-letter queue.">
        <SelectField label="Dead-letter queue" path={[...path, "deadLetter", "queue"]} value={deadLetter ? str(deadLetter.queue) : ""} testId="field-dead-letter-queue"
          options={[{ value: "", label: "(none)" }, ...others.map((n) => ({ value: n, label: n }))]}
          onChoose={(queue) => editor.set([...path, "deadLetter"], queue === "" ? undefined : { maxReceiveCount: 3, ...(deadLetter ?? {}), queue })} />
        {deadLetter ? <NumberField label="Max receives" path={[...path, "deadLetter", "maxReceiveCount"]} value={deadLetter.maxReceiveCount} placeholder="3" testId="field-max-receive-count" /> : null}
      </Group>
      {fifo ? <CheckField label="Content-based deduplication" path={[...path, "contentBasedDeduplication"]} checked={bool(item.contentBasedDeduplication, false)} hint="The body's hash is the deduplication id." testId="field-content-dedup" /> : null}
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
    </Form>
  );
}

export function SnsTopicForm(form: FormProps) {
  const { path, raw, model, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  const broker = brokerOf(path);
  const name = str(item.name);
  const subscriptions = model.subscriptions.filter((s) => s.broker === broker && s.topic === name);
  const queues = namesOf(form, "queue").filter((q) => !subscriptions.some((s) => s.queue === q));
  return (
    <Form kind="topic" title={str(item.name, "(unnamed)")} lead="An SNS topic: every message is copied to each subscribed queue."
      path={path} fields={[["name"], ["existing"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" hint="Ending in .fifo makes it a FIFO topic (FIFO queues only)." />
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
      <Group title="Subscriptions" hint="Each subscribed queue gets a copy of every message (its filter policy allowing).">
        {subscriptions.length === 0 ? <p className="muted lab-small">No queue is subscribed yet: messages published here go nowhere.</p> : null}
        <ul className="lab-list">
          {subscriptions.map((s) => (
            <li key={s.path.join(".")}>
              <button type="button" className="lab-link-button" onClick={() => editor.select(s.path)}>→ {s.queue}{s.raw.raw === true ? " (raw)" : ""}</button>
            </li>
          ))}
        </ul>
        <SelectField label="Subscribe a queue" path={[...path, "subscribe"]} value="" testId="field-subscribe"
          options={[{ value: "", label: queues.length ? "Choose a queue…" : "(no other queues)" }, ...queues.map((q) => ({ value: q, label: q }))]}
          onChoose={(queue) => queue && editor.connect({ kind: "topic", broker, name }, { kind: "queue", broker, name: queue })} />
      </Group>
    </Form>
  );
}

export function SubscriptionForm(form: FormProps) {
  const { path, raw, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  return (
    <Form kind="subscription" title={`${str(item.topic)} → ${str(item.queue)}`} lead="Delivers a copy of every message of the SNS topic to the SQS queue."
      path={path} fields={[["topic"], ["queue"], ["raw"], ["filterPolicy"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)} deleteLabel="Remove subscription">
      <SelectField label="Topic" path={[...path, "topic"]} value={str(item.topic)} options={optionsOf(namesOf(form, "topic"), str(item.topic))} testId="field-topic" />
      <SelectField label="Queue" path={[...path, "queue"]} value={str(item.queue)} options={optionsOf(namesOf(form, "queue"), str(item.queue))} testId="field-queue" />
      <CheckField label="Raw delivery" path={[...path, "raw"]} checked={bool(item.raw, false)} testId="field-raw"
        hint="The queue gets the message itself with its attributes, not SNS's JSON envelope." />
      <JsonField label="Filter policy" path={[...path, "filterPolicy"]} value={item.filterPolicy} rows={4} testId="field-filter-policy"
        hint='JSON object on message attributes, e.g. { "type": ["created"] }. Empty: every message.' />
    </Form>
  );
}

export function BusForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const rules = model.resources.filter((r) => r.kind === "rule" && r.broker === brokerOf(path) && r.rule?.bus === item.name);
  return (
    <Form kind="bus" title={str(item.name, "(unnamed)")} lead="An EventBridge bus: producers put events on it, its rules route them to queues."
      path={path} fields={[["name"], ["existing"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
      <Group title="Rules">
        {rules.length === 0 ? <p className="muted lab-small">No rule listens here yet: events put on this bus go nowhere.</p> : null}
        <ul className="lab-list">
          {rules.map((r) => (
            <li key={r.name}><button type="button" className="lab-link-button" onClick={() => editor.select(r.path)}>⑂ {r.name}</button></li>
          ))}
        </ul>
      </Group>
    </Form>
  );
}

export function RuleForm(form: FormProps) {
  const { path, raw, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  const targets = Array.isArray(item.targets) ? item.targets.map(record) : [];
  const queues = namesOf(form, "queue").filter((q) => !targets.some((t) => t.queue === q));
  const buses = ["default", ...namesOf(form, "bus").filter((b) => b !== "default")];
  return (
    <Form kind="rule" title={str(item.name, "(unnamed)")} lead="An EventBridge rule: events on its bus that match the pattern go to each target queue."
      path={path} fields={[["name"], ["bus"], ["pattern"], ["targets"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <SelectField label="Bus" path={[...path, "bus"]} value={str(item.bus, "default")} options={optionsOf(buses, str(item.bus, "default"))} testId="field-bus" />
      <JsonField label="Event pattern" path={[...path, "pattern"]} value={item.pattern} rows={5} testId="field-pattern"
        hint='JSON object, e.g. { "source": ["shop"], "detail-type": ["OrderCreated"] }.' />
      <Group title="Targets" hint="Up to 5 queues; or drag from the rule's ● to a queue.">
        {targets.map((t, i) => (
          <div key={i} className="lab-binding-row">
            <span className="lab-binding-row__queue">→ {str(t.queue)}</span>
            <button type="button" className="button button--small" disabled={readOnly} onClick={() => editor.remove([...path, "targets", i])} aria-label={`Remove the target ${str(t.queue)}`}>Remove</button>
          </div>
        ))}
        <SelectField label="Add a target queue" path={[...path, "targets"]} value="" testId="field-add-target"
          options={[{ value: "", label: queues.length ? "Choose a queue…" : "(no other queues)" }, ...queues.map((q) => ({ value: q, label: q }))]}
          onChoose={(queue) => queue && editor.connect({ kind: "rule", broker: brokerOf(path), name: str(item.name) }, { kind: "queue", broker: brokerOf(path), name: queue })} />
      </Group>
    </Form>
  );
}

/** The Amazon fields of a producer's `to`: a FIFO queue's group and deduplication ids, an SNS topic's attributes, an event's source and detail type. */
export function AwsTargetFields({ path, to }: { path: DocPath; to: Record<string, unknown> }) {
  const at = [...path, "to"];
  if (typeof to.queue === "string" || typeof to.snsTopic === "string") {
    const fifo = isFifo(to.queue ?? to.snsTopic);
    return (
      <>
        {fifo ? <TextField label="Message group" path={[...at, "groupId"]} value={to.groupId} placeholder="{{customerId}}" hint="Required for FIFO: order holds within a group." testId="field-group-id" /> : null}
        {fifo && typeof to.queue === "string" ? <TextField label="Deduplication id" path={[...at, "deduplicationId"]} value={to.deduplicationId} placeholder="{{seq}}" hint="Same id within 5 minutes: delivered once." testId="field-deduplication-id" /> : null}
        {typeof to.snsTopic === "string" ? <JsonField label="Message attributes" path={[...at, "attributes"]} value={to.attributes} rows={3} testId="field-attributes" hint='JSON object, e.g. { "type": "created" }: what filter policies match.' /> : null}
      </>
    );
  }
  if (typeof to.bus !== "string") return null;
  return (
    <>
      <TextField label="Event source" path={[...at, "source"]} value={to.source} keepEmpty placeholder="shop" testId="field-source" />
      <TextField label="Detail type" path={[...at, "detailType"]} value={to.detailType} keepEmpty placeholder="OrderCreated" testId="field-detail-type" />
    </>
  );
}

/** An SQS consumer's long-poll wait, part of its source. */
export function AwsSourceFields({ path, from }: { path: DocPath; from: Record<string, unknown> }) {
  if (typeof from.queue !== "string") return null;
  return <NumberField label="Long-poll wait (seconds)" path={[...path, "from", "waitSeconds"]} value={from.waitSeconds} placeholder="20" hint="0 to 20: how long one receive waits for messages." testId="field-wait-seconds" />;
}

export const awsForms: BrokerForms = {
  items: { queue: AwsQueueForm, topic: SnsTopicForm, subscription: SubscriptionForm, bus: BusForm, rule: RuleForm },
  address: { key: "endpoint", label: "Endpoint", placeholder: "from AWS_ENDPOINT_URL" },
  TargetFields: AwsTargetFields,
  SourceFields: AwsSourceFields,
};

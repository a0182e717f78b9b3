"use client";
// Inspector forms for exchanges (with their bindings), queues, topics and single bindings.
import { valueAt } from "../../../lib/lab/edits";
import { isRecord } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { CheckField, Group, NumberField, SelectField, TextField } from "./fields";
import { Form } from "./form";
import type { FormProps } from "./form";

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);
const brokerOf = (path: DocPath) => String(path[1]);

const exchangeFields: DocPath[] = [["name"], ["type"], ["durable"], ["autoDelete"], ["existing"]];
const exchangeLeads: Record<string, string> = {
  direct: "Routes a message to the queues bound with exactly its routing key.",
  fanout: "Copies every message to every bound queue; routing keys are ignored.",
  topic: "Routes by pattern: * matches one word, # any number (order.*, audit.#).",
  headers: "Routes by message headers instead of the routing key.",
};

export function ExchangeForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const broker = brokerOf(path);
  const name = str(item.name);
  const bindings = model.bindings.filter((b) => b.broker === broker && b.exchange === name);
  const queues = model.resources.filter((r) => r.kind === "queue" && r.broker === broker);
  return (
    <Form kind="exchange" title={str(item.name, "(unnamed)")} lead={exchangeLeads[str(item.type, "direct")] ?? "A RabbitMQ exchange."}
      path={path} fields={exchangeFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <SelectField label="Type" path={[...path, "type"]} value={str(item.type, "direct")} testId="field-type"
        options={["direct", "fanout", "topic", "headers"].map((v) => ({ value: v, label: v }))} />
      <CheckField label="Durable" path={[...path, "durable"]} checked={bool(item.durable, true)} />
      <CheckField label="Auto-delete" path={[...path, "autoDelete"]} checked={bool(item.autoDelete, false)} />
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
      <Group title="Bindings" hint="Which queues get a copy, and for which routing keys.">
        {bindings.length === 0 ? <p className="muted lab-small">No queue is bound yet: messages published here are dropped.</p> : null}
        {bindings.map((binding) => (
          <div key={binding.path.join(".")} className="lab-binding-row">
            <span className="lab-binding-row__queue">→ {binding.queue}</span>
            <TextField label="Routing key" path={[...binding.path, "routingKey"]} value={binding.routingKey} keepEmpty placeholder="(empty)" />
            <button type="button" className="button button--small" disabled={readOnly} onClick={() => editor.remove(binding.path)} aria-label={`Remove the binding to ${binding.queue}`}>Remove</button>
          </div>
        ))}
        <SelectField label="Bind a queue" path={[...path, "bind"]} value="" testId="field-bind"
          options={[{ value: "", label: queues.length ? "Choose a queue…" : "(no queues yet)" }, ...queues.map((q) => ({ value: q.name, label: q.name }))]}
          onChoose={(queue) => queue && editor.connect({ kind: "exchange", broker, name }, { kind: "queue", broker, name: queue })} />
      </Group>
    </Form>
  );
}

const queueFields: DocPath[] = [
  ["name"], ["type"], ["durable"], ["autoDelete"], ["messageTtl"], ["maxLength"], ["maxLengthBytes"], ["overflow"], ["deadLetter"], ["deadLetter", "exchange"], ["deadLetter", "routingKey"], ["deliveryLimit"], ["existing"],
];

export function QueueForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const broker = brokerOf(path);
  const deadLetter = isRecord(item.deadLetter) ? item.deadLetter : undefined;
  const exchanges = model.resources.filter((r) => r.kind === "exchange" && r.broker === broker);
  return (
    <Form kind="queue" title={str(item.name, "(unnamed)")} lead="Holds messages in order until a consumer takes and acknowledges them."
      path={path} fields={queueFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <SelectField label="Type" path={[...path, "type"]} value={str(item.type, "classic")} options={[{ value: "classic", label: "classic" }, { value: "quorum", label: "quorum (replicated)" }]} />
      <CheckField label="Durable" path={[...path, "durable"]} checked={bool(item.durable, true)} />
      <CheckField label="Auto-delete" path={[...path, "autoDelete"]} checked={bool(item.autoDelete, false)} />
      <Group title="Limits">
        <TextField label="Message TTL" path={[...path, "messageTtl"]} value={item.messageTtl} placeholder="e.g. 30s" />
        <NumberField label="Max length (messages)" path={[...path, "maxLength"]} value={item.maxLength} placeholder="no limit" testId="field-max-length" />
        <SelectField label="When full" path={[...path, "overflow"]} value={str(item.overflow)}
          options={[{ value: "", label: "(broker default: drop-head)" }, ...["drop-head", "reject-publish", "reject-publish-dlx"].map((v) => ({ value: v, label: v }))]} />
        <NumberField label="Delivery limit (quorum)" path={[...path, "deliveryLimit"]} value={item.deliveryLimit} placeholder="none" />
      </Group>
      <Group title="Dead letters" hint="Rejected or expired messages go to this exchange.">
        <SelectField label="Dead-letter exchange" path={[...path, "deadLetter", "exchange"]} value={deadLetter ? str(deadLetter.exchange) : "(none)"}
          options={[{ value: "(none)", label: "(none)" }, ...exchanges.map((e) => ({ value: e.name, label: e.name }))]}
          onChoose={(value) => editor.set([...path, "deadLetter"], value === "(none)" ? undefined : { ...(deadLetter ?? {}), exchange: value })} />
        {deadLetter ? <TextField label="Dead-letter routing key" path={[...path, "deadLetter", "routingKey"]} value={deadLetter.routingKey} placeholder="(the message's own)" /> : null}
      </Group>
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
    </Form>
  );
}

const topicFields: DocPath[] = [["name"], ["partitions"], ["replicationFactor"], ["retention"], ["cleanupPolicy"], ["existing"]];

export function TopicForm({ path, raw, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  return (
    <Form kind="topic" title={str(item.name, "(unnamed)")} lead="A Kafka log split into partitions; each consumer group reads it at its own offset."
      path={path} fields={topicFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <NumberField label="Partitions" path={[...path, "partitions"]} value={item.partitions} placeholder="1" hint="Parallelism: at most one consumer per partition in a group." testId="field-partitions" />
      <NumberField label="Replication factor" path={[...path, "replicationFactor"]} value={item.replicationFactor} placeholder="1" />
      <TextField label="Retention" path={[...path, "retention"]} value={item.retention} placeholder="broker default" />
      <SelectField label="Cleanup policy" path={[...path, "cleanupPolicy"]} value={str(item.cleanupPolicy, "delete")}
        options={["delete", "compact", "compact,delete"].map((v) => ({ value: v, label: v }))} />
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={bool(item.existing, false)} />
    </Form>
  );
}

const bindingFields: DocPath[] = [["exchange"], ["queue"], ["routingKey"], ["arguments"]];

export function BindingForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const broker = brokerOf(path);
  const names = (kind: "exchange" | "queue") => model.resources.filter((r) => r.kind === kind && r.broker === broker).map((r) => ({ value: r.name, label: r.name }));
  const withCurrent = (options: { value: string; label: string }[], current: string) => (options.some((o) => o.value === current) ? options : [{ value: current, label: current || "(none)" }, ...options]);
  return (
    <Form kind="binding" title={`${str(item.exchange)} → ${str(item.queue)}`} lead="Tells the exchange which queue gets a copy, for which routing key."
      path={path} fields={bindingFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)} deleteLabel="Remove binding">
      <SelectField label="Exchange" path={[...path, "exchange"]} value={str(item.exchange)} options={withCurrent(names("exchange"), str(item.exchange))} />
      <SelectField label="Queue" path={[...path, "queue"]} value={str(item.queue)} options={withCurrent(names("queue"), str(item.queue))} />
      <TextField label="Routing key" path={[...path, "routingKey"]} value={item.routingKey} keepEmpty placeholder="(empty)" hint="Topic exchanges: * one word, # any words." testId="field-routing-key" />
    </Form>
  );
}
